package dev.caravan.providers;

import org.apache.camel.Ordered;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.http.HttpEndpoint;
import org.apache.camel.spi.ComponentCustomizer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.core5.util.TimeValue;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/**
 * The upstream connections of JSON calls (camel-http, the wire routes' {@code toD}), set up as
 * {@link UpstreamStreams} sets up those of streams: pooled connections lent without HttpClient's
 * 1 ms idle check, {@link ClosedConnectionRetry} as the only retry, and answers no larger than
 * {@link AnswerSizeLimit} allows.
 */
@Configuration(proxyBeanMethods = false)
public class JsonCallConnections {

    /**
     * For each camel-http component ({@code http}, {@code https}), after the
     * {@code camel.component.http.*} properties, so it has the last word.
     */
    @Bean
    ComponentCustomizer jsonCallConnectionsCustomizer(
            @Value("${caravan.upstream.max-answer-size:64MB}") DataSize maxAnswerSize) {
        AnswerSizeLimit answerSizeLimit = new AnswerSizeLimit(maxAnswerSize.toBytes());
        return ComponentCustomizer.builder(HttpComponent.class)
                .withOrder(Ordered.LOWEST)
                .build(http -> configure(http, answerSizeLimit));
    }

    static void configure(HttpComponent http, AnswerSizeLimit answerSizeLimit) {
        http.setAutomaticRetriesDisabled(false);   // else no retry strategy is consulted
        http.setHttpClientConfigurer(builder -> builder.setRetryStrategy(new ClosedConnectionRetry(null))
                .addResponseInterceptorLast(answerSizeLimit));
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
                call.setHttpClientConfigurer(builder -> builder.setRetryStrategy(new ClosedConnectionRetry(pool))
                        .addResponseInterceptorLast(answerSizeLimit));
            }
            return endpoint;
        });
    }
}
