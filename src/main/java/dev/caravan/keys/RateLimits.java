package dev.caravan.keys;

import dev.caravan.api.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Requests per minute per key (the key's own rate_limit_rpm, else
 * {@code caravan.rate-limit.requests-per-minute}; 0 means none), counted per clock minute on
 * this instance. It protects the gateway, not money, so it needs no shared state: the ledger
 * guards spending across instances.
 */
@Component("rateLimits")
public class RateLimits {

    private final Clock clock;
    private final int defaultPerMinute;
    private final Map<String, Minute> minutes = new ConcurrentHashMap<>();
    private final Counter rejections;

    private record Minute(long index, AtomicInteger count) {
    }

    public RateLimits(Clock clock, @Value("${caravan.rate-limit.requests-per-minute:600}") int defaultPerMinute,
                      MeterRegistry meters) {
        this.clock = clock;
        this.defaultPerMinute = defaultPerMinute;
        this.rejections = Counter.builder("caravan.rate.limit.rejections")
                .description("Requests refused with 429 by a key's requests-per-minute limit").register(meters);
    }

    public void admit(Exchange exchange) {
        ApiKey key = exchange.getProperty(ApiKey.PROPERTY, ApiKey.class);
        int limit = key.rateLimitRpm() != null ? key.rateLimitRpm() : defaultPerMinute;
        if (limit <= 0) {
            return;
        }
        long nowMs = clock.millis();
        long index = nowMs / 60_000;
        Minute minute = minutes.compute(key.hash(),
                (hash, current) -> current != null && current.index() == index ? current : new Minute(index, new AtomicInteger()));
        if (minute.count().incrementAndGet() > limit) {
            long resetMs = (index + 1) * 60_000;
            rejections.increment();
            throw new Exceeded(limit, resetMs, Math.max(1, (resetMs - nowMs + 999) / 1000));
        }
    }

    /** 429 with when to come back, in OpenRouter's X-RateLimit-* headers and Retry-After. */
    static final class Exceeded extends ApiException {
        private final int limit;
        private final long resetMs;
        private final long retryAfter;

        Exceeded(int limit, long resetMs, long retryAfter) {
            super(429, "rate_limit_exceeded", "Rate limit exceeded: this key may make " + limit
                    + " requests per minute; retry in " + retryAfter + " s");
            this.limit = limit;
            this.resetMs = resetMs;
            this.retryAfter = retryAfter;
        }

        @Override
        public Map<String, String> headers() {
            return Map.of("X-RateLimit-Limit", String.valueOf(limit), "X-RateLimit-Remaining", "0",
                    "X-RateLimit-Reset", String.valueOf(resetMs));
        }

        @Override
        public Long retryAfterSeconds() {
            return retryAfter;
        }
    }
}
