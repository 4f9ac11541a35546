package dev.caravan.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.Model;
import dev.caravan.support.ChatSchemas;
import dev.caravan.support.HttpTestBase;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAI Java SDK pointed at Caravan, served by the simulator.
 * Cases: non-streaming chat; streaming chat (same deterministic text, usage last); the models
 * list; and the raw JSON of each validated against OpenAI's schemas (response, every chunk, list).
 */
class OpenAiSdkTest extends HttpTestBase {

    private OpenAIClient client;

    @BeforeEach
    void client() {
        client = OpenAIOkHttpClient.builder().apiKey(inferenceKey()).baseUrl(baseUrl()).maxRetries(0).build();
    }

    private static ChatCompletionCreateParams params() {
        return ChatCompletionCreateParams.builder().model("test/sim").addUserMessage("Say hello").build();
    }

    @Test
    void nonStreamingChat() {
        ChatCompletion completion = client.chat().completions().create(params()).validate();

        assertThat(completion.id()).startsWith("gen-");
        assertThat(completion.model()).isEqualTo("test/sim");
        assertThat(completion.choices().get(0).message().content()).hasValueSatisfying(t -> assertThat(t).isNotBlank());
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion.usage()).hasValueSatisfying(u -> assertThat(u.completionTokens()).isEqualTo(12));
    }

    @Test
    void streamingChatDeliversTheSameAnswerAndUsageLast() {
        String whole = client.chat().completions().create(params()).choices().get(0).message().content().orElseThrow();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params())) {
            stream.stream().forEach(chunks::add);
        }

        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> c.choices().forEach(choice -> choice.delta().content().ifPresent(text::append)));
        assertThat(text.toString().trim()).isEqualTo(whole);
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage()).hasValueSatisfying(u -> assertThat(u.completionTokens()).isEqualTo(12));
        assertThat(chunks.stream().filter(c -> c.usage().isPresent())).hasSize(1);
        assertThat(chunks).allSatisfy(c -> assertThat(c.id()).isEqualTo(last.id()));
    }

    @Test
    void modelsListShowsOnlyRoutableModels() {
        List<String> ids = client.models().list().data().stream().map(Model::id).toList();

        assertThat(ids).contains("test/sim", "mock/echo", "test/dead").doesNotContain("test/locked");
    }

    @Test
    void rawResponsesMatchOpenAiSchemas() {
        HttpResponse<String> completion = post("/chat/completions", chat("test/sim", false));
        ChatSchemas.assertValid(ChatSchemas.COMPLETION, json(completion.body()));

        HttpResponse<String> stream = post("/chat/completions", chat("test/sim", true));
        List<String> data = dataLines(stream.body());
        assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
        for (String chunk : data.subList(0, data.size() - 1)) {
            ChatSchemas.assertValid(ChatSchemas.CHUNK, json(chunk));
        }

        JsonNode models = json(get("/models").body());
        ChatSchemas.assertValid(ChatSchemas.MODELS, models);
    }
}
