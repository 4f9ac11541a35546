package dev.caravan.providers;

import java.io.IOException;
import org.apache.camel.Ordered;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.http.HttpEndpoint;
import org.apache.camel.spi.ComponentCustomizer;
import org.apache.hc.client5.http.HttpRequestRetryStrategy;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.TimeValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The upstream connections of JSON calls (camel-http, the wire routes' {@code toD}), treated as
 * {@link UpstreamStreams} treats those of streams. HttpClient checks a pooled connection idle for
 * 2 s or more with a read that waits 1 ms for the upstream to have closed it: every JSON call of a
 * quiet gateway would pay it. The check is off; a call whose pooled connection turns out closed
 * (no answer at all: the request never reached the upstream) is sent once more, on a new one.
 *
 * <p>Nothing else is retried here: a 429 or 503 goes back to the attempt loop, which decides
 * (next endpoint, or a timed retry); HttpClient's own strategy would sleep through its
 * Retry-After on the request thread.
 */
@Configuration(proxyBeanMethods = false)
public class JsonCallConnections {

    /**
     * For each camel-http component ({@code http}, {@code https}), after the
     * {@code camel.component.http.*} properties, so it has the last word.
     */
    @Bean
    ComponentCustomizer jsonCallConnectionsCustomizer() {
        return ComponentCustomizer.builder(HttpComponent.class)
                .withOrder(Ordered.LOWEST)
                .build(JsonCallConnections::configure);
    }

    static void configure(HttpComponent http) {
        http.setAutomaticRetriesDisabled(false);   // else no retry strategy is consulted
        http.setHttpClientConfigurer(builder -> builder.setRetryStrategy(ClosedConnectionRetry.ONCE));
        // camel-http gives each endpoint (each upstream, in the wire routes) a pool of its own,
        // made with the endpoint: its settings as camel-http makes them, without the check
        http.getCamelContext().getCamelContextExtension().registerEndpointCallback((uri, endpoint) -> {
            if (endpoint instanceof HttpEndpoint call && call.getComponent() == http
                    && call.getClientConnectionManager() instanceof PoolingHttpClientConnectionManager pool) {
                pool.setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setTimeToLive(TimeValue.ofMilliseconds(http.getConnectionTimeToLive()))
                        .setValidateAfterInactivity(TimeValue.NEG_ONE_MILLISECOND)
                        .build());
            }
            return endpoint;
        });
    }

    /** Sends a request once more when its connection was closed before any answer; nothing else. */
    enum ClosedConnectionRetry implements HttpRequestRetryStrategy {
        ONCE;

        @Override
        public boolean retryRequest(HttpRequest request, IOException failure, int execCount, HttpContext context) {
            return failure instanceof NoHttpResponseException && execCount <= 1;
        }

        @Override
        public boolean retryRequest(HttpResponse response, int execCount, HttpContext context) {
            return false;
        }

        @Override
        public TimeValue getRetryInterval(HttpResponse response, int execCount, HttpContext context) {
            return TimeValue.ZERO_MILLISECONDS;
        }
    }
}
