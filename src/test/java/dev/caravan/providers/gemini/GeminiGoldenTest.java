package dev.caravan.providers.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.providers.UpstreamException;
import dev.caravan.support.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gemini wire format against golden files (src/test/resources/providers/gemini/).
 * Cases:
 * | case        | request out (requests/*.json)                       | answer in (*.json)          | stream in (*.sse)            |
 * | text        | systemInstruction, name, images (fileData, inline)  | text, cached tokens         | text in two events           |
 * | tools       | functionDeclarations (schema cleaned), ANY, results | two functionCalls           | one call per event           |
 * | json-schema | responseMimeType + responseSchema (cleaned)         | JSON text                   | JSON text in pieces          |
 * | reasoning   | thinkingConfig budget from effort                   | thought parts -> reasoning  | thought part, then text      |
 * | safety      |                                                     | blocked prompt              |                              |
 * | errors      | overloaded 503, rate limit 429 + retryDelay, invalid 400, API_KEY_INVALID 400, mid-stream error |
 */
class GeminiGoldenTest {

    @ParameterizedTest
    @ValueSource(strings = {"conversation", "tools", "json-schema", "reasoning"})
    void requestMapping(String name) {
        Golden.assertMatches("gemini/requests/" + name + ".json",
                GeminiRequests.toGemini(Golden.json("requests/" + name + ".json"), Golden.endpoint("gemini", "gemini-2.5-flash")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "tool-use", "thinking", "json-schema", "safety"})
    void responseMapping(String name) {
        Golden.assertMatches("gemini/" + name + ".expected.json",
                GeminiResponses.toOpenAi(Golden.json("gemini/" + name + ".json"), true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "tool-use", "thinking", "json-schema"})
    void streamDecoding(String name) {
        Golden.assertMatches("gemini/" + name + ".chunks.json",
                Golden.decode("gemini/" + name + ".sse", new GeminiStreamDecoder("Google", true)));
    }

    @Test
    void thinkingTokensCountAsCompletionAndReasoning() {
        JsonNode usage = GeminiResponses.toOpenAi(Golden.json("gemini/thinking.json"), true).path("usage");

        assertThat(usage.path("completion_tokens").asInt()).isEqualTo(10 + 197);
        assertThat(usage.path("completion_tokens_details").path("reasoning_tokens").asInt()).isEqualTo(197);
        assertThat(usage.path("total_tokens").asInt()).isEqualTo(218);
    }

    @Test
    void midStreamErrorIsAnOverloadedFailure() {
        assertThatThrownBy(() -> Golden.decode("gemini/stream-error.sse", new GeminiStreamDecoder("Google", true)))
                .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.status()).isEqualTo(503));
    }

    @Test
    void errorAnswersMapToTheEnvelope() {
        UpstreamException overloaded = error(503, "overloaded");
        assertThat(overloaded.type()).isEqualTo("provider_overloaded");
        assertThat(overloaded.retryable()).isTrue();

        UpstreamException limited = error(429, "rate-limit");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.retryAfterSeconds()).as("RetryInfo.retryDelay").isEqualTo(32L);

        UpstreamException invalid = error(400, "invalid-request");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.getMessage()).contains("contents is not specified");

        UpstreamException badKey = error(400, "api-key-invalid");
        assertThat(badKey.status()).as("the operator's key, not the client's request").isEqualTo(502);
        assertThat(badKey.type()).isEqualTo("provider_unavailable");
    }

    private static UpstreamException error(int status, String fixture) {
        return GeminiErrors.READER.fromStatus("Google", status, Golden.bytes("gemini/" + fixture + ".json"), null);
    }
}
