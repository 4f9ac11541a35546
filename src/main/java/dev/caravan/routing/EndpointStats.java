package dev.caravan.routing;

import dev.caravan.catalog.Endpoint;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Live stats per endpoint, on this instance: outcomes, time to first token and throughput over
 * the last 30 minutes. They feed {@code sort}, the outage rule and the /endpoints view. Each
 * endpoint's summary is recomputed at most once a second, whatever the traffic, so planning
 * reads it for free (a summary sorts up to {@value #MAX_SAMPLES} samples).
 */
@Component
public class EndpointStats implements EndpointHealth {

    public enum Outcome { SUCCESS, FAILURE, RATE_LIMITED }

    static final long WINDOW_MS = 30 * 60_000;
    static final long OUTAGE_WINDOW_MS = 30_000;
    private static final int MAX_SAMPLES = 4096;

    private record Sample(long at, Outcome outcome, double latencyMs, double tokensPerSecond) {
    }

    /** An endpoint's recent behaviour, as served by /endpoints and read by the planner. */
    public record Summary(Double uptimePercent, double[] latency, double[] throughput, boolean outageSamples,
                          boolean recentFailure, long computedAt) {
    }

    private static final class Window {
        final ArrayDeque<Sample> samples = new ArrayDeque<>();
        volatile Summary summary;
    }

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final CircuitBreakerRegistry breakers;
    private final Clock clock;

    public EndpointStats(CircuitBreakerRegistry breakers, Clock clock) {
        this.breakers = breakers;
        this.clock = clock;
    }

    /** {@code latencyMs} and {@code tokensPerSecond} are NaN when not measured. */
    public void record(Endpoint endpoint, Outcome outcome, double latencyMs, double tokensPerSecond) {
        Window window = windows.computeIfAbsent(endpoint.key(), k -> new Window());
        synchronized (window) {
            window.samples.addLast(new Sample(clock.millis(), outcome, latencyMs, tokensPerSecond));
            if (window.samples.size() > MAX_SAMPLES) {
                window.samples.removeFirst();
            }
        }
    }

    public Summary summary(Endpoint endpoint) {
        Window window = windows.get(endpoint.key());
        if (window == null) {
            return null;
        }
        Summary summary = window.summary;
        long now = clock.millis();
        if (summary == null || now - summary.computedAt() > 1000) {
            summary = summarize(window, now);
            window.summary = summary;
        }
        return summary;
    }

    @Override
    public boolean inOutage(Endpoint endpoint) {
        CircuitBreaker breaker = breakers.find(endpoint.key()).orElse(null);
        if (breaker != null && breaker.getState() == CircuitBreaker.State.OPEN) {
            return true;
        }
        Summary summary = summary(endpoint);
        return summary != null && summary.outageSamples();
    }

    @Override
    public boolean recentlyFailing(Endpoint endpoint) {
        Summary summary = summary(endpoint);
        return summary != null && summary.recentFailure();
    }

    @Override
    public Double throughput(Endpoint endpoint) {
        Summary summary = summary(endpoint);
        return summary == null || summary.throughput().length == 0 ? null : summary.throughput()[0];
    }

    @Override
    public Double latency(Endpoint endpoint) {
        Summary summary = summary(endpoint);
        return summary == null || summary.latency().length == 0 ? null : summary.latency()[0];
    }

    /** Forgets everything (tests). */
    public void clear() {
        windows.clear();
    }

    private static Summary summarize(Window window, long now) {
        Sample[] samples;
        synchronized (window) {
            while (!window.samples.isEmpty() && now - window.samples.peekFirst().at() > WINDOW_MS) {
                window.samples.removeFirst();
            }
            samples = window.samples.toArray(new Sample[0]);
        }
        int counted = 0;
        int succeeded = 0;
        int recent = 0;
        int recentFailed = 0;
        double[] latencies = new double[samples.length];
        double[] throughputs = new double[samples.length];
        int l = 0;
        int t = 0;
        for (Sample sample : samples) {
            if (sample.outcome() != Outcome.RATE_LIMITED) {
                counted++;
                succeeded += sample.outcome() == Outcome.SUCCESS ? 1 : 0;
                if (now - sample.at() <= OUTAGE_WINDOW_MS) {
                    recent++;
                    recentFailed += sample.outcome() == Outcome.FAILURE ? 1 : 0;
                }
            }
            if (!Double.isNaN(sample.latencyMs())) {
                latencies[l++] = sample.latencyMs();
            }
            if (!Double.isNaN(sample.tokensPerSecond())) {
                throughputs[t++] = sample.tokensPerSecond();
            }
        }
        return new Summary(counted == 0 ? null : 100.0 * succeeded / counted, percentiles(latencies, l),
                percentiles(throughputs, t), recent >= 3 && recentFailed * 2 >= recent, recentFailed > 0, now);
    }

    /** p50, p75, p90, p99 of the first {@code count} values; empty without data. */
    private static double[] percentiles(double[] values, int count) {
        if (count == 0) {
            return new double[0];
        }
        double[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        double[] result = new double[4];
        double[] ranks = {0.50, 0.75, 0.90, 0.99};
        for (int i = 0; i < ranks.length; i++) {
            result[i] = sorted[Math.min(count - 1, (int) Math.ceil(ranks[i] * count) - 1)];
        }
        return result;
    }
}
