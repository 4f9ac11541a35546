package dev.caravan.metrics;

import dev.caravan.accounting.Generation;
import dev.caravan.catalog.Endpoint;
import dev.caravan.routing.Attempt;
import dev.caravan.routing.Plan;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Per model and provider: requests by status, tokens, cost, latency, time to first token, and
 * fallbacks; Caravan's overhead in all. Recorded once per request when its usage record is queued
 * (the record-usage step in routes/chat.camel.yaml), after the client has its answer. Labels come from
 * the catalog only (model id, provider slug, an error type), never from a key or a prompt, so
 * their number is bounded; each model-endpoint pair's meters are built once and then looked up by
 * identity, so recording builds no strings.
 */
@Component("gatewayMetrics")
public class GatewayMetrics {

    private static final Duration[] LATENCY_BUCKETS = seconds(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300);
    private static final Duration[] OVERHEAD_BUCKETS = {Duration.ofNanos(100_000), Duration.ofNanos(250_000),
            Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100)};
    private static final List<String> STATUSES = List.of("success", "error", "cancelled");

    private final MeterRegistry registry;
    private final Timer overhead;
    /** Endpoint (identity) to model id to meters: usually one model per endpoint. */
    private final Map<Endpoint, Map<String, Meters>> meters = new ConcurrentHashMap<>();
    private final Map<String, Counter> fallbacks = new ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.overhead = Timer.builder("caravan.overhead").description("Time Caravan added to a request, upstream waits excluded")
                .serviceLevelObjectives(OVERHEAD_BUCKETS).register(registry);
    }

    private final class Meters {
        final Map<String, Counter> requests = new ConcurrentHashMap<>();
        final Tags tags;
        final Counter prompt;
        final Counter completion;
        final Counter cost;
        final Timer latency;
        final Timer firstToken;

        Meters(String model, String provider) {
            tags = Tags.of("model", model, "provider", provider);
            STATUSES.forEach(this::requests);
            prompt = Counter.builder("caravan.tokens").tags(tags).tag("type", "prompt")
                    .description("Tokens by model and provider").register(registry);
            completion = Counter.builder("caravan.tokens").tags(tags).tag("type", "completion")
                    .description("Tokens by model and provider").register(registry);
            cost = Counter.builder("caravan.cost.usd").tags(tags).description("Cost charged, in USD").register(registry);
            latency = Timer.builder("caravan.request.latency").tags(tags)
                    .description("From arrival to the end of the answer").serviceLevelObjectives(LATENCY_BUCKETS)
                    .register(registry);
            firstToken = Timer.builder("caravan.time.to.first.token").tags(tags)
                    .description("From arrival to the first token (a JSON answer: the whole answer)")
                    .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
        }

        Counter requests(String status) {
            return requests.computeIfAbsent(status, s -> Counter.builder("caravan.requests").tags(tags).tag("status", s)
                    .description("Requests served, by outcome").register(registry));
        }
    }

    /** The record-usage step: the body is the generation record, left as it is. */
    public void record(Exchange exchange) {
        Generation generation = exchange.getMessage().getBody(Generation.class);
        Attempt attempt = exchange.getProperty(Attempt.PROPERTY, Attempt.class);
        if (generation == null || attempt == null) {
            return;
        }
        Meters m = meters.computeIfAbsent(attempt.endpoint(), e -> new ConcurrentHashMap<>())
                .computeIfAbsent(attempt.model().id(), id -> new Meters(id, attempt.provider().slug()));
        m.requests(generation.status()).increment();
        m.prompt.increment(generation.usage().promptTokens());
        m.completion.increment(generation.usage().completionTokens());
        m.cost.increment(generation.totalCost().doubleValue());
        RequestTimer timer = exchange.getProperty(RequestTimer.PROPERTY, RequestTimer.class);
        if (timer != null) {
            long now = System.nanoTime();
            m.latency.record(timer.elapsedNanos(now), TimeUnit.NANOSECONDS);
            if (timer.timeToFirstTokenNanos() >= 0 && !"error".equals(generation.status())) {
                m.firstToken.record(timer.timeToFirstTokenNanos(), TimeUnit.NANOSECONDS);
            }
            overhead.record(timer.overheadNanos(now), TimeUnit.NANOSECONDS);
        }
        Plan plan = exchange.getProperty(Plan.PROPERTY, Plan.class);
        if (plan != null && !plan.previousErrors().isEmpty()) {
            fallbacks(plan.previousErrors(), "error".equals(generation.status()));
        }
    }

    /** Each failed attempt that another attempt followed; when all failed, the last one had no successor. */
    private void fallbacks(List<Map<String, Object>> failed, boolean gaveUp) {
        int count = gaveUp ? failed.size() - 1 : failed.size();
        for (int i = 0; i < count; i++) {
            Map<String, Object> attempt = failed.get(i);
            String provider = String.valueOf(attempt.get("provider"));
            String code = String.valueOf(attempt.get("code"));
            fallbacks.computeIfAbsent(provider + '\n' + code, k -> Counter.builder("caravan.fallbacks")
                    .tags("provider", provider, "reason", code)
                    .description("Attempts that failed and were followed by another endpoint or model")
                    .register(registry)).increment();
        }
    }

    private static Duration[] seconds(double... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofNanos((long) (values[i] * 1e9));
        }
        return durations;
    }
}
