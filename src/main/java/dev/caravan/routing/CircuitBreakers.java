package dev.caravan.routing;

import dev.caravan.api.ApiException;
import dev.caravan.providers.UpstreamException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * One Resilience4j circuit breaker per endpoint (provider + upstream model), guarding the JSON
 * and the streaming call alike. The route asks for permission before the call and reports the
 * outcome after it; a stream counts as a success once its first event arrived, so the breaker
 * never holds on to the live stream (stack.md: the circuitBreaker EIP breaks streaming).
 */
@Component("circuitBreakers")
public class CircuitBreakers {

    private static final String STARTED = "circuitBreakerStartNanos";

    private final CircuitBreakerRegistry registry;

    public CircuitBreakers(CircuitBreakerSettings settings) {
        this.registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .failureRateThreshold(settings.failureRateThreshold())
                .slidingWindowSize(settings.slidingWindowSize())
                .minimumNumberOfCalls(settings.minimumNumberOfCalls())
                .waitDurationInOpenState(settings.waitDurationInOpenState())
                .permittedNumberOfCallsInHalfOpenState(settings.permittedCallsInHalfOpenState())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build());
    }

    public CircuitBreaker of(Attempt attempt) {
        return registry.circuitBreaker(attempt.endpoint().key());
    }

    public CircuitBreakerRegistry registry() {
        return registry;
    }

    /** Throws {@code CallNotPermittedException} when the endpoint's circuit is open. */
    public void acquirePermission(Exchange exchange) {
        of(attempt(exchange)).acquirePermission();
        exchange.setProperty(STARTED, System.nanoTime());
    }

    public void recordSuccess(Exchange exchange) {
        of(attempt(exchange)).onSuccess(elapsed(exchange), TimeUnit.NANOSECONDS);
    }

    /**
     * Reports the failure just caught to the endpoint's breaker and throws it on, as an
     * {@link UpstreamException} that says what the client should see. A request the client got
     * wrong (an {@link ApiException} of its own) is not the provider's failure.
     */
    public void recordFailure(Exchange exchange) {
        Attempt attempt = attempt(exchange);
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        CircuitBreaker breaker = of(attempt);
        if (caught instanceof ApiException request && !(caught instanceof UpstreamException)) {
            breaker.releasePermission();
            throw request;
        }
        UpstreamException failure = UpstreamException.fromFailure(attempt.provider().name(), caught);
        if (failure.countsAgainstProvider()) {
            breaker.onError(elapsed(exchange), TimeUnit.NANOSECONDS, failure);
        } else {
            breaker.releasePermission();
        }
        throw failure;
    }

    private static Attempt attempt(Exchange exchange) {
        return exchange.getProperty(Attempt.PROPERTY, Attempt.class);
    }

    private static long elapsed(Exchange exchange) {
        Long started = exchange.getProperty(STARTED, Long.class);
        return started == null ? 0 : System.nanoTime() - started;
    }
}
