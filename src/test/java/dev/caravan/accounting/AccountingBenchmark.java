package dev.caravan.accounting;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;
import dev.caravan.api.ChatRequest;
import dev.caravan.api.ChatRequests;
import dev.caravan.api.GenerationIds;
import dev.caravan.api.Responses;
import dev.caravan.keys.KeyAuthenticator;
import dev.caravan.routing.Attempt;
import dev.caravan.routing.Plan;
import dev.caravan.routing.Planner;
import dev.caravan.support.CaravanInstance;
import dev.caravan.support.Http;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What accounting adds to each request (issue 5: at most 0.3 ms p50): the authenticate, reserve
 * and record steps of routes/chat.camel.yaml, as the route calls them, and the settle of
 * routes/usage.camel.yaml for one record, against the H2 file database of a whole Caravan started
 * in this JVM. The plan and the answer's charge are made once (planning has its own benchmark);
 * the settled record is handed on as the usage writer would.
 * Run with bench/accounting.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AccountingBenchmark {

    private CaravanInstance caravan;
    private CamelContext camel;
    private KeyAuthenticator keyAuth;
    private Credits credits;
    private PendingGenerations pending;
    private String key;
    private ChatRequest request;
    private Plan plan;
    private Charge charge;

    @Setup
    public void setUp() throws Exception {
        Path dir = Files.createTempDirectory("caravan-bench");
        caravan = new CaravanInstance("bench", "jdbc:h2:file:" + dir.resolve("caravan"), Map.of());
        camel = caravan.bean(CamelContext.class);
        keyAuth = caravan.bean(KeyAuthenticator.class);
        credits = caravan.bean(Credits.class);
        pending = caravan.bean(PendingGenerations.class);
        key = Http.createKey(caravan.baseUrl(), "{\"name\":\"bench\",\"limit\":100000}").path("key").asText();
        request = ChatRequest.of((ObjectNode) Json.MAPPER.readTree("""
                {"model":"test/sim","max_tokens":300,
                 "messages":[{"role":"system","content":"You are terse."},
                             {"role":"user","content":"Plan a three-day trip along the old silk road."}]}"""));
        Exchange planning = new DefaultExchange(camel);
        planning.setProperty(ChatRequests.CHAT_REQUEST, request);
        caravan.bean(Planner.class).plan(planning);
        plan = planning.getProperty(Plan.PROPERTY, Plan.class);
        charge = new Charge(new Usage(24, 120, 0, 0, 0, false), new BigDecimal("0.000372"), "stop", "stop");
    }

    @Benchmark
    public Generation authenticateReserveSettle() {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeader("Authorization", "Bearer " + key);
        exchange.setProperty(Responses.GENERATION_ID, GenerationIds.next());
        exchange.setProperty(ChatRequests.CHAT_REQUEST, request);
        exchange.setProperty(Plan.PROPERTY, plan);
        keyAuth.inference(exchange);
        credits.reserve(exchange);
        exchange.setProperty(Attempt.PROPERTY, plan.planned().get(0));
        exchange.setProperty(Charge.PROPERTY, charge);
        Generation generation = credits.record(exchange);
        credits.settle(List.of(generation));
        pending.written(List.of(generation));
        return generation;
    }

    /** What the usage writer does with settled reservations, so that the table stays its usual size. */
    @TearDown(Level.Iteration)
    public void forgetSettledReservations() {
        caravan.db().update("DELETE FROM reservations WHERE charged IS NOT NULL");
    }

    @TearDown
    public void tearDown() {
        caravan.close();
    }
}
