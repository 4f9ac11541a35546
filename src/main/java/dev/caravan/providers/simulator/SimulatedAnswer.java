package dev.caravan.providers.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;
import dev.caravan.accounting.TokenCounter;
import dev.caravan.api.ChatRequest;
import dev.caravan.providers.OpenAiShapes;
import java.util.ArrayList;
import java.util.List;

/**
 * One simulated answer, as the deltas a stream sends one per tick, and as the whole completion.
 * What it holds follows the request, so tools, JSON output and reasoning can be shown with no
 * key: {@code reasoning} asked for gives reasoning words first; tools offered (and not refused
 * with tool_choice none, and not just answered by a tool result) give one tool call with
 * arguments that fit the tool's schema; a json_schema or json_object response_format gives
 * JSON content. Otherwise the content is the words. With {@code n}, each of the n choices gets
 * this answer, and the usage counts the completion tokens of all of them, as OpenAI bills them.
 *
 * <p>Each choice writes at most {@code budget} completion tokens (max_tokens), reasoning first
 * and out of the same budget, as OpenAI counts reasoning in completion_tokens and in
 * max_completion_tokens. What does not fit is cut where the budget ran out, JSON and tool
 * arguments too, and the finish reason is then {@code length}: Caravan reserves max_tokens per
 * choice before the call, so an answer past it would be charged more than was reserved.
 */
record SimulatedAnswer(String model, List<ObjectNode> deltas, ObjectNode message, String finishReason,
                       int promptTokens, int completionTokens, int reasoningTokens, int choices) {

    /** How many of the words a reasoning answer thinks before it answers. */
    private static final int THOUGHTS = 6;

    /**
     * @param words        the answer's words, no more than the budget (JSON and tool arguments take
     *                     theirs in order, one per value: values past the budget could never be written)
     * @param finishReason why the words end: a text answer's finish reason when its reasoning does not cut it
     * @param budget       the completion tokens each choice may write
     */
    static SimulatedAnswer of(String model, ChatRequest request, List<String> words, String finishReason,
                              int budget, int promptTokens) {
        List<ObjectNode> deltas = new ArrayList<>();
        ObjectNode message = Json.MAPPER.createObjectNode().put("role", "assistant");
        deltas.add(Json.MAPPER.createObjectNode().put("role", "assistant").put("content", ""));
        ObjectNode body = request.body();
        int reasoningTokens = 0;
        boolean cut = false;
        if (wantsReasoning(body)) {
            int thinks = Math.min(words.size(), THOUGHTS);
            List<String> thoughts = words.subList(0, Math.min(thinks, budget));
            thoughts.forEach(word -> deltas.add(Json.MAPPER.createObjectNode().put("reasoning", word)));
            message.put("reasoning", String.join("", thoughts).trim());
            reasoningTokens = thoughts.size();
            cut = thoughts.size() < thinks;
        }
        int room = budget - reasoningTokens;
        JsonNode tool = toolToCall(body);
        int completion;
        if (tool != null) {
            String arguments = SchemaSample.of(tool.path("function").get("parameters"), words).toString();
            String written = TokenCounter.prefix(arguments, room);
            if (written.isEmpty()) {
                message.put("content", "");   // the budget ended in the reasoning: the call was never begun
            } else {
                String id = "call_sim_" + Integer.toHexString(arguments.hashCode());
                String name = tool.path("function").path("name").asText();
                ArrayNode calls = message.putNull("content").putArray("tool_calls");
                calls.addObject().put("id", id).put("type", "function").putObject("function").put("name", name)
                        .put("arguments", written);
                deltas.add(toolDelta(id, name, ""));
                int half = written.length() / 2;
                deltas.add(toolDelta(null, null, written.substring(0, half)));
                deltas.add(toolDelta(null, null, written.substring(half)));
            }
            completion = TokenCounter.count(written);
            cut |= written.length() < arguments.length();
            finishReason = "tool_calls";
        } else if (json(body) != null) {
            String content = SchemaSample.of(json(body), words).toString();
            String written = TokenCounter.prefix(content, room);
            message.put("content", written);
            if (!written.isEmpty()) {
                deltas.add(Json.MAPPER.createObjectNode().put("content", written));
            }
            completion = TokenCounter.count(written);
            cut |= written.length() < content.length();
            finishReason = "stop";   // the JSON is whole unless the budget cut it, whatever the words' length
        } else {
            List<String> written = words.subList(0, Math.min(words.size(), room));
            written.forEach(word -> deltas.add(Json.MAPPER.createObjectNode().put("content", word)));
            message.put("content", String.join("", written).trim());
            completion = written.size(); // each word is one token
            cut |= written.size() < words.size();
        }
        return new SimulatedAnswer(model, deltas, message, cut ? "length" : finishReason, promptTokens,
                completion + reasoningTokens, reasoningTokens, request.choices());
    }

    private static boolean wantsReasoning(ObjectNode body) {
        JsonNode reasoning = body.path("reasoning");
        return reasoning.isObject() && reasoning.path("enabled").asBoolean(true)
                && !"none".equals(reasoning.path("effort").asText()) && !reasoning.path("exclude").asBoolean(false);
    }

    private static JsonNode toolToCall(ObjectNode body) {
        JsonNode tools = body.path("tools");
        JsonNode messages = body.path("messages");
        JsonNode choice = body.path("tool_choice");
        boolean answered = "tool".equals(messages.path(messages.size() - 1).path("role").asText());
        if (tools.isEmpty() || "none".equals(choice.asText()) || answered) {
            return null;
        }
        String forced = choice.path("function").path("name").asText(null);
        for (JsonNode tool : tools) {
            if (forced == null || forced.equals(tool.path("function").path("name").asText())) {
                return tool;
            }
        }
        return tools.get(0);
    }

    /** The schema the answer must fit, or null for a free-text answer. */
    private static JsonNode json(ObjectNode body) {
        JsonNode format = body.path("response_format");
        return switch (format.path("type").asText("text")) {
            case "json_schema" -> format.path("json_schema").path("schema");
            case "json_object" -> Json.MAPPER.createObjectNode().put("type", "object").set("properties",
                    Json.MAPPER.createObjectNode().set("answer", Json.MAPPER.createObjectNode().put("type", "string")));
            default -> null;
        };
    }

    private static ObjectNode toolDelta(String id, String name, String arguments) {
        ObjectNode delta = Json.MAPPER.createObjectNode();
        OpenAiShapes.toolCall(delta.putArray("tool_calls"), 0, id, name, arguments);
        return delta;
    }

    ObjectNode completion() {
        ObjectNode node = base("chat.completion");
        ArrayNode list = node.putArray("choices");
        for (int index = 0; index < choices; index++) {
            ObjectNode choice = list.addObject().put("index", index);
            // a message of its own each: the answer's path may complete a choice's message in place
            choice.set("message", index == 0 ? message : message.deepCopy());
            choice.put("finish_reason", finishReason);
        }
        node.set("usage", usage());
        return node;
    }

    /** One step of one choice's stream (OpenAI sends each choice's deltas in chunks of their own). */
    ObjectNode chunk(int index, ObjectNode delta, String finish) {
        ObjectNode node = base("chat.completion.chunk");
        ObjectNode choice = node.putArray("choices").addObject().put("index", index);
        choice.set("delta", delta == null ? Json.MAPPER.createObjectNode() : delta);
        choice.put("finish_reason", finish);
        return node;
    }

    ObjectNode usageChunk() {
        ObjectNode node = base("chat.completion.chunk");
        node.putArray("choices");
        node.set("usage", usage());
        return node;
    }

    private ObjectNode usage() {
        int completion = completionTokens * choices;
        ObjectNode usage = Json.MAPPER.createObjectNode().put("prompt_tokens", promptTokens)
                .put("completion_tokens", completion).put("total_tokens", promptTokens + completion);
        usage.putObject("completion_tokens_details").put("reasoning_tokens", reasoningTokens * choices);
        return usage;
    }

    private ObjectNode base(String object) {
        return Json.MAPPER.createObjectNode().put("id", "sim-" + Integer.toHexString(deltas.hashCode()))
                .put("object", object).put("created", System.currentTimeMillis() / 1000).put("model", model);
    }
}
