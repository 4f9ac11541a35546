package dev.caravan.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * The error envelope for the failures Tomcat answers before any servlet runs: a request line, URI,
 * header or Content-Length it cannot parse, headers over the size limit. Those never reach
 * {@link ApiErrorController}; Tomcat's own valve answered them with an HTML page.
 */
public class ErrorEnvelopeValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // what ErrorReportValve checks: an error status, no body written yet, and reported once
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        byte[] body = ErrorEnvelope.bytes(ApiErrorController.forStatus(status, request.getDecodedRequestURI()));
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // the client is gone, or the response was committed meanwhile: nothing more to tell it
        }
    }

    /**
     * Puts this valve in place of the host's ErrorReportValve. Ordered last, so that it runs after
     * Spring Boot's own customizer, which adds a plain ErrorReportValve to the host.
     */
    @Component
    static class Installer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            factory.addContextCustomizers(context -> {
                Container host = context.getParent();
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve) {
                        host.getPipeline().removeValve(valve);
                    }
                }
                host.getPipeline().addValve(new ErrorEnvelopeValve());
                if (host instanceof StandardHost standard) {
                    // on start, the host adds a valve of this class unless it finds one
                    standard.setErrorReportValveClass(ErrorEnvelopeValve.class.getName());
                }
            });
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
