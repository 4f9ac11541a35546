package dev.caravan.providers.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.accounting.TokenCounter;
import dev.caravan.support.ChatSchemas;
import dev.caravan.support.HttpTestBase;
import dev.caravan.support.StreamedAnswer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * What the simulator shows with no key, JSON and streamed, every answer schema-checked.
 * Cases: a tool call whose arguments fit the tool's schema (finish tool_calls, streamed with
 * index, id and arguments in pieces); no call once a tool result came back or with
 * tool_choice none; JSON content fitting a json_schema; reasoning words counted in reasoning_tokens;
 * n choices, each answered and counted in the usage, JSON and streamed; max_tokens (and
 * max_completion_tokens) cut JSON, tool arguments and reasoning with its content, per choice, to the
 * start of the whole answer, finish_reason length, usage exact, JSON and streamed.
 */
class SimulatorFeaturesTest extends HttpTestBase {

    private static final String TOOLS = ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},"
            + "\"unit\":{\"type\":\"string\",\"enum\":[\"celsius\",\"fahrenheit\"]},\"days\":{\"type\":\"integer\"}},"
            + "\"required\":[\"city\"]}}}]";

    /** A schema whose answer is far longer than a few tokens. */
    private static final String TWENTY_FIELDS = twentyFields();

    private static String twentyFields() {
        StringBuilder properties = new StringBuilder();
        StringBuilder required = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            properties.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":{\"type\":\"string\"}");
            required.append(i == 0 ? "" : ",").append("\"f").append(i).append('"');
        }
        return ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"t\",\"schema\":"
                + "{\"type\":\"object\",\"properties\":{" + properties + "},\"required\":[" + required + "]}}}";
    }

    private static String ask(boolean stream, String extra) {
        return "{\"model\":\"test/sim\",\"stream\":" + stream + extra
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]}";
    }

    @Test
    void callsTheOfferedToolWithArgumentsThatFitItsSchema() throws Exception {
        JsonNode body = json(post("/chat/completions", ask(false, TOOLS)).body());
        ChatSchemas.assertValid(ChatSchemas.COMPLETION, body);
        JsonNode choice = body.path("choices").get(0);
        assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
        JsonNode call = choice.path("message").path("tool_calls").get(0);
        JsonNode arguments = json(call.path("function").path("arguments").asText());
        assertThat(arguments.path("city").isTextual()).isTrue();
        assertThat(arguments.path("unit").asText()).isEqualTo("celsius");
        assertThat(arguments.path("days").isInt()).isTrue();

        StreamedAnswer streamed = StreamedAnswer.of(post("/chat/completions", ask(true, TOOLS)).body());
        assertThat(streamed.tools.get(0)[1]).isEqualTo("get_weather");
        assertThat(json(streamed.tools.get(0)[2])).isEqualTo(arguments);
        assertThat(streamed.finishReason).isEqualTo("tool_calls");
    }

    @Test
    void answersInTextOnceTheToolResultIsBackOrWhenToolsAreRefused() {
        JsonNode refused = json(post("/chat/completions", ask(false, TOOLS + ",\"tool_choice\":\"none\"")).body());
        assertThat(refused.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");

        String afterResult = "{\"model\":\"test/sim\"" + TOOLS + ",\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"sunny\"}]}";
        JsonNode answered = json(post("/chat/completions", afterResult).body());
        assertThat(answered.path("choices").get(0).path("message").path("content").asText()).isNotBlank();
    }

    @Test
    void jsonSchemaAnswerFitsTheSchema() throws Exception {
        String format = ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"w\",\"schema\":"
                + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},\"tags\":{\"type\":\"array\","
                + "\"items\":{\"type\":\"string\"}}},\"required\":[\"city\",\"tags\"]}}}";
        JsonNode body = json(post("/chat/completions", ask(false, format)).body());
        ChatSchemas.assertValid(ChatSchemas.COMPLETION, body);
        JsonNode content = json(body.path("choices").get(0).path("message").path("content").asText());
        assertThat(content.path("city").isTextual()).isTrue();
        assertThat(content.path("tags").isArray()).isTrue();

        StreamedAnswer streamed = StreamedAnswer.of(post("/chat/completions", ask(true, format)).body());
        assertThat(json(streamed.content.toString())).isEqualTo(content);
    }

    @Test
    void reasoningIsReturnedAndCounted() throws Exception {
        JsonNode body = json(post("/chat/completions", ask(false, ",\"reasoning\":{\"effort\":\"low\"}")).body());
        ChatSchemas.assertValid(ChatSchemas.COMPLETION, body);
        assertThat(body.path("choices").get(0).path("message").path("reasoning").asText()).isNotBlank();
        JsonNode usage = body.path("usage");
        assertThat(usage.path("completion_tokens_details").path("reasoning_tokens").asInt()).isEqualTo(6);
        assertThat(usage.path("completion_tokens").asInt()).isEqualTo(12 + 6);

        StreamedAnswer streamed = StreamedAnswer.of(post("/chat/completions",
                ask(true, ",\"reasoning\":{\"effort\":\"low\"}")).body());
        assertThat(streamed.reasoning.toString().trim()).isEqualTo(
                body.path("choices").get(0).path("message").path("reasoning").asText());
        assertThat(streamed.usage.path("completion_tokens_details").path("reasoning_tokens").asInt()).isEqualTo(6);
    }

    @Test
    void answersEachOfNChoicesAndCountsTheirTokens() {
        JsonNode one = json(post("/chat/completions", ask(false, "")).body());
        JsonNode three = json(post("/chat/completions", ask(false, ",\"n\":3")).body());
        ChatSchemas.assertValid(ChatSchemas.COMPLETION, three);
        assertThat(three.path("choices")).hasSize(3);
        for (int index = 0; index < 3; index++) {
            JsonNode choice = three.path("choices").get(index);
            assertThat(choice.path("index").asInt()).isEqualTo(index);
            assertThat(choice.path("message")).isEqualTo(one.path("choices").get(0).path("message"));
        }
        int completionTokens = one.path("usage").path("completion_tokens").asInt();
        assertThat(three.path("usage").path("completion_tokens").asInt()).isEqualTo(3 * completionTokens);
        assertThat(three.path("usage").path("prompt_tokens")).isEqualTo(one.path("usage").path("prompt_tokens"));

        String streamed = post("/chat/completions", ask(true, ",\"n\":2")).body();
        Map<Integer, StringBuilder> texts = new TreeMap<>();
        List<Integer> finished = new ArrayList<>();
        JsonNode usage = null;
        for (String line : streamed.split("\n")) {
            if (!line.startsWith("data: {")) {
                continue;
            }
            JsonNode chunk = json(line.substring(6));
            ChatSchemas.assertValid(ChatSchemas.CHUNK, chunk);
            for (JsonNode choice : chunk.path("choices")) {
                texts.computeIfAbsent(choice.path("index").asInt(), i -> new StringBuilder())
                        .append(choice.path("delta").path("content").asText(""));
                if (!choice.path("finish_reason").isNull()) {
                    finished.add(choice.path("index").asInt());
                }
            }
            usage = chunk.hasNonNull("usage") ? chunk.get("usage") : usage;
        }
        String answer = one.path("choices").get(0).path("message").path("content").asText();
        assertThat(texts).containsOnlyKeys(0, 1);
        texts.values().forEach(text -> assertThat(text.toString().trim()).isEqualTo(answer));
        assertThat(finished).containsExactlyInAnyOrder(0, 1);
        assertThat(usage.path("completion_tokens").asInt()).isEqualTo(2 * completionTokens);
    }

    @Test
    void maxTokensCutsEachChoicesJsonAnswer() throws Exception {
        String whole = json(post("/chat/completions", ask(false, TWENTY_FIELDS)).body())
                .path("choices").get(0).path("message").path("content").asText();
        for (int limit : new int[] {1, 7}) {
            String limited = TWENTY_FIELDS + ",\"max_tokens\":" + limit;
            JsonNode body = json(post("/chat/completions", ask(false, limited + ",\"n\":3")).body());
            ChatSchemas.assertValid(ChatSchemas.COMPLETION, body);
            String cut = body.path("choices").get(0).path("message").path("content").asText();
            assertThat(whole).startsWith(cut).isNotEqualTo(cut);
            assertThat(TokenCounter.count(cut)).isEqualTo(limit);
            for (JsonNode choice : body.path("choices")) {
                assertThat(choice.path("message").path("content").asText()).isEqualTo(cut);
                assertThat(choice.path("finish_reason").asText()).isEqualTo("length");
                assertThat(choice.path("native_finish_reason").asText()).isEqualTo("length");
            }
            assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(3 * limit);

            StreamedAnswer streamed = StreamedAnswer.of(post("/chat/completions", ask(true, limited)).body());
            assertThat(streamed.content.toString()).isEqualTo(cut);
            assertThat(streamed.finishReason).isEqualTo("length");
            assertThat(streamed.usage.path("completion_tokens").asInt()).isEqualTo(limit);
        }
    }

    @Test
    void maxCompletionTokensCutsTheToolCallsArguments() throws Exception {
        JsonNode whole = json(post("/chat/completions", ask(false, TOOLS)).body())
                .path("choices").get(0).path("message").path("tool_calls").get(0).path("function");
        String limited = TOOLS + ",\"max_completion_tokens\":3";
        JsonNode body = json(post("/chat/completions", ask(false, limited)).body());
        ChatSchemas.assertValid(ChatSchemas.COMPLETION, body);
        JsonNode choice = body.path("choices").get(0);
        JsonNode function = choice.path("message").path("tool_calls").get(0).path("function");
        String arguments = function.path("arguments").asText();
        assertThat(function.path("name")).isEqualTo(whole.path("name"));
        assertThat(whole.path("arguments").asText()).startsWith(arguments).isNotEqualTo(arguments);
        assertThat(TokenCounter.count(arguments)).isEqualTo(3);
        assertThat(choice.path("finish_reason").asText()).isEqualTo("length");
        assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(3);

        StreamedAnswer streamed = StreamedAnswer.of(post("/chat/completions", ask(true, limited)).body());
        assertThat(streamed.tools.get(0)[2]).isEqualTo(arguments);
        assertThat(streamed.finishReason).isEqualTo("length");
        assertThat(streamed.usage.path("completion_tokens").asInt()).isEqualTo(3);
    }

    @Test
    void reasoningTokensComeOutOfMaxTokensFirst() throws Exception {
        String reasoning = ",\"reasoning\":{\"effort\":\"high\"}";
        JsonNode whole = json(post("/chat/completions", ask(false, reasoning)).body()).path("choices").get(0);
        // {limit, reasoning tokens, content tokens}: 6 thoughts come first, the content gets what is left
        for (int[] split : new int[][] {{1, 1, 0}, {6, 6, 0}, {8, 6, 2}}) {
            String limited = reasoning + ",\"max_tokens\":" + split[0];
            JsonNode body = json(post("/chat/completions", ask(false, limited + ",\"n\":2")).body());
            ChatSchemas.assertValid(ChatSchemas.COMPLETION, body);
            JsonNode message = body.path("choices").get(1).path("message");
            assertThat(whole.path("message").path("reasoning").asText()).startsWith(message.path("reasoning").asText());
            assertThat(TokenCounter.count(message.path("reasoning").asText())).isEqualTo(split[1]);
            assertThat(TokenCounter.count(message.path("content").asText())).isEqualTo(split[2]);
            assertThat(body.path("choices").get(1).path("finish_reason").asText()).isEqualTo("length");
            JsonNode usage = body.path("usage");
            assertThat(usage.path("completion_tokens").asInt()).isEqualTo(2 * split[0]);
            assertThat(usage.path("completion_tokens_details").path("reasoning_tokens").asInt()).isEqualTo(2 * split[1]);

            StreamedAnswer streamed = StreamedAnswer.of(post("/chat/completions", ask(true, limited)).body());
            assertThat(streamed.reasoning.toString().trim()).isEqualTo(message.path("reasoning").asText());
            assertThat(streamed.content.toString().trim()).isEqualTo(message.path("content").asText());
            assertThat(streamed.finishReason).isEqualTo("length");
            assertThat(streamed.usage.path("completion_tokens").asInt()).isEqualTo(split[0]);
            assertThat(streamed.usage.path("completion_tokens_details").path("reasoning_tokens").asInt())
                    .isEqualTo(split[1]);
        }
    }
}
