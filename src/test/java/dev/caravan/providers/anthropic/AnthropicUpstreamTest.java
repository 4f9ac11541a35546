package dev.caravan.providers.anthropic;

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
 * Caravan in front of an Anthropic Messages API played from the golden fixtures on 127.0.0.1.
 * Cases: what the upstream receives (its key in x-api-key, anthropic-version, max_tokens from the
 * catalog); text as JSON and stream with cache-aware usage and exact cost; tool calls streamed with
 * index, id and incremental arguments; thinking as reasoning; JSON schema output as content;
 * overloaded 529, rate limit 429, invalid request 400 and a rejected key 401 as envelopes;
 * a mid-stream error event as the error chunk. Every OpenAI-shaped answer is schema-checked.
 */
class AnthropicUpstreamTest extends HttpTestBase {

    @Test
    void upstreamGetsAnthropicsHeadersAndARequiredMaxTokens() {
        post("/chat/completions", chat("anthropic-mock/text", false), "Authorization", "Bearer client-key");

        FixtureUpstream.Recorded request = FIXTURES.last("anthropic", "text");
        assertThat(request.path()).isEqualTo("/anthropic/v1/messages");
        assertThat(request.headers()).containsEntry("x-api-key", UPSTREAM_KEY).containsEntry("anthropic-version", "2023-06-01")
                .doesNotContainKey("authorization");
        assertThat(request.body().path("max_tokens").asInt()).isEqualTo(8192);
        assertThat(request.body().path("messages").get(0).path("content").get(0).path("text").asText()).isEqualTo("Say hello");
    }

    @Test
    void textAnswerIsStampedWithCacheAwareUsageAndExactCost() {
        HttpResponse<String> response = post("/chat/completions", chat("anthropic-mock/text", false));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response.body());
        ChatSchemas.assertValid(ChatSchemas.COMPLETION, body);
        JsonNode choice = body.path("choices").get(0);
        assertThat(choice.path("message").path("content").asText()).isEqualTo("Hello! How can I help you today?");
        assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
        assertThat(choice.path("native_finish_reason").asText()).isEqualTo("end_turn");
        JsonNode usage = body.path("usage");
        assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(2112);
        assertThat(usage.path("prompt_tokens_details").path("cached_tokens").asInt()).isEqualTo(2000);
        // 12 x 0.000003 + 2000 cached x 0.0000003 + 100 written x 0.00000375 + 11 x 0.000015
        assertThat(usage.path("cost").decimalValue()).isEqualByComparingTo(new BigDecimal("0.001176"));
    }

    @Test
    void streamedTextHasTheSameUsage() throws Exception {
        StreamedAnswer answer = StreamedAnswer.of(post("/chat/completions", chat("anthropic-mock/text", true)).body());

        assertThat(answer.content.toString()).isEqualTo("Hello! How can I help you today?");
        assertThat(answer.finishReason).isEqualTo("stop");
        assertThat(answer.usage.path("cost").decimalValue()).isEqualByComparingTo(new BigDecimal("0.001176"));
    }

    @Test
    void toolCallsStreamWithIndexIdAndIncrementalArguments() throws Exception {
        StreamedAnswer answer = StreamedAnswer.of(post("/chat/completions", chat("anthropic-mock/tool-use", true)).body());

        assertThat(answer.tools).hasSize(2);
        assertThat(answer.tools.get(0)[0]).isEqualTo("toolu_01A09q90qw90lq917835lq9");
        assertThat(answer.tools.get(0)[1]).isEqualTo("get_weather");
        assertThat(json(answer.tools.get(0)[2]).path("location").asText()).isEqualTo("Paris, France");
        assertThat(json(answer.tools.get(1)[2]).path("location").asText()).isEqualTo("Tokyo, Japan");
        assertThat(answer.finishReason).isEqualTo("tool_calls");
        assertThat(answer.nativeFinishReason).isEqualTo("tool_use");

        JsonNode whole = json(post("/chat/completions", chat("anthropic-mock/tool-use", false)).body());
        ChatSchemas.assertValid(ChatSchemas.COMPLETION, whole);
        assertThat(whole.path("choices").get(0).path("message").path("tool_calls")).hasSize(2);
    }

    @Test
    void thinkingIsReturnedAsReasoningAndCounted() throws Exception {
        JsonNode body = json(post("/chat/completions", chat("anthropic-mock/thinking", false)).body());
        ChatSchemas.assertValid(ChatSchemas.COMPLETION, body);
        assertThat(body.path("choices").get(0).path("message").path("reasoning").asText()).contains("12231");
        assertThat(body.path("usage").path("completion_tokens_details").path("reasoning_tokens").asInt()).isPositive();

        StreamedAnswer answer = StreamedAnswer.of(post("/chat/completions", chat("anthropic-mock/thinking", true)).body());
        assertThat(answer.reasoning.toString()).isEqualTo("The user asks for 27 * 453. 27 * 453 = 12231.");
        assertThat(answer.content.toString()).isEqualTo("27 * 453 = 12,231");
    }

    @Test
    void jsonSchemaAnswerIsTheContent() throws Exception {
        JsonNode body = json(post("/chat/completions", chat("anthropic-mock/json-schema", false)).body());
        ChatSchemas.assertValid(ChatSchemas.COMPLETION, body);
        JsonNode choice = body.path("choices").get(0);
        assertThat(json(choice.path("message").path("content").asText()).path("city").asText()).isEqualTo("Paris");
        assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");

        StreamedAnswer answer = StreamedAnswer.of(post("/chat/completions", chat("anthropic-mock/json-schema", true)).body());
        assertThat(json(answer.content.toString()).path("population").asLong()).isEqualTo(2102650);
    }

    @Test
    void upstreamErrorsBecomeTheEnvelope() {
        assertError("anthropic-mock/529-overloaded", 503, "provider_overloaded");
        assertError("anthropic-mock/429-rate-limit", 429, "rate_limit_exceeded");
        HttpResponse<String> invalid = assertError("anthropic-mock/400-invalid-request", 400, "invalid_request");
        assertThat(json(invalid.body()).path("error").path("message").asText()).contains("invalid base64 data");
        HttpResponse<String> badKey = assertError("anthropic-mock/401-authentication", 502, "provider_unavailable");
        assertThat(badKey.body()).doesNotContain(UPSTREAM_KEY);
    }

    @Test
    void midStreamErrorEventEndsWithTheErrorChunk() throws Exception {
        StreamedAnswer answer = StreamedAnswer.of(post("/chat/completions", chat("anthropic-mock/stream-error", true)).body());

        assertThat(answer.content.toString()).isEqualTo("Once upon");
        assertThat(answer.finishReason).isEqualTo("error");
        assertThat(answer.error.path("code").asInt()).isEqualTo(503);
    }
}
