package dev.caravan.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpConsumer;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpEngine;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Serves each platform-http request on the web server thread that received it, start to end.
 *
 * <p>Camel's Spring Boot consumer runs the route on a second thread pool and returns a
 * {@code CompletableFuture}, which makes Spring MVC treat every request as asynchronous: it
 * starts servlet async processing, and when the route is done it dispatches the request back to
 * the web server, which passes it through the filters and the {@code DispatcherServlet} a second
 * time before the response is complete and leaves. That is two thread hand-offs and a second
 * dispatch per request, for nothing: Caravan's routes block on their upstream either way. Here the
 * route runs in place and {@code service} returns no future, which Spring MVC takes as "request
 * handled". A stream holds its web server thread until it ends, so {@code server.tomcat.threads.max}
 * bounds the requests and streams open at once.
 */
@Configuration(proxyBeanMethods = false)
public class SynchronousHttpEngine {

    /** platform-http looks its engine up under this name. */
    @Bean("platform-http-engine")
    SpringBootPlatformHttpEngine platformHttpEngine(@Value("${server.port:8080}") int port) {
        return new SpringBootPlatformHttpEngine(port) {
            @Override
            public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
                return new InPlaceConsumer(endpoint, processor);
            }
        };
    }

    /** The consumer Spring MVC calls {@code service} on, once per request. */
    static final class InPlaceConsumer extends SpringBootPlatformHttpConsumer {

        private static final Logger LOG = LoggerFactory.getLogger(InPlaceConsumer.class);

        // Camel's consumer takes an executor to hand requests to; this one is never used for that
        InPlaceConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
            super(endpoint, processor, Runnable::run);
        }

        @Override
        public CompletableFuture<Void> service(HttpServletRequest request, HttpServletResponse response) {
            try {
                handleService(request, response);
            } catch (Exception e) {
                InvalidParameterException badParameters = causeOf(e, InvalidParameterException.class);
                if (badParameters != null) {
                    // Camel reads the query string before any route: one Tomcat cannot decode
                    // (a broken %-escape, too many parameters) is the client's mistake
                    sendError(response, badParameters.getErrorCode() >= 400 ? badParameters.getErrorCode() : 400);
                    return null;
                }
                // the routes answer their own failures in Caravan's envelope: this is a broken
                // connection or a bug; ApiErrorController gives the client a masked 500 if it still can
                LOG.warn("Request {} {} failed outside the routes: {}", request.getMethod(),
                        request.getRequestURI(), e.toString());
                sendError(response, 500);
            }
            return null; // no future: Spring MVC completes the request now, on this thread
        }

        /**
         * Called once the answer is written, before the exchange's completions run (queueing the
         * request's usage record, routes/chat.camel.yaml): the answer leaves now, since the web
         * server would otherwise hold a small answer in its buffer until the request returns.
         */
        @Override
        public void doneUoW(Exchange exchange) {
            if (exchange.getIn() instanceof PlatformHttpMessage http) {
                try {
                    http.getResponse().flushBuffer();
                } catch (IOException clientGone) {
                    // the completions run all the same: a client that left is still charged
                }
            }
            super.doneUoW(exchange);
        }

        private static <T extends Throwable> T causeOf(Throwable failure, Class<T> type) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (type.isInstance(t)) {
                    return type.cast(t);
                }
            }
            return null;
        }

        private static void sendError(HttpServletResponse response, int status) {
            if (!response.isCommitted()) {
                try {
                    response.sendError(status);
                } catch (IOException | IllegalStateException gone) {
                    // the client is gone or the answer has begun: nothing more can be said
                }
            }
        }
    }
}
