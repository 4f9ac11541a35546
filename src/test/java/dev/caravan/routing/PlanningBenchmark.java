package dev.caravan.routing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;
import dev.caravan.api.ChatRequest;
import dev.caravan.catalog.Catalog;
import dev.caravan.catalog.CatalogLoader;
import dev.caravan.catalog.Endpoint;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What planning adds to each request (issue: at most 50 µs p99): reading the provider
 * preferences and the request's needs, then building the plan over the shipped catalog with
 * every provider keyed and live stats present. Run with bench/plan.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PlanningBenchmark {

    private PlanBuilder builder;
    private List<PlanBuilder.Candidate> candidates;
    private ChatRequest request;

    @Setup
    public void setUp() throws Exception {
        Catalog catalog = new CatalogLoader(s -> s, name -> "key").load(Path.of("config/models.yaml"));
        EndpointStats stats = new EndpointStats(CircuitBreakerRegistry.ofDefaults(), Clock.systemUTC());
        for (var model : catalog.models()) {
            for (Endpoint endpoint : model.endpoints()) {
                for (int i = 0; i < 200; i++) {
                    stats.record(endpoint, i % 10 == 0 ? EndpointStats.Outcome.FAILURE : EndpointStats.Outcome.SUCCESS,
                            200 + i, 50 + i % 30);
                }
            }
        }
        builder = new PlanBuilder(stats, ThreadLocalRandom.current());
        candidates = List.of(new PlanBuilder.Candidate(catalog.model("openai/gpt-4o-mini"), null),
                new PlanBuilder.Candidate(catalog.model("anthropic/claude-sonnet-4"), null));
        request = ChatRequest.of((ObjectNode) Json.MAPPER.readTree("""
                {"model":"openai/gpt-4o-mini","models":["anthropic/claude-sonnet-4"],"temperature":0.2,
                 "max_tokens":300,"provider":{"ignore":["groq"],"max_price":{"prompt":10}},
                 "messages":[{"role":"system","content":"You are terse."},
                             {"role":"user","content":"Plan a three-day trip along the old silk road."}]}"""));
    }

    @Benchmark
    public List<Attempt> plan() {
        ProviderPreferences preferences = ProviderPreferences.of(request.body().get("provider"));
        return builder.build(candidates, RequestFacts.needs(request), preferences, null);
    }
}
