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
 * quiet gateway would pay it. The check is off; a call whose connection ends with no answer at
 * all (as a pooled one the upstream closed while idle does: the request never reached it) is
 * sent once more, on a new one.
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
        http.setHttpClientConfigurer(builder -> builder.setRetryStrategy(new ClosedConnectionRetry(null)));
        // camel-http gives each endpoint (each upstream, in the wire routes) a pool of its own,
        // made with the endpoint, and the endpoint's client is made at its first call
        http.getCamelContext().getCamelContextExtension().registerEndpointCallback((uri, endpoint) -> {
            if (endpoint instanceof HttpEndpoint call && call.getComponent() == http
                    && call.getClientConnectionManager() instanceof PoolingHttpClientConnectionManager pool) {
                // the pool's settings as camel-http makes them (its connections' time to live), without the check
                pool.setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setTimeToLive(TimeValue.ofMilliseconds(http.getConnectionTimeToLive()))
                        .setValidateAfterInactivity(TimeValue.NEG_ONE_MILLISECOND)
                        .build());
                call.setHttpClientConfigurer(builder -> builder.setRetryStrategy(new ClosedConnectionRetry(pool)));
            }
            return endpoint;
        });
    }

    /**
     * Sends a request once more, on a new connection, when its connection ended with no answer at
     * all; nothing else. An upstream that closed one idle connection has usually closed the others
     * (the JDK's HTTP server closes all of them after 30 s idle), so the pool's idle connections
     * are dropped first: the retry would otherwise be lent another closed one.
     */
    record ClosedConnectionRetry(PoolingHttpClientConnectionManager pool) implements HttpRequestRetryStrategy {

        @Override
        public boolean retryRequest(HttpRequest request, IOException failure, int execCount, HttpContext context) {
            if (!(failure instanceof NoHttpResponseException) || execCount > 1) {
                return false;
            }
            if (pool != null) {
                pool.closeIdle(TimeValue.ZERO_MILLISECONDS);
            }
            return true;
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
