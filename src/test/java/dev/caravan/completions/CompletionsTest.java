package dev.caravan.completions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.support.HttpTestBase;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Legacy POST /completions end to end, served by the simulator through the chat pipeline.
 * Cases: a string prompt answers the same text as the chat endpoint in the text_completion shape,
 * charged its usage.cost; an array of one prompt; several prompts (a choice and a generation each,
 * usage summed, each charged) and their refused stream; a failing prompt's error as the answer,
 * naming the generations charged; max_tokens on the /v1
 * alias (finish_reason length); a stream of text_completion chunks, the usage chunk, [DONE];
 * a stream that breaks (the error chunk); errors in the envelope.
 */
class CompletionsTest extends HttpTestBase {

    private static final String PROMPT = "{\"model\":\"test/sim\",\"prompt\":\"Say hello\"";

    @Test
    void aPromptIsAnsweredInTheTextCompletionShapeAndCharged() {
        JsonNode key = createKey("{\"name\":\"completions\"}");
        HttpResponse<String> response = post("/completions", PROMPT + "}", "Authorization",
                "Bearer " + key.path("key").asText());
        String chatText = json(post("/chat/completions", chat("test/sim", false)).body())
                .path("choices").path(0).path("message").path("content").asText();

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = json(response.body());
        assertThat(answer.path("object").asText()).isEqualTo("text_completion");
        assertThat(answer.path("id").asText()).startsWith("gen-")
                .isEqualTo(response.headers().firstValue("X-Generation-Id").orElseThrow());
        assertThat(answer.path("model").asText()).isEqualTo("test/sim");
        JsonNode choice = answer.path("choices").path(0);
        assertThat(choice.path("text").asText()).isEqualTo(chatText).isNotBlank();
        assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
        assertThat(choice.has("message")).isFalse();
        assertThat(answer.path("usage").path("completion_tokens").asInt()).isEqualTo(12);
        BigDecimal cost = answer.path("usage").path("cost").decimalValue();
        assertThat(cost).isPositive();
        JsonNode generation = json(get("/generation?id=" + answer.path("id").asText(), key.path("key").asText()).body())
                .path("data");
        assertThat(generation.path("total_cost").decimalValue()).isEqualByComparingTo(cost);
        awaitWritten();
        assertThat(db.queryForObject("SELECT spent FROM api_keys WHERE hash = ?", BigDecimal.class,
                key.path("data").path("hash").asText())).isEqualByComparingTo(cost);
    }

    @Test
    void anArrayOfOnePromptIsThatPrompt() {
        JsonNode single = json(post("/completions", PROMPT + "}").body());
        JsonNode array = json(post("/completions", "{\"model\":\"test/sim\",\"prompt\":[\"Say hello\"]}").body());

        assertThat(array.path("choices")).hasSize(1);
        assertThat(array.path("choices").path(0).path("text").asText())
                .isEqualTo(single.path("choices").path(0).path("text").asText());
    }

    @Test
    void severalPromptsGetAChoiceEachAndAreEachCharged() {
        JsonNode key = createKey("{\"name\":\"prompts\"}");
        String bearer = "Bearer " + key.path("key").asText();
        JsonNode hello = json(post("/completions", PROMPT + "}").body());
        JsonNode bye = json(post("/completions", "{\"model\":\"test/sim\",\"prompt\":\"Say goodbye\"}").body());
        HttpResponse<String> response = post("/completions",
                "{\"model\":\"test/sim\",\"prompt\":[\"Say hello\",\"Say goodbye\"]}", "Authorization", bearer);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = json(response.body());
        assertThat(answer.path("object").asText()).isEqualTo("text_completion");
        assertThat(answer.path("choices")).hasSize(2);
        assertThat(answer.path("choices").path(0).path("text").asText())
                .isEqualTo(hello.path("choices").path(0).path("text").asText());
        assertThat(answer.path("choices").path(1).path("index").asInt()).isEqualTo(1);
        assertThat(answer.path("choices").path(1).path("text").asText())
                .isEqualTo(bye.path("choices").path(0).path("text").asText());
        assertThat(answer.path("usage").path("prompt_tokens").asLong()).isEqualTo(
                hello.path("usage").path("prompt_tokens").asLong() + bye.path("usage").path("prompt_tokens").asLong());
        BigDecimal cost = answer.path("usage").path("cost").decimalValue();
        assertThat(cost).isEqualByComparingTo(hello.path("usage").path("cost").decimalValue()
                .add(bye.path("usage").path("cost").decimalValue()));
        JsonNode ids = answer.path("generation_ids");
        assertThat(ids).hasSize(2);
        assertThat(answer.path("id").asText()).isEqualTo(ids.path(0).asText())
                .isEqualTo(response.headers().firstValue("X-Generation-Id").orElseThrow());
        awaitWritten();
        assertThat(db.queryForObject("SELECT spent FROM api_keys WHERE hash = ?", BigDecimal.class,
                key.path("data").path("hash").asText())).isEqualByComparingTo(cost);
        for (JsonNode id : ids) {
            assertThat(json(get("/generation?id=" + id.asText(), key.path("key").asText()).body())
                    .path("data").path("total_cost").decimalValue()).isPositive();
        }
    }

    @Test
    void severalPromptsFailingAtOnceGetTheErrorEnvelope() {
        HttpResponse<String> unknownModel = post("/completions", "{\"model\":\"nobody/nothing\",\"prompt\":[\"a\",\"b\"]}");

        assertThat(unknownModel.statusCode()).isEqualTo(400);
        assertThat(json(unknownModel.body()).path("error").path("param").asText()).isEqualTo("model");
    }

    @Test
    void aFailingPromptIsTheAnswerAndItNamesTheGenerationsCharged() {
        JsonNode key = createKey("{\"name\":\"prompts-failing\"}");
        String tooLong = "hello ".repeat(40_000);   // past test/sim's 32,768-token context
        HttpResponse<String> response = post("/completions",
                "{\"model\":\"test/sim\",\"prompt\":[\"Say hello\",\"" + tooLong + "\",\"Say goodbye\"]}",
                "Authorization", "Bearer " + key.path("key").asText());

        assertThat(response.statusCode()).as(response.body()).isBetween(400, 499);
        JsonNode error = json(response.body()).path("error");
        assertThat(error.path("message").asText()).contains("context length");
        JsonNode charged = error.path("metadata").path("generation_ids");
        assertThat(charged).hasSize(2);   // the prompts before and after the failed one
        awaitWritten();
        BigDecimal costs = BigDecimal.ZERO;
        for (JsonNode id : charged) {
            costs = costs.add(json(get("/generation?id=" + id.asText(), key.path("key").asText()).body())
                    .path("data").path("total_cost").decimalValue());
        }
        assertThat(costs).isPositive().isEqualByComparingTo(db.queryForObject(
                "SELECT spent FROM api_keys WHERE hash = ?", BigDecimal.class, key.path("data").path("hash").asText()));
    }

    @Test
    void severalPromptsCannotBeStreamed() {
        HttpResponse<String> several = post("/completions",
                "{\"model\":\"test/sim\",\"stream\":true,\"prompt\":[\"a\",\"b\"]}");

        assertThat(several.statusCode()).isEqualTo(400);
        assertThat(json(several.body()).path("error").path("param").asText()).isEqualTo("prompt");
    }

    @Test
    void maxTokensCutsTheAnswerOnTheV1Alias() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/completions"))
                .header("Authorization", "Bearer " + inferenceKey()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(PROMPT + ",\"max_tokens\":3}")).build());

        JsonNode answer = json(response.body());
        assertThat(answer.path("choices").path(0).path("finish_reason").asText()).isEqualTo("length");
        assertThat(answer.path("usage").path("completion_tokens").asInt()).isEqualTo(3);
    }

    @Test
    void aStreamSendsTextCompletionChunksThenUsageThenDone() {
        String whole = json(post("/completions", PROMPT + "}").body()).path("choices").path(0).path("text").asText();
        HttpResponse<String> response = post("/completions", PROMPT + ",\"stream\":true}");

        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        List<String> data = dataLines(response.body());
        assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
        JsonNode usage = json(data.get(data.size() - 2));
        assertThat(usage.path("object").asText()).isEqualTo("text_completion");
        assertThat(usage.path("choices")).isEmpty();
        assertThat(usage.path("usage").path("cost").decimalValue()).isPositive();
        StringBuilder text = new StringBuilder();
        String finish = null;
        for (String event : data.subList(0, data.size() - 2)) {
            JsonNode chunk = json(event);
            assertThat(chunk.path("object").asText()).isEqualTo("text_completion");
            assertThat(chunk.path("choices").path(0).has("text")).isTrue();
            assertThat(chunk.path("choices").path(0).has("delta")).isFalse();
            text.append(chunk.path("choices").path(0).path("text").asText());
            if (chunk.path("choices").path(0).path("finish_reason").isTextual()) {
                finish = chunk.path("choices").path(0).path("finish_reason").asText();
            }
        }
        assertThat(text.toString().trim()).isEqualTo(whole);
        assertThat(finish).isEqualTo("stop");
    }

    @Test
    void aStreamThatBreaksEndsWithTheErrorChunk() {
        HttpResponse<String> response = post("/completions", PROMPT + ",\"stream\":true}",
                "X-Caravan-Sim-Fail-After-Tokens", "4");

        List<String> data = dataLines(response.body());
        assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
        JsonNode error = json(data.get(data.size() - 3));
        assertThat(error.path("object").asText()).isEqualTo("text_completion");
        assertThat(error.path("choices").path(0).path("finish_reason").asText()).isEqualTo("error");
        assertThat(error.path("error").path("code").asInt()).isEqualTo(502);
    }

    @Test
    void badRequestsGetTheErrorEnvelope() {
        HttpResponse<String> noPrompt = post("/completions", "{\"model\":\"test/sim\"}");
        HttpResponse<String> unknownModel = post("/completions", "{\"model\":\"nobody/nothing\",\"prompt\":\"hi\"}");
        HttpResponse<String> noKey = post("/completions", PROMPT + "}", "Authorization", "Bearer nope");

        assertThat(noPrompt.statusCode()).isEqualTo(400);
        assertThat(json(noPrompt.body()).path("error").path("param").asText()).isEqualTo("prompt");
        assertThat(unknownModel.statusCode()).isEqualTo(400);
        assertThat(json(unknownModel.body()).path("error").path("param").asText()).isEqualTo("model");
        assertThat(noKey.statusCode()).isEqualTo(401);
    }
}
