package dev.caravan.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An OpenAI stream as a client sees it, checked on the way in: every chunk but an error chunk
 * valid against OpenAI's schema, exactly one usage chunk, then [DONE]. Collects the text,
 * reasoning and tool calls (arguments joined per index) the deltas carried.
 */
public final class StreamedAnswer {

    private static final ObjectMapper JSON = new ObjectMapper();

    public final List<JsonNode> chunks = new ArrayList<>();
    public final StringBuilder content = new StringBuilder();
    public final StringBuilder reasoning = new StringBuilder();
    /** tool index -> {id, name, arguments} */
    public final Map<Integer, String[]> tools = new TreeMap<>();
    public String finishReason;
    public String nativeFinishReason;
    public JsonNode usage;
    public JsonNode error;

    public static StreamedAnswer of(String sse) throws Exception {
        StreamedAnswer answer = new StreamedAnswer();
        List<String> data = new ArrayList<>();
        for (String line : sse.split("\n")) {
            if (line.startsWith("data: ")) {
                data.add(line.substring(6));
            }
        }
        assertThat(data).last().isEqualTo("[DONE]");
        for (String event : data.subList(0, data.size() - 1)) {
            answer.add(JSON.readTree(event));
        }
        assertThat(answer.chunks.stream().filter(c -> c.has("usage"))).hasSize(1);
        assertThat(answer.chunks.get(answer.chunks.size() - 1).has("usage")).isTrue();
        return answer;
    }

    private void add(JsonNode chunk) {
        chunks.add(chunk);
        if (chunk.has("error")) {
            error = chunk.get("error");
        } else {
            ChatSchemas.assertValid(ChatSchemas.CHUNK, chunk);
        }
        if (chunk.has("usage")) {
            usage = chunk.get("usage");
        }
        for (JsonNode choice : chunk.path("choices")) {
            JsonNode delta = choice.path("delta");
            content.append(delta.path("content").asText(""));
            reasoning.append(delta.path("reasoning").asText(""));
            for (JsonNode call : delta.path("tool_calls")) {
                String[] tool = tools.computeIfAbsent(call.path("index").asInt(), i -> new String[] {null, null, ""});
                if (call.has("id")) {
                    tool[0] = call.get("id").asText();
                    tool[1] = call.path("function").path("name").asText();
                }
                tool[2] += call.path("function").path("arguments").asText("");
            }
            if (choice.path("finish_reason").isTextual()) {
                finishReason = choice.get("finish_reason").asText();
                nativeFinishReason = choice.path("native_finish_reason").asText(null);
            }
        }
    }
}
