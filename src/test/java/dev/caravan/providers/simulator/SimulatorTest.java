package dev.caravan.providers.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.accounting.TokenCounter;
import dev.caravan.support.HttpTestBase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The built-in simulator through Caravan's HTTP API.
 * Cases: deterministic text; exact token counts (the text's own o200k count, JSON and stream);
 * max_tokens cuts with finish_reason length; test headers for errors, mid-stream failure and length;
 * a bad test header is a 400; an answer slower than the provider's timeouts fails at them as a real
 * upstream's does (JSON: 504 timeout; stream: 504 before the first token, an error chunk after); every chunk of a stream, the usage chunk included, has one created.
 */
class SimulatorTest extends HttpTestBase {

    @Test
    void sameRequestSameAnswerWithExactTokenCounts() {
        JsonNode first = json(post("/chat/completions", chat("test/sim", false)).body());
        JsonNode second = json(post("/chat/completions", chat("test/sim", false)).body());

        String text = first.path("choices").get(0).path("message").path("content").asText();
        assertThat(second.path("choices").get(0).path("message").path("content").asText()).isEqualTo(text);
        assertThat(first.path("usage").path("completion_tokens").asInt()).isEqualTo(12).isEqualTo(TokenCounter.count(text));
    }

    @Test
    void maxTokensCutsTheAnswer() {
        String body = "{\"model\":\"test/sim\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        JsonNode answer = json(post("/chat/completions", body).body());

        assertThat(answer.path("usage").path("completion_tokens").asInt()).isEqualTo(5);
        assertThat(answer.path("choices").get(0).path("finish_reason").asText()).isEqualTo("length");
    }

    @Test
    void streamedTokensMatchTheReportedUsage() {
        List<String> data = dataLines(post("/chat/completions", chat("test/sim", true),
                "X-Caravan-Sim-Completion-Tokens", "7").body());

        long contentChunks = data.stream().filter(d -> d.contains("\"content\":\" ")).count();
        JsonNode usage = json(data.get(data.size() - 2)).path("usage");
        assertThat(contentChunks).isEqualTo(7);
        assertThat(usage.path("completion_tokens").asInt()).isEqualTo(7);
    }

    @Test
    void headersSimulateFailures() {
        assertThat(post("/chat/completions", chat("test/sim", false), "X-Caravan-Sim-Error-Rate", "1").statusCode())
                .isEqualTo(503);

        List<String> data = dataLines(post("/chat/completions", chat("test/sim", true),
                "X-Caravan-Sim-Fail-After-Tokens", "3").body());
        JsonNode errorChunk = json(data.get(data.size() - 3));
        assertThat(errorChunk.path("choices").get(0).path("finish_reason").asText()).isEqualTo("error");
        assertThat(json(data.get(data.size() - 2)).path("usage").path("completion_tokens").asInt()).isEqualTo(3);
    }

    @Test
    void badTestHeaderIsA400() {
        HttpResponse<String> response = post("/chat/completions", chat("test/sim", false), "X-Caravan-Sim-Latency-Ms", "soon");

        assertThat(response.statusCode()).isEqualTo(400);
    }

    @Test
    void everyChunkOfAStreamHasTheSameCreated() {
        // the first token comes over a second after the stream began: in another second than Caravan's clock read
        List<String> data = dataLines(post("/chat/completions", chat("test/sim", true),
                "X-Caravan-Sim-Latency-Ms", "1100").body());

        List<Long> created = data.subList(0, data.size() - 1).stream().map(d -> json(d).path("created").asLong())
                .distinct().toList();
        assertThat(json(data.get(data.size() - 2)).has("usage")).isTrue();
        assertThat(created).hasSize(1);
    }

    @Test
    void aJsonAnswerSlowerThanTheProvidersTimeoutFailsAtItAsAnUpstreamTimeout() {
        // test/sim-impatient's provider gives up after 300 ms; these answers would take hours
        for (String header : new String[] {"X-Caravan-Sim-Latency-Ms:999999999", "X-Caravan-Sim-Tokens-Per-Second:0.0001"}) {
            String[] slow = header.split(":");
            // bounded: a simulator that ignored its timeout would hold this request for hours
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/chat/completions"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + inferenceKey())
                    .header(slow[0], slow[1]).timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(chat("test/sim-impatient", false))).build());

            assertThat(response.statusCode()).as(header).isEqualTo(504);
            JsonNode error = json(response.body()).path("error");
            assertThat(error.path("type").asText()).isEqualTo("timeout");
            assertThat(error.path("message").asText()).isEqualTo("Simulator Impatient did not answer in time");
        }
        assertThat(post("/chat/completions", chat("test/sim-impatient", false), "X-Caravan-Sim-Latency-Ms", "100")
                .statusCode()).isEqualTo(200);
    }

    @Test
    void aStreamSlowerThanTheProvidersTimeoutsFailsAtThem() {
        HttpResponse<String> late = post("/chat/completions", chat("test/sim-impatient", true),
                "X-Caravan-Sim-Latency-Ms", "999999999");
        assertThat(late.statusCode()).isEqualTo(504);
        assertThat(json(late.body()).path("error").path("type").asText()).isEqualTo("timeout");

        // only the opening chunk (the role) comes before the stall: the answer has not begun, so the
        // stream can still fail as a whole (and fall back); a stall after content ends it with an
        // error chunk instead (OpenAiUpstreamTest)
        HttpResponse<String> stalled = post("/chat/completions", chat("test/sim-impatient", true),
                "X-Caravan-Sim-Tokens-Per-Second", "0.0001");
        assertThat(stalled.statusCode()).isEqualTo(504);
        assertThat(json(stalled.body()).path("error").path("type").asText()).isEqualTo("timeout");
    }
}
