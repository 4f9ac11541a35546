package dev.caravan.support;

import dev.caravan.accounting.Attribution;
import dev.caravan.accounting.Generation;
import dev.caravan.accounting.Usage;
import java.math.BigDecimal;
import java.time.Instant;

/** Generation records as the settle step makes them, for tests and benchmarks of the usage writer. */
public final class Generations {

    private Generations() {
    }

    /** A streamed or JSON success of the simulator that cost {@code cost}. */
    public static Generation settled(String id, BigDecimal cost, boolean streamed) {
        return settled(id, cost, streamed, "stop");
    }

    /** The same, with the provider's own finish reason as given. */
    public static Generation settled(String id, BigDecimal cost, boolean streamed, String nativeFinishReason) {
        return new Generation(id, Instant.now(), "bench", "default", "test/sim", "Caravan Simulator", "sim", "success",
                200, null, streamed, false, "stop", nativeFinishReason, new Usage(24, 120, 0, 0, 0, false), cost,
                new BigDecimal("0.0105"), 420L, 380L, new Attribution("https://example.com", "Bench", null, "session-1"),
                "bench", false);
    }
}
