package dev.caravan.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.accounting.TokenCounter;
import dev.caravan.support.FixtureUpstream;
import dev.caravan.support.HttpTestBase;
import dev.caravan.support.MockUpstream;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * POST /embeddings end to end. Cases: the simulator (same input, same unit vector; dimensions;
 * a batch; token arrays; base64), its cost charged to the key and recorded; an OpenAI-compatible
 * upstream (what it is sent, vectors put back in input order, its usage priced, base64 both
 * ways); Gemini's batchEmbedContents (path, key header, outputDimensionality, counted usage);
 * the /v1 alias; errors in the envelope: a chat model asked for embeddings, an embedding model
 * asked to chat, a missing input, no key.
 */
class EmbeddingsTest extends HttpTestBase {

    private JsonNode embed(String body) {
        HttpResponse<String> response = post("/embeddings", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response.body());
    }

    @Test
    void theSimulatorGivesTheSameUnitVectorForTheSameInput() {
        JsonNode first = embed("{\"model\":\"test/embed\",\"input\":\"The quick brown fox\"}");
        JsonNode again = embed("{\"model\":\"test/embed\",\"input\":[\"The quick brown fox\",\"jumps\"]}");

        assertThat(first.path("object").asText()).isEqualTo("list");
        assertThat(first.path("id").asText()).startsWith("gen-");
        assertThat(first.path("model").asText()).isEqualTo("test/embed");
        assertThat(first.path("provider").asText()).isEqualTo("Caravan Simulator");
        JsonNode vector = first.path("data").path(0).path("embedding");
        assertThat(first.path("data").path(0).path("object").asText()).isEqualTo("embedding");
        assertThat(vector).hasSize(256);
        assertThat(norm(vector)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(again.path("data")).hasSize(2);
        assertThat(again.path("data").path(0).path("embedding")).isEqualTo(vector);
        assertThat(again.path("data").path(1).path("index").asInt()).isEqualTo(1);
        assertThat(again.path("data").path(1).path("embedding")).isNotEqualTo(vector);
    }

    @Test
    void dimensionsTokenArraysAndBase64AreHonoured() {
        JsonNode floats = embed("{\"model\":\"test/embed\",\"input\":[[791,4062]],\"dimensions\":8}");
        JsonNode base64 = embed("{\"model\":\"test/embed\",\"input\":[791,4062],\"dimensions\":8,"
                + "\"encoding_format\":\"base64\"}");

        assertThat(floats.path("data").path(0).path("embedding")).hasSize(8);
        assertThat(floats.path("usage").path("prompt_tokens").asInt()).isEqualTo(2);
        float[] decoded = EmbeddingAnswers.floats(base64.path("data").path(0).path("embedding").asText());
        assertThat(EmbeddingAnswers.array(decoded).toString()).isEqualTo(floats.path("data").path(0).path("embedding").toString());
    }

    @Test
    void theCostIsThePromptTokensAtThePromptPriceAndIsChargedAndRecorded() {
        JsonNode key = createKey("{\"name\":\"embeddings\"}");
        String input = "Embeddings are charged by their prompt tokens";
        HttpResponse<String> response = post("/embeddings", "{\"model\":\"test/embed\",\"input\":[\"" + input
                + "\",\"" + input + "\"],\"user\":\"alice\"}", "Authorization", "Bearer " + key.path("key").asText());

        JsonNode answer = json(response.body());
        long tokens = 2L * TokenCounter.count(input);
        assertThat(answer.path("usage").path("prompt_tokens").asLong()).isEqualTo(tokens);
        assertThat(answer.path("usage").path("total_tokens").asLong()).isEqualTo(tokens);
        BigDecimal cost = new BigDecimal("0.000001").multiply(BigDecimal.valueOf(tokens));
        assertThat(answer.path("usage").path("cost").decimalValue()).isEqualByComparingTo(cost);
        JsonNode generation = json(get("/generation?id=" + answer.path("id").asText(), key.path("key").asText()).body())
                .path("data");
        assertThat(generation.path("total_cost").decimalValue()).isEqualByComparingTo(cost);
        assertThat(generation.path("tokens_prompt").asLong()).isEqualTo(tokens);
        assertThat(generation.path("model").asText()).isEqualTo("test/embed");
        awaitWritten();
        assertThat(db.queryForObject("SELECT spent FROM api_keys WHERE hash = ?", BigDecimal.class,
                key.path("data").path("hash").asText())).isEqualByComparingTo(cost);
    }

    @Test
    void anOpenAiCompatibleUpstreamIsCalledAndItsUsagePriced() {
        JsonNode answer = embed("{\"model\":\"mock/embed\",\"input\":[\"one\",\"two\"],\"dimensions\":3,"
                + "\"user\":\"alice\",\"provider\":{\"allow_fallbacks\":false}}");

        MockUpstream.Recorded sent = UPSTREAM.last("embed");
        assertThat(sent.headers.get("authorization")).isEqualTo("Bearer " + UPSTREAM_KEY);
        assertThat(sent.body.path("input").toString()).isEqualTo("[\"one\",\"two\"]");
        assertThat(sent.body.path("dimensions").asInt()).isEqualTo(3);
        assertThat(sent.body.path("encoding_format").asText()).isEqualTo("float");
        assertThat(sent.body.path("user").asText()).hasSize(64).isNotEqualTo("alice");
        assertThat(sent.body.has("provider")).isFalse();
        assertThat(answer.path("data").path(0).path("embedding").path(0).asDouble()).isEqualTo(1.0);
        assertThat(answer.path("data").path(1).path("embedding").path(0).asDouble()).isEqualTo(2.0);
        assertThat(answer.path("provider").asText()).isEqualTo("Mock Upstream");
        assertThat(answer.path("usage").path("prompt_tokens").asInt()).isEqualTo(10);
        assertThat(answer.path("usage").path("cost").decimalValue()).isEqualByComparingTo("0.00002");
    }

    @Test
    void base64FromAnUpstreamIsPassedOn() {
        JsonNode answer = embed("{\"model\":\"mock/embed\",\"input\":\"one\",\"encoding_format\":\"base64\"}");

        assertThat(UPSTREAM.last("embed").body.path("encoding_format").asText()).isEqualTo("base64");
        assertThat(EmbeddingAnswers.floats(answer.path("data").path(0).path("embedding").asText()))
                .containsExactly(1f, 0.5f, 0.25f);
    }

    @Test
    void geminiIsCalledWithBatchEmbedContents() {
        HttpResponse<String> response = send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/v1/embeddings"))
                .header("Authorization", "Bearer " + inferenceKey()).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"mock/embed-gemini\",\"input\":[\"first text\",\"second text\"],\"dimensions\":4}"))
                .build());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = json(response.body());
        FixtureUpstream.Recorded sent = FIXTURES.last("gemini", "embed");
        assertThat(sent.path()).endsWith("/models/embed:batchEmbedContents");
        assertThat(sent.headers().get("x-goog-api-key")).isEqualTo(UPSTREAM_KEY);
        assertThat(sent.body().path("requests").path(1).path("content").path("parts").path(0).path("text").asText())
                .isEqualTo("second text");
        assertThat(sent.body().path("requests").path(0).path("model").asText()).isEqualTo("models/embed");
        assertThat(sent.body().path("requests").path(0).path("outputDimensionality").asInt()).isEqualTo(4);
        assertThat(answer.path("data").path(1).path("embedding").path(0).asDouble()).isEqualTo(-0.0311);
        long tokens = TokenCounter.count("first text") + TokenCounter.count("second text");
        assertThat(answer.path("usage").path("prompt_tokens").asLong()).isEqualTo(tokens);
        assertThat(answer.path("usage").path("cost").decimalValue())
                .isEqualByComparingTo(new BigDecimal("0.000003").multiply(BigDecimal.valueOf(tokens)));
    }

    @Test
    void modelsThatDoNotOutputWhatIsAskedAreNotRouted() {
        HttpResponse<String> chatModel = post("/embeddings", "{\"model\":\"test/sim\",\"input\":\"hi\"}");
        HttpResponse<String> embedModel = post("/chat/completions", chat("test/embed", false));

        assertThat(chatModel.statusCode()).isEqualTo(404);
        assertThat(json(chatModel.body()).path("error").path("message").asText()).contains("does not output embeddings");
        assertThat(embedModel.statusCode()).isEqualTo(404);
        assertThat(json(embedModel.body()).path("error").path("message").asText()).contains("does not output text");
    }

    @Test
    void badRequestsGetTheErrorEnvelope() {
        HttpResponse<String> noInput = post("/embeddings", "{\"model\":\"test/embed\"}");
        HttpResponse<String> badFormat = post("/embeddings", "{\"model\":\"test/embed\",\"input\":\"x\",\"encoding_format\":\"int8\"}");
        HttpResponse<String> noKey = post("/embeddings", "{\"model\":\"test/embed\",\"input\":\"x\"}", "Authorization", "Bearer nope");

        assertThat(noInput.statusCode()).isEqualTo(400);
        assertThat(json(noInput.body()).path("error").path("param").asText()).isEqualTo("input");
        assertThat(badFormat.statusCode()).isEqualTo(400);
        assertThat(json(badFormat.body()).path("error").path("code").asInt()).isEqualTo(400);
        assertThat(noKey.statusCode()).isEqualTo(401);
    }

    private static double norm(JsonNode vector) {
        double sum = 0;
        for (JsonNode value : vector) {
            sum += value.asDouble() * value.asDouble();
        }
        return Math.sqrt(sum);
    }
}
