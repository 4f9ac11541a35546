package dev.caravan.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.accounting.PendingGenerations;
import dev.caravan.routing.CircuitBreakers;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Caravan running on a random port with the test catalog (src/test/resources/test-models.yaml),
 * talked to over real HTTP. One application context and one mock upstream serve every test class.
 * Every helper request carries an inference key created through the management API.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "caravan.catalog=src/test/resources/test-models.yaml",
        "caravan.streaming.keep-alive-interval=300ms",
        // mock/drip streams for 2 s: long enough to outlast this
        "caravan.streaming.max-duration=1700ms",
        "caravan.max-request-size=1MB",
        "caravan.circuit-breaker.wait-duration-in-open-state=2s",
        "caravan.instance-id=http-test",
        "caravan.bootstrap.management-key=" + HttpTestBase.MANAGEMENT_KEY,
        "caravan.bootstrap.credits=1000",
        "caravan.rate-limit.requests-per-minute=0",
        // the triggers: a key known before start for the inbox and the queue, a broker of this context's own
        "caravan.bootstrap.inference-key=" + HttpTestBase.TRIGGER_KEY,
        "caravan.triggers.inboxes.default.api-key=" + HttpTestBase.TRIGGER_KEY,
        "spring.activemq.broker-url=vm://caravan-http-test?broker.persistent=false&broker.useJmx=false"})
@Import(TestClock.Configuration.class)
public abstract class HttpTestBase {

    public static final String UPSTREAM_KEY = "mock-upstream-secret-key";
    /** The management key the test context starts with, as an operator would set CARAVAN_MANAGEMENT_KEY. */
    public static final String MANAGEMENT_KEY = "sk-car-test-management-key";
    /** The inference key the file inbox and the queue trigger of the test context charge. */
    public static final String TRIGGER_KEY = "sk-car-test-trigger-key";
    /** The default inbox's folders (inbox, outbox, processed) of this test run. */
    protected static final Path TRIGGER_FOLDERS = Path.of("target", "triggers-" + UUID.randomUUID());
    /** Each context has its own in-memory database. */
    private static final String DATABASE = "jdbc:h2:mem:caravan-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    /** The inference key of each running context (by port), created through POST /api/v1/keys. */
    private static final Map<Integer, String> INFERENCE_KEYS = new ConcurrentHashMap<>();
    protected static final MockUpstream UPSTREAM = start();
    /** Anthropic's and Gemini's APIs, answering with the golden fixtures. */
    protected static final FixtureUpstream FIXTURES = startFixtures();
    protected static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @LocalServerPort
    protected int port;

    @Autowired
    private CircuitBreakers circuitBreakers;

    @Autowired
    private PendingGenerations pendingGenerations;

    /** The context's database, for checking the books. */
    @Autowired
    protected JdbcTemplate db;

    @Autowired
    protected TestClock clock;

    private static MockUpstream start() {
        try {
            return new MockUpstream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FixtureUpstream startFixtures() {
        try {
            return new FixtureUpstream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void upstream(DynamicPropertyRegistry registry) {
        registry.add("MOCK_UPSTREAM_URL", UPSTREAM::baseUrl);
        registry.add("MOCK_API_KEY", () -> UPSTREAM_KEY);
        registry.add("FIXTURE_UPSTREAM_URL", FIXTURES::baseUrl);
        registry.add("spring.datasource.url", () -> DATABASE);
        registry.add("caravan.triggers.inboxes.default.directory", () -> TRIGGER_FOLDERS.resolve("inbox").toString());
        registry.add("caravan.triggers.inboxes.default.outbox", () -> TRIGGER_FOLDERS.resolve("outbox").toString());
        registry.add("caravan.triggers.inboxes.default.processed", () -> TRIGGER_FOLDERS.resolve("processed").toString());
    }

    /** The inference key every helper sends, made the way an operator makes one: with the management key. */
    protected String inferenceKey() {
        return INFERENCE_KEYS.computeIfAbsent(port, p -> createKey("{\"name\":\"tests\"}").path("key").asText());
    }

    /** POST /keys with the management key; the whole answer (data and the plaintext key). */
    protected JsonNode createKey(String body) {
        HttpResponse<String> created = post("/keys", body, "Authorization", "Bearer " + MANAGEMENT_KEY);
        if (created.statusCode() != 201) {
            throw new IllegalStateException("could not create a key: " + created.body());
        }
        return json(created.body());
    }

    @BeforeEach
    void closeAllCircuits() {
        circuitBreakers.registry().getAllCircuitBreakers().forEach(CircuitBreaker::reset);
    }

    /** Waits until the usage writer has written every finished generation (polling, at most 10 s). */
    protected void awaitWritten() {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (pendingGenerations.size() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (pendingGenerations.size() > 0) {
            throw new IllegalStateException(pendingGenerations.size() + " generations still pending");
        }
    }

    protected String baseUrl() {
        return "http://127.0.0.1:" + port + "/api/v1";
    }

    protected HttpResponse<String> post(String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (!List.of(headers).contains("Content-Type")) {
            request.header("Content-Type", "application/json");
        }
        if (!List.of(headers).contains("Authorization")) {
            request.header("Authorization", "Bearer " + inferenceKey());
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    protected HttpResponse<String> get(String path) {
        return get(path, inferenceKey());
    }

    protected HttpResponse<String> get(String path, String key) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).header("Authorization", "Bearer " + key)
                .GET().build());
    }

    protected HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A non-streaming chat request to {@code model} that must fail with this status and error type. */
    protected HttpResponse<String> assertError(String model, int status, String type) {
        HttpResponse<String> response = post("/chat/completions", chat(model, false));
        assertThat(response.statusCode()).as(model).isEqualTo(status);
        assertThat(json(response.body()).path("error").path("type").asText()).isEqualTo(type);
        return response;
    }

    protected static String chat(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
    }

    protected static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code data:} payloads of an SSE body, in order, {@code [DONE]} included. */
    protected static List<String> dataLines(String sse) {
        List<String> data = new ArrayList<>();
        for (String line : sse.split("\n")) {
            if (line.startsWith("data: ")) {
                data.add(line.substring(6));
            }
        }
        return data;
    }
}
