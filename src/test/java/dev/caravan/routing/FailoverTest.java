package dev.caravan.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.support.HttpTestBase;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Faults end to end: each fallback/* model has a failing endpoint on provider "mock" (tried first
 * through provider.order) and a healthy one on "mock-b".
 * Cases: a 500, a timeout, a 429 with Retry-After, a stream that stalls before its first token and
 * one that fails before any content all end in a complete answer from the healthy provider; a
 * stream that failed after content went out ends with an error chunk and is never spliced with
 * another provider's answer; the models list falls back to the next model and names it; pinning
 * with allow_fallbacks false returns the pinned provider's error with previous_errors; a circuit
 * opens after its threshold, stays open, half-opens after its wait and closes on success.
 */
class FailoverTest extends HttpTestBase {

    @Autowired
    private CircuitBreakers circuitBreakers;

    @AfterEach
    void heal() {
        UPSTREAM.failing("flaky", false);
    }

    private static String pinnedFirst(String model, boolean stream, String extra) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"provider\":{\"order\":[\"mock\"]" + extra
                + "},\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
    }

    @Test
    void jsonFailuresFallBackToTheHealthyProvider() {
        for (String model : List.of("fallback/mixed", "fallback/slow", "fallback/limited")) {
            HttpResponse<String> response = post("/chat/completions", pinnedFirst(model, false, ""));

            assertThat(response.statusCode()).as(model + ": " + response.body()).isEqualTo(200);
            JsonNode body = json(response.body());
            assertThat(body.path("provider").asText()).isEqualTo("Mock B");
            assertThat(body.path("model").asText()).isEqualTo(model);
            assertThat(body.path("choices").get(0).path("message").path("content").asText()).isEqualTo("Hello from the mock");
        }
    }

    @Test
    void streamsFallBackBeforeAnyContentAndAreNeverSpliced() {
        for (String model : List.of("fallback/mixed", "fallback/stall", "fallback/early-error", "fallback/limited")) {
            HttpResponse<String> response = post("/chat/completions", pinnedFirst(model, true, ""));

            assertThat(response.statusCode()).as(model).isEqualTo(200);
            List<JsonNode> chunks = chunks(response.body());
            assertThat(content(chunks)).as(model).isEqualTo("word0 word1 word2");
            assertThat(chunks).allSatisfy(c -> assertThat(c.path("provider").asText()).isEqualTo("Mock B"));
            assertThat(chunks.stream().map(c -> c.path("id").asText()).distinct()).hasSize(1);
            assertThat(response.body()).doesNotContain("\"error\"");
        }
    }

    @Test
    void streamThatFailedAfterContentEndsWithAnErrorNotAnotherAnswer() {
        HttpResponse<String> response = post("/chat/completions", pinnedFirst("fallback/mid-error", true, ""));

        List<JsonNode> chunks = chunks(response.body());
        assertThat(content(chunks)).isEqualTo("word0 word1");
        assertThat(chunks).noneMatch(c -> c.path("provider").asText().equals("Mock B"));
        assertThat(chunks.get(chunks.size() - 2).path("choices").get(0).path("finish_reason").asText()).isEqualTo("error");
    }

    @Test
    void modelsListFallsBackAndNamesTheModelUsed() {
        String body = "{\"models\":[\"mock/status-500\",\"mock/echo\"],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        JsonNode answer = json(post("/chat/completions", body).body());

        assertThat(answer.path("model").asText()).isEqualTo("mock/echo");
        assertThat(answer.path("usage").path("cost").decimalValue()).isPositive();
    }

    @Test
    void pinnedProviderWithoutFallbacksReturnsItsOwnError() {
        int before = UPSTREAM.calls("echo");
        HttpResponse<String> response = post("/chat/completions",
                pinnedFirst("fallback/mixed", false, ",\"allow_fallbacks\":false"));

        assertThat(response.statusCode()).isEqualTo(502);
        JsonNode previous = json(response.body()).path("error").path("metadata").path("previous_errors");
        assertThat(previous).hasSize(1);
        assertThat(previous.get(0).path("provider").asText()).isEqualTo("mock");
        assertThat(previous.get(0).path("status").asInt()).isEqualTo(502);
        assertThat(UPSTREAM.calls("echo")).isEqualTo(before);
    }

    @Test
    void everyAttemptFailingListsThemAll() {
        String body = "{\"models\":[\"mock/status-500\",\"mock/status-503\"],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        JsonNode error = json(post("/chat/completions", body).body()).path("error");

        assertThat(error.path("code").asInt()).isEqualTo(503);
        assertThat(error.path("metadata").path("previous_errors")).extracting(e -> e.path("model").asText())
                .containsExactly("mock/status-500", "mock/status-503");
    }

    @Test
    void lastCandidateIsRetriedOnceAfterItsRetryAfter() {
        int before = UPSTREAM.calls("status-429");
        HttpResponse<String> response = post("/chat/completions", chat("mock/status-429", false));

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(UPSTREAM.calls("status-429") - before).isEqualTo(2);
        assertThat(json(response.body()).path("error").path("metadata").path("previous_errors")).hasSize(2);
    }

    @Test
    void sessionStaysOnItsEndpoint() {
        String body = "{\"model\":\"fallback/mixed\",\"session_id\":\"trip-42\",\"provider\":{\"ignore\":[\"mock\"]},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        assertThat(json(post("/chat/completions", body).body()).path("provider").asText()).isEqualTo("Mock B");

        // without the ignore, the cheaper failing endpoint would be drawn about 4 times in 5
        String followUp = "{\"model\":\"fallback/mixed\",\"messages\":[{\"role\":\"user\",\"content\":\"more\"}]}";
        int failing = UPSTREAM.calls("status-500");
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = post("/chat/completions", followUp, "x-session-id", "trip-42");
            assertThat(json(response.body()).path("provider").asText()).isEqualTo("Mock B");
        }
        assertThat(UPSTREAM.calls("status-500")).isEqualTo(failing);
    }

    @Test
    void circuitOpensHalfOpensAndCloses() throws Exception {
        UPSTREAM.failing("flaky", true);
        for (int i = 0; i < 5; i++) {
            assertThat(post("/chat/completions", chat("fallback/flaky", false)).statusCode()).isEqualTo(502);
        }
        CircuitBreaker breaker = circuitBreakers.registry().circuitBreaker("mock/flaky");
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        int calls = UPSTREAM.calls("flaky");
        assertThat(post("/chat/completions", chat("fallback/flaky", false)).statusCode()).isEqualTo(503);
        assertThat(UPSTREAM.calls("flaky")).isEqualTo(calls);

        UPSTREAM.failing("flaky", false);
        Thread.sleep(2100); // caravan.circuit-breaker.wait-duration-in-open-state in HttpTestBase
        assertThat(post("/chat/completions", chat("fallback/flaky", false)).statusCode()).isEqualTo(200);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(post("/chat/completions", chat("fallback/flaky", false)).statusCode()).isEqualTo(200);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    private static List<JsonNode> chunks(String sse) {
        List<String> data = dataLines(sse);
        assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
        return data.subList(0, data.size() - 1).stream().map(HttpTestBase::json).toList();
    }

    private static String content(List<JsonNode> chunks) {
        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> c.path("choices").forEach(choice -> text.append(choice.path("delta").path("content").asText(""))));
        return text.toString();
    }
}
