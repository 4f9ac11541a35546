package dev.caravan.providers.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.providers.UpstreamErrors;
import dev.caravan.providers.UpstreamException;
import dev.caravan.support.Golden;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The anthropic wire format against golden files (src/test/resources/providers/anthropic/).
 * Cases:
 * | case        | request out (requests/*.json)                  | answer in (*.json)       | stream in (*.sse)                 |
 * | text        | system+developer, name, images, prefill, stop | text, cache usage        | text deltas, ping                 |
 * | tools       | tools, required, no parallel, tool results    | two tool_use blocks      | streamed input_json_delta, 2 tools |
 * | json-schema | forced json_response tool                      | tool input as content    | tool input streamed as content     |
 * | reasoning   | thinking budget from effort, no temperature    | thinking -> reasoning    | thinking_delta, signature_delta    |
 * | errors      | overloaded 529, rate limit 429, invalid 400, bad key 401, mid-stream error event                  |
 */
class AnthropicGoldenTest {

    @ParameterizedTest
    @ValueSource(strings = {"conversation", "tools", "json-schema", "reasoning"})
    void requestMapping(String name) {
        JsonNode mapped = AnthropicRequests.toAnthropic(Golden.json("requests/" + name + ".json"),
                Golden.endpoint("anthropic", "claude-sonnet-4-20250514"), true);

        Golden.assertMatches("anthropic/requests/" + name + ".json", mapped);
        assertThat(mapped.path("max_tokens").asInt()).isPositive(); // Anthropic requires it
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "tool-use", "thinking", "json-schema"})
    void responseMapping(String name) {
        Golden.assertMatches("anthropic/" + name + ".expected.json",
                AnthropicResponses.toOpenAi(Golden.json("anthropic/" + name + ".json"), true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "tool-use", "thinking", "json-schema"})
    void streamDecoding(String name) {
        Golden.assertMatches("anthropic/" + name + ".chunks.json",
                Golden.decode("anthropic/" + name + ".sse", new AnthropicStreamDecoder("Anthropic", true)));
    }

    @Test
    void usageAddsCacheReadsAndWritesToThePrompt() {
        JsonNode usage = AnthropicResponses.toOpenAi(Golden.json("anthropic/text.json"), true).path("usage");

        assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(12 + 100 + 2000);
        assertThat(usage.path("prompt_tokens_details").path("cached_tokens").asInt()).isEqualTo(2000);
        assertThat(usage.path("prompt_tokens_details").path("cache_write_tokens").asInt()).isEqualTo(100);
    }

    @Test
    void excludedReasoningIsNotReturned() {
        JsonNode message = AnthropicResponses.toOpenAi(Golden.json("anthropic/thinking.json"), false)
                .path("choices").get(0).path("message");

        assertThat(message.has("reasoning")).isFalse();
        assertThat(Golden.decode("anthropic/thinking.sse", new AnthropicStreamDecoder("Anthropic", false)).toString())
                .doesNotContain("reasoning\":");
    }

    @Test
    void midStreamErrorEventIsAnOverloadedFailure() {
        assertThatThrownBy(() -> Golden.decode("anthropic/stream-error.sse", new AnthropicStreamDecoder("Anthropic", true)))
                .isInstanceOfSatisfying(UpstreamException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.retryable()).isTrue();
                });
    }

    @Test
    void errorAnswersMapToTheEnvelope() {
        UpstreamException overloaded = error(529, "overloaded", null);
        assertThat(overloaded.status()).isEqualTo(503);
        assertThat(overloaded.type()).isEqualTo("provider_overloaded");
        assertThat(overloaded.retryable()).isTrue();

        UpstreamException limited = error(429, "rate-limit", 20L);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.retryAfterSeconds()).isEqualTo(20L);
        assertThat(limited.retryable()).isTrue();

        UpstreamException invalid = error(400, "invalid-request", null);
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.getMessage()).contains("invalid base64 data");
        assertThat(invalid.retryable()).isFalse();

        UpstreamException badKey = error(401, "authentication", null);
        assertThat(badKey.status()).isEqualTo(502);
        assertThat(badKey.type()).isEqualTo("provider_unavailable");
    }

    private static UpstreamException error(int status, String fixture, Long retryAfter) {
        return UpstreamErrors.DEFAULT.fromStatus("Anthropic", status, Golden.bytes("anthropic/" + fixture + ".json"),
                retryAfter);
    }
}
