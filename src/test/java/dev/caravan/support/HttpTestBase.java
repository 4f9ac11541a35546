package dev.caravan.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.routing.CircuitBreakers;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Caravan running on a random port with the test catalog (src/test/resources/test-models.yaml),
 * talked to over real HTTP. One application context and one mock upstream serve every test class.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "caravan.catalog=src/test/resources/test-models.yaml",
        "caravan.streaming.keep-alive-interval=300ms",
        "caravan.max-request-size=1MB",
        "caravan.circuit-breaker.wait-duration-in-open-state=2s"})
public abstract class HttpTestBase {

    public static final String UPSTREAM_KEY = "mock-upstream-secret-key";
    protected static final MockUpstream UPSTREAM = start();
    /** Anthropic's and Gemini's APIs, answering with the golden fixtures. */
    protected static final FixtureUpstream FIXTURES = startFixtures();
    protected static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @LocalServerPort
    protected int port;

    @Autowired
    private CircuitBreakers circuitBreakers;

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
    }

    @BeforeEach
    void closeAllCircuits() {
        circuitBreakers.registry().getAllCircuitBreakers().forEach(CircuitBreaker::reset);
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
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    protected HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET().build());
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
