package dev.caravan.providers.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.support.ChatSchemas;
import dev.caravan.support.FixtureUpstream;
import dev.caravan.support.HttpTestBase;
import dev.caravan.support.StreamedAnswer;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Caravan in front of Google's Gemini API played from the golden fixtures on 127.0.0.1.
 * Cases: what the upstream receives (generateContent or streamGenerateContent?alt=sse, the key in
 * x-goog-api-key and never in the URL); text as JSON and stream with cached tokens priced; tool
 * calls with ids, indexes and finish_reason tool_calls; thoughts as reasoning counted in
 * completion tokens; JSON schema output; a blocked prompt as content_filter; overloaded 503,
 * rate limit 429 (retryDelay kept as Retry-After), invalid request 400, a rejected key; a
 * mid-stream error. Every OpenAI-shaped answer is schema-checked.
 */
class GeminiUpstreamTest extends HttpTestBase {

    @Test
    void upstreamGetsTheNativeEndpointsAndTheKeyInAHeader() {
        post("/chat/completions", chat("gemini-mock/text", false));
        FixtureUpstream.Recorded json = FIXTURES.last("gemini", "text");
        assertThat(json.path()).isEqualTo("/gemini/v1beta/models/text:generateContent");
        assertThat(json.headers()).containsEntry("x-goog-api-key", UPSTREAM_KEY);
        assertThat(json.body().path("contents").get(0).path("parts").get(0).path("text").asText()).isEqualTo("Say hello");

        post("/chat/completions", chat("gemini-mock/text", true));
        assertThat(FIXTURES.last("gemini", "text").path()).isEqualTo("/gemini/v1beta/models/text:streamGenerateContent?alt=sse");
    }

    @Test
    void textAnswerPricesCachedTokensAtTheCacheRate() throws Exception {
        JsonNode body = json(post("/chat/completions", chat("gemini-mock/text", false)).body());
        ChatSchemas.assertValid(ChatSchemas.COMPLETION, body);
        assertThat(body.path("choices").get(0).path("message").path("content").asText()).isEqualTo("Hello! How can I help you today?");
        assertThat(body.path("choices").get(0).path("native_finish_reason").asText()).isEqualTo("STOP");
        // 12 x 0.000003 + 2000 cached x 0.0000003 + 9 x 0.000015
        assertThat(body.path("usage").path("cost").decimalValue()).isEqualByComparingTo(new BigDecimal("0.000771"));

        StreamedAnswer answer = StreamedAnswer.of(post("/chat/completions", chat("gemini-mock/text", true)).body());
        assertThat(answer.content.toString()).isEqualTo("Hello! How can I help you today?");
        assertThat(answer.finishReason).isEqualTo("stop");
        assertThat(answer.usage.path("cost").decimalValue()).isEqualByComparingTo(new BigDecimal("0.000771"));
    }

    @Test
    void functionCallsBecomeToolCalls() throws Exception {
        StreamedAnswer answer = StreamedAnswer.of(post("/chat/completions", chat("gemini-mock/tool-use", true)).body());
        assertThat(answer.tools).hasSize(2);
        assertThat(answer.tools.get(1)[0]).isNotBlank();
        assertThat(json(answer.tools.get(1)[2]).path("location").asText()).isEqualTo("Tokyo, Japan");
        assertThat(answer.finishReason).isEqualTo("tool_calls");

        JsonNode body = json(post("/chat/completions", chat("gemini-mock/tool-use", false)).body());
        ChatSchemas.assertValid(ChatSchemas.COMPLETION, body);
        assertThat(body.path("choices").get(0).path("finish_reason").asText()).isEqualTo("tool_calls");
    }

    @Test
    void thoughtsAreReasoningAndCountAsCompletionTokens() throws Exception {
        JsonNode body = json(post("/chat/completions", chat("gemini-mock/thinking", false)).body());
        ChatSchemas.assertValid(ChatSchemas.COMPLETION, body);
        assertThat(body.path("choices").get(0).path("message").path("reasoning").asText()).contains("Multiplying");
        assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(207);

        StreamedAnswer answer = StreamedAnswer.of(post("/chat/completions", chat("gemini-mock/thinking", true)).body());
        assertThat(answer.reasoning.toString()).contains("12231");
        assertThat(answer.usage.path("completion_tokens_details").path("reasoning_tokens").asInt()).isEqualTo(197);
    }

    @Test
    void jsonSchemaAnswerAndBlockedPrompt() throws Exception {
        StreamedAnswer answer = StreamedAnswer.of(post("/chat/completions", chat("gemini-mock/json-schema", true)).body());
        assertThat(json(answer.content.toString()).path("city").asText()).isEqualTo("Paris");

        JsonNode blocked = json(post("/chat/completions", chat("gemini-mock/safety", false)).body());
        ChatSchemas.assertValid(ChatSchemas.COMPLETION, blocked);
        assertThat(blocked.path("choices").get(0).path("finish_reason").asText()).isEqualTo("content_filter");
        assertThat(blocked.path("choices").get(0).path("native_finish_reason").asText()).isEqualTo("SAFETY");
    }

    @Test
    void upstreamErrorsBecomeTheEnvelope() {
        assertError("gemini-mock/503-overloaded", 503, "provider_overloaded");
        HttpResponse<String> limited = assertError("gemini-mock/429-rate-limit", 429, "rate_limit_exceeded");
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("32");
        assertThat(json(assertError("gemini-mock/400-invalid-request", 400, "invalid_request").body())
                .path("error").path("message").asText()).contains("contents is not specified");
        assertError("gemini-mock/400-api-key-invalid", 502, "provider_unavailable");
    }

    @Test
    void midStreamErrorEndsWithTheErrorChunk() throws Exception {
        StreamedAnswer answer = StreamedAnswer.of(post("/chat/completions", chat("gemini-mock/stream-error", true)).body());

        assertThat(answer.content.toString()).isEqualTo("Once upon");
        assertThat(answer.finishReason).isEqualTo("error");
        assertThat(answer.error.path("code").asInt()).isEqualTo(503);
    }
}
