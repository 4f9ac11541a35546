package dev.caravan.metrics;

import dev.caravan.accounting.PendingGenerations;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.seda.SedaEndpoint;
import org.springframework.stereotype.Component;

/**
 * Gauges read when Prometheus scrapes, so they cost requests nothing: each endpoint's circuit
 * state (1 for the state it is in, per state, as resilience4j-micrometer does) and the usage
 * writer's backlog (records queued for it, and records not yet in the database).
 */
@Component
public class StateGauges {

    private static final CircuitBreaker.State[] STATES = {CircuitBreaker.State.CLOSED, CircuitBreaker.State.OPEN,
            CircuitBreaker.State.HALF_OPEN};

    private final MeterRegistry registry;

    public StateGauges(MeterRegistry registry, CircuitBreakerRegistry breakers, CamelContext camel,
                       PendingGenerations pending) {
        this.registry = registry;
        breakers.getAllCircuitBreakers().forEach(this::register);
        breakers.getEventPublisher().onEntryAdded(event -> register(event.getAddedEntry()));
        Gauge.builder("caravan.usage.queue", camel, StateGauges::usageQueue)
                .description("Generation records queued for the usage writer (seda:usage)").register(registry);
        Gauge.builder("caravan.usage.pending", pending, PendingGenerations::size)
                .description("Finished generations not yet written to the database").register(registry);
    }

    private void register(CircuitBreaker breaker) {
        for (CircuitBreaker.State state : STATES) {
            Gauge.builder("caravan.circuit.state", breaker, b -> b.getState() == state ? 1 : 0)
                    .tag("endpoint", breaker.getName()).tag("state", state.name().toLowerCase())
                    .description("1 when the endpoint's circuit breaker is in this state").register(registry);
        }
    }

    private static double usageQueue(CamelContext camel) {
        return camel.getEndpoints().stream().filter(e -> e instanceof SedaEndpoint seda && "usage".equals(seda.getEndpointBaseUri().replace("seda://", "")))
                .mapToInt(e -> ((SedaEndpoint) e).getCurrentQueueSize()).findFirst().orElse(0);
    }
}
