package dev.caravan.routing;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code caravan.circuit-breaker.*} in application.yaml; the comments there say what each means. */
@ConfigurationProperties("caravan.circuit-breaker")
public record CircuitBreakerSettings(
        @DefaultValue("50") float failureRateThreshold,
        @DefaultValue("20") int slidingWindowSize,
        @DefaultValue("5") int minimumNumberOfCalls,
        @DefaultValue("30s") Duration waitDurationInOpenState,
        @DefaultValue("2") int permittedCallsInHalfOpenState) {
}
