package dev.caravan.routing;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Keeps a session's follow-up requests of one model on the endpoint that served it (provider
 * caches stay warm), for {@value #IDLE_MS} ms of idleness. The planner honours it only while
 * the endpoint is healthy and eligible.
 */
@Component
public class StickySessions {

    static final long IDLE_MS = 10 * 60_000;

    private record Binding(String endpoint, long lastUsed) {
    }

    private final Map<String, Binding> bindings = new ConcurrentHashMap<>();
    private final Clock clock;

    public StickySessions(Clock clock) {
        this.clock = clock;
    }

    public String endpointFor(String session, String model) {
        if (session == null) {
            return null;
        }
        Binding binding = bindings.get(session + '\n' + model);
        return binding == null || clock.millis() - binding.lastUsed() > IDLE_MS ? null : binding.endpoint();
    }

    public void served(String session, String model, String endpoint) {
        if (session == null) {
            return;
        }
        long now = clock.millis();
        bindings.put(session + '\n' + model, new Binding(endpoint, now));
        if (bindings.size() > 100_000) {
            bindings.values().removeIf(b -> now - b.lastUsed() > IDLE_MS);
        }
    }
}
