package dev.caravan.routing;

import dev.caravan.accounting.Usage;
import dev.caravan.api.ApiException;
import dev.caravan.api.ChatRequests;
import dev.caravan.metrics.RequestTimer;
import dev.caravan.providers.UpstreamException;
import dev.caravan.routing.EndpointStats.Outcome;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * One Resilience4j circuit breaker per endpoint (provider + upstream model), guarding the JSON
 * and the streaming call alike. The route asks for permission before the call and reports the
 * outcome after it; a stream counts as a success once its first event arrived, so the breaker
 * never holds on to the live stream (stack.md: the circuitBreaker EIP breaks streaming).
 * Every outcome also goes to the endpoint's live stats.
 */
@Component("circuitBreakers")
public class CircuitBreakers {

    private static final String STARTED = "circuitBreakerStartNanos";

    private final CircuitBreakerRegistry registry;
    private final EndpointStats stats;

    public CircuitBreakers(CircuitBreakerRegistry registry, EndpointStats stats) {
        this.registry = registry;
        this.stats = stats;
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

    /** The answer (or a stream's first event) arrived: time to first token, and for JSON, throughput. */
    public void recordSuccess(Exchange exchange) {
        Attempt attempt = attempt(exchange);
        long elapsed = elapsed(exchange);
        of(attempt).onSuccess(elapsed, TimeUnit.NANOSECONDS);
        double ms = elapsed / 1e6;
        Usage usage = exchange.getProperty(Usage.PROPERTY, Usage.class);
        boolean stream = exchange.getProperty(ChatRequests.STREAM, false, Boolean.class);
        double throughput = stream || usage == null || ms <= 0 ? Double.NaN : usage.completionTokens() * 1000 / ms;
        stats.record(attempt.endpoint(), Outcome.SUCCESS, ms, throughput);
    }

    /**
     * Reports the failure just caught to the endpoint's breaker and throws it on, as an
     * {@link UpstreamException} that says what the client should see. A request the client got
     * wrong (an {@link ApiException} of its own) is not the provider's failure.
     */
    public void recordFailure(Exchange exchange) {
        RequestTimer.upstreamAnswered(exchange, false);
        Attempt attempt = attempt(exchange);
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        CircuitBreaker breaker = of(attempt);
        if (caught instanceof ApiException request && !(caught instanceof UpstreamException)) {
            breaker.releasePermission();
            throw request;
        }
        UpstreamException failure = UpstreamException.fromFailure(attempt.provider().name(), caught);
        recordFailure(attempt, failure, elapsed(exchange));
        throw failure;
    }

    /** Also called for a stream that failed after it started: it still counts against the endpoint. */
    public void recordFailure(Attempt attempt, UpstreamException failure, long elapsedNanos) {
        CircuitBreaker breaker = of(attempt);
        if (failure.countsAgainstProvider()) {
            breaker.onError(elapsedNanos, TimeUnit.NANOSECONDS, failure);
            stats.record(attempt.endpoint(), Outcome.FAILURE, Double.NaN, Double.NaN);
        } else {
            breaker.releasePermission();
            if (failure.status() == 429) {
                stats.record(attempt.endpoint(), Outcome.RATE_LIMITED, Double.NaN, Double.NaN);
            }
        }
    }

    private static Attempt attempt(Exchange exchange) {
        return exchange.getProperty(Attempt.PROPERTY, Attempt.class);
    }

    private static long elapsed(Exchange exchange) {
        Long started = exchange.getProperty(STARTED, Long.class);
        return started == null ? 0 : System.nanoTime() - started;
    }
}
