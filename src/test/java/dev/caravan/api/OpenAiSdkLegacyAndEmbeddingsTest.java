package dev.caravan.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionChoice;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.caravan.support.HttpTestBase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAI Java SDK as a client of /embeddings and the legacy /completions, served by the
 * simulator. Cases: embeddings of a batch with dimensions (same input, same vector, whatever
 * encoding the SDK asks for); a completion; a streamed completion (same text, usage last).
 */
class OpenAiSdkLegacyAndEmbeddingsTest extends HttpTestBase {

    private OpenAIClient client;

    @BeforeEach
    void client() {
        client = OpenAIOkHttpClient.builder().apiKey(inferenceKey()).baseUrl(baseUrl()).maxRetries(0).build();
    }

    @Test
    void embeddings() {
        CreateEmbeddingResponse response = client.embeddings().create(EmbeddingCreateParams.builder()
                .model("test/embed").inputOfArrayOfStrings(List.of("alpha", "beta", "alpha")).dimensions(16)
                .build()).validate();

        assertThat(response.data()).hasSize(3);
        assertThat(response.data().get(0).embedding()).hasSize(16).isEqualTo(response.data().get(2).embedding());
        assertThat(response.data().get(1).embedding()).isNotEqualTo(response.data().get(0).embedding());
        assertThat(response.data().get(1).index()).isEqualTo(1);
        assertThat(response.model()).isEqualTo("test/embed");
        assertThat(response.usage().promptTokens()).isEqualTo(3);
    }

    private static CompletionCreateParams params() {
        return CompletionCreateParams.builder().model("test/sim").prompt("Say hello").build();
    }

    @Test
    void completion() {
        Completion completion = client.completions().create(params()).validate();

        assertThat(completion.id()).startsWith("gen-");
        assertThat(completion.choices().get(0).text()).isNotBlank();
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(CompletionChoice.FinishReason.STOP);
        assertThat(completion.usage()).hasValueSatisfying(u -> assertThat(u.completionTokens()).isEqualTo(12));
    }

    @Test
    void streamedCompletion() {
        String whole = client.completions().create(params()).choices().get(0).text();
        List<Completion> chunks = new ArrayList<>();
        try (StreamResponse<Completion> stream = client.completions().createStreaming(params())) {
            stream.stream().forEach(chunks::add);
        }

        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> c.choices().forEach(choice -> text.append(choice.text())));
        assertThat(text.toString().trim()).isEqualTo(whole);
        assertThat(chunks.get(chunks.size() - 1).usage()).hasValueSatisfying(u -> assertThat(u.totalTokens()).isPositive());
    }
}
