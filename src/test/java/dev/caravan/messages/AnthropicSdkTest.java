package dev.caravan.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import dev.caravan.support.HttpTestBase;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The official Anthropic Java SDK pointed at Caravan's /api/v1/messages. Cases: a JSON answer
 * from the simulator with usage; a stream accumulated by the SDK into the same message; tool use
 * and thinking from native Anthropic and Gemini upstreams translated to OpenAI and back (JSON and
 * streamed); the event order of a raw stream; errors in Anthropic's shape (unknown model 400,
 * overloaded upstream), raised by the SDK as its own exceptions.
 */
class AnthropicSdkTest extends HttpTestBase {

    private AnthropicClient client;

    @BeforeEach
    void client() {
        client = AnthropicOkHttpClient.builder().baseUrl("http://127.0.0.1:" + port + "/api").apiKey(inferenceKey())
                .maxRetries(0).build();
    }

    private static MessageCreateParams.Builder ask(String model) {
        return MessageCreateParams.builder().model(model).maxTokens(256).system("Be brief.").addUserMessage("Say hello");
    }

    @Test
    void simulatorAnswersInAnthropicsShape() {
        Message message = client.messages().create(ask("test/sim").build());

        assertThat(message.content()).isNotEmpty();
        assertThat(message.content().get(0).text()).hasValueSatisfying(t -> assertThat(t.text()).isNotBlank());
        assertThat(message.stopReason()).hasValue(StopReason.END_TURN);
        assertThat(message.usage().outputTokens()).isEqualTo(12);
        assertThat(message.usage().inputTokens()).isPositive();
        assertThat(message.id()).startsWith("gen-");
    }

    @Test
    void streamAccumulatesToTheSameMessage() {
        Message whole = client.messages().create(ask("test/sim").build());
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(ask("test/sim").build())) {
            stream.stream().forEach(accumulator::accumulate);
        }
        Message streamed = accumulator.message();

        assertThat(streamed.content().get(0).text().orElseThrow().text().strip())
                .isEqualTo(whole.content().get(0).text().orElseThrow().text());
        assertThat(streamed.usage().outputTokens()).isEqualTo(12);
        assertThat(streamed.stopReason()).hasValue(StopReason.END_TURN);
    }

    @Test
    void toolUseFromAnthropicAndGeminiUpstreams() {
        for (String model : new String[] {"anthropic-mock/tool-use", "gemini-mock/tool-use"}) {
            Message message = client.messages().create(ask(model).build());
            assertThat(message.stopReason()).as(model).hasValue(StopReason.TOOL_USE);
            assertThat(message.content().stream().filter(ContentBlock::isToolUse)).hasSize(2);

            MessageAccumulator accumulator = MessageAccumulator.create();
            try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(ask(model).build())) {
                stream.stream().forEach(accumulator::accumulate);
            }
            Message streamed = accumulator.message();
            var calls = streamed.content().stream().filter(ContentBlock::isToolUse).map(ContentBlock::asToolUse).toList();
            assertThat(calls).as(model).hasSize(2);
            assertThat(calls.get(1).name()).isEqualTo("get_weather");
            assertThat(calls.get(1)._input().toString()).contains("Tokyo, Japan");
            assertThat(streamed.stopReason()).hasValue(StopReason.TOOL_USE);
        }
    }

    @Test
    void thinkingComesBackAsThinkingBlocks() {
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream =
                     client.messages().createStreaming(ask("gemini-mock/thinking").build())) {
            stream.stream().forEach(accumulator::accumulate);
        }
        Message message = accumulator.message();

        assertThat(message.content().get(0).thinking()).hasValueSatisfying(t -> assertThat(t.thinking()).contains("12231"));
        assertThat(message.content().get(1).text()).hasValueSatisfying(t -> assertThat(t.text()).isEqualTo("27 * 453 = 12,231"));
    }

    @Test
    void rawStreamHasAnthropicsEventOrder() {
        HttpResponse<String> response = post("/messages", "{\"model\":\"test/sim\",\"max_tokens\":50,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        String events = response.body().lines().filter(l -> l.startsWith("event: ")).distinct()
                .reduce("", (a, b) -> a + b.substring(7) + " ");
        assertThat(events.trim()).isEqualTo(
                "message_start ping content_block_start content_block_delta content_block_stop message_delta message_stop");
        assertThat(response.body()).doesNotContain("[DONE]");
    }

    @Test
    void errorsComeInAnthropicsShape() {
        assertThatThrownBy(() -> client.messages().create(ask("nobody/nothing").build()))
                .isInstanceOfSatisfying(AnthropicServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.body().toString()).contains("invalid_request_error");
                });
        assertThatThrownBy(() -> client.messages().create(ask("anthropic-mock/529-overloaded").build()))
                .isInstanceOfSatisfying(AnthropicServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(503);
                    assertThat(e.body().toString()).contains("overloaded_error");
                });
        HttpResponse<String> invalid = post("/messages", "{\"model\":\"test/sim\",\"max_tokens\":5}");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(json(invalid.body()).path("type").asText()).isEqualTo("error");
        assertThat(json(invalid.body()).path("error").path("type").asText()).isEqualTo("invalid_request_error");
    }
}
