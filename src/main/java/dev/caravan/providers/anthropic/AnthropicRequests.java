package dev.caravan.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;
import dev.caravan.catalog.Endpoint;
import dev.caravan.providers.ChatOptions;
import dev.caravan.providers.ContentParts;
import dev.caravan.providers.WireCalls;

/**
 * OpenAI chat request -> Anthropic Messages request. System and developer messages become
 * {@code system}; tool results become {@code tool_result} blocks in a user turn; consecutive
 * turns of one role are merged, as Anthropic requires alternating roles. JSON output is asked
 * for with a forced tool ({@link #JSON_TOOL}) whose input schema is the requested schema: it
 * works on every Claude model, where native structured output does not.
 */
public final class AnthropicRequests {

    /** The tool that carries a response_format answer; its input is the JSON the client gets as content. */
    public static final String JSON_TOOL = "json_response";

    private AnthropicRequests() {
    }

    public static ObjectNode toAnthropic(ObjectNode request, Endpoint endpoint, boolean stream) {
        ChatOptions options = new ChatOptions(request, endpoint);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("model", endpoint.upstreamModel());
        ArrayNode system = Json.MAPPER.createArrayNode();
        body.set("messages", messages(request.get("messages"), system));
        if (!system.isEmpty()) {
            body.set("system", system);
        }
        int maxTokens = options.maxTokens();
        Integer thinking = options.reasoningBudget();
        if (thinking != null) {
            // the budget is part of max_tokens and must stay below it
            maxTokens = Math.min(options.endpointMaxTokens(), Math.max(maxTokens, thinking + maxTokens));
            thinking = Math.min(thinking, maxTokens - 1);
            body.putObject("thinking").put("type", "enabled").put("budget_tokens", thinking);
        }
        body.put("max_tokens", maxTokens);
        sampling(options, body, thinking != null);
        tools(request, body, thinking != null);
        if (request.path("user").isTextual()) {
            body.putObject("metadata").put("user_id", WireCalls.hashUser(request.get("user").asText()));
        }
        if (stream) {
            body.put("stream", true);
        }
        return body;
    }

    private static void sampling(ChatOptions options, ObjectNode body, boolean thinking) {
        // extended thinking refuses changed temperature and top_k, and top_p below 0.95
        if (!thinking) {
            JsonNode temperature = options.sampling("temperature");
            if (temperature != null) {
                body.put("temperature", Math.min(1.0, temperature.asDouble())); // Anthropic's range is 0..1
            }
            copy(options.sampling("top_p"), body, "top_p");
            copy(options.sampling("top_k"), body, "top_k");
        }
        if (!options.stops().isEmpty()) {
            body.set("stop_sequences", Json.MAPPER.valueToTree(options.stops()));
        }
    }

    private static void copy(JsonNode value, ObjectNode body, String name) {
        if (value != null) {
            body.set(name, value);
        }
    }

    private static ArrayNode messages(JsonNode messages, ArrayNode system) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (JsonNode message : messages) {
            String role = message.path("role").asText();
            switch (role) {
                case "system", "developer" -> blocks(message, system);
                case "tool" -> turn(out, "user").add(toolResult(message));
                case "assistant" -> assistant(message, turn(out, "assistant"));
                default -> blocks(message, turn(out, "user"));
            }
        }
        trimPrefill(out);
        return out;
    }

    /** The content array of the last turn when it has this role, else of a new turn. */
    private static ArrayNode turn(ArrayNode out, String role) {
        JsonNode last = out.isEmpty() ? null : out.get(out.size() - 1);
        if (last != null && role.equals(last.path("role").asText())) {
            return (ArrayNode) last.get("content");
        }
        ObjectNode turn = out.addObject().put("role", role);
        return turn.putArray("content");
    }

    private static void blocks(JsonNode message, ArrayNode blocks) {
        JsonNode content = message.get("content");
        if (content == null || content.isNull()) {
            return;
        }
        if (content.isTextual()) {
            text(blocks, ContentParts.named(message, content.asText()), null);
            return;
        }
        boolean first = true;
        for (JsonNode part : content) {
            String type = part.path("type").asText();
            switch (type) {
                case "text" -> text(blocks, first ? ContentParts.named(message, part.path("text").asText())
                        : part.path("text").asText(), part.get("cache_control"));
                case "image_url" -> blocks.add(image(part.path("image_url").path("url").asText()));
                default -> throw ContentParts.unsupported("Anthropic", type);
            }
            first = false;
        }
    }

    private static void text(ArrayNode blocks, String text, JsonNode cacheControl) {
        if (text.isEmpty()) {
            return; // Anthropic refuses empty text blocks
        }
        ObjectNode block = blocks.addObject().put("type", "text").put("text", text);
        if (cacheControl != null) {
            block.set("cache_control", cacheControl);
        }
    }

    private static ObjectNode image(String url) {
        ObjectNode block = Json.MAPPER.createObjectNode().put("type", "image");
        ContentParts.InlineImage inline = ContentParts.dataUrl(url);
        if (inline == null) {
            block.putObject("source").put("type", "url").put("url", url);
        } else {
            block.putObject("source").put("type", "base64").put("media_type", inline.mediaType())
                    .put("data", inline.base64());
        }
        return block;
    }

    private static void assistant(JsonNode message, ArrayNode blocks) {
        blocks(message, blocks);
        for (JsonNode call : message.path("tool_calls")) {
            ObjectNode use = blocks.addObject().put("type", "tool_use").put("id", call.path("id").asText())
                    .put("name", call.path("function").path("name").asText());
            use.set("input", ContentParts.toolArguments(call));
        }
    }


    private static ObjectNode toolResult(JsonNode message) {
        ObjectNode result = Json.MAPPER.createObjectNode().put("type", "tool_result")
                .put("tool_use_id", message.path("tool_call_id").asText());
        JsonNode content = message.get("content");
        if (content != null && content.isArray()) {
            ArrayNode blocks = result.putArray("content");
            blocks(message, blocks);
        } else {
            result.put("content", ContentParts.text(content));
        }
        return result;
    }

    /** Anthropic continues a final assistant turn (prefill), but refuses one ending in white space. */
    private static void trimPrefill(ArrayNode out) {
        JsonNode last = out.isEmpty() ? null : out.get(out.size() - 1);
        if (last != null && "assistant".equals(last.path("role").asText())) {
            JsonNode blocks = last.get("content");
            JsonNode block = blocks.isEmpty() ? null : blocks.get(blocks.size() - 1);
            if (block != null && "text".equals(block.path("type").asText())) {
                ((ObjectNode) block).put("text", block.get("text").asText().stripTrailing());
            }
        }
    }

    private static void tools(ObjectNode request, ObjectNode body, boolean thinking) {
        ArrayNode tools = Json.MAPPER.createArrayNode();
        for (JsonNode tool : request.path("tools")) {
            JsonNode function = tool.path("function");
            ObjectNode out = tools.addObject().put("name", function.path("name").asText());
            if (function.hasNonNull("description")) {
                out.put("description", function.get("description").asText());
            }
            JsonNode schema = function.get("parameters");
            out.set("input_schema", schema != null && schema.isObject() ? schema
                    : Json.MAPPER.createObjectNode().put("type", "object"));
        }
        ObjectNode choice = toolChoice(request.get("tool_choice"));
        JsonNode format = request.path("response_format");
        String formatType = format.path("type").asText("text");
        if (formatType.equals("json_schema") || formatType.equals("json_object")) {
            JsonNode schema = format.path("json_schema").path("schema");
            ObjectNode json = tools.addObject().put("name", JSON_TOOL).put("description",
                    ("Give the answer as this tool's input. "
                    + format.path("json_schema").path("description").asText("")).strip());
            json.set("input_schema", schema.isObject() ? schema : Json.MAPPER.createObjectNode().put("type", "object"));
            // forced tool use is refused together with extended thinking: then the model is only offered it
            choice = thinking ? Json.MAPPER.createObjectNode().put("type", "auto")
                    : Json.MAPPER.createObjectNode().put("type", "tool").put("name", JSON_TOOL);
        }
        if (tools.isEmpty()) {
            return;
        }
        body.set("tools", tools);
        if (request.path("parallel_tool_calls").isBoolean() && !request.get("parallel_tool_calls").asBoolean()) {
            choice = choice == null ? Json.MAPPER.createObjectNode().put("type", "auto") : choice;
            if (!"none".equals(choice.path("type").asText())) {
                choice.put("disable_parallel_tool_use", true);
            }
        }
        if (choice != null) {
            body.set("tool_choice", choice);
        }
    }

    private static ObjectNode toolChoice(JsonNode choice) {
        if (choice == null || choice.isNull()) {
            return null;
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        if (choice.isObject()) {
            return out.put("type", "tool").put("name", choice.path("function").path("name").asText());
        }
        return switch (choice.asText()) {
            case "none" -> out.put("type", "none");
            case "required" -> out.put("type", "any");
            default -> out.put("type", "auto");
        };
    }
}
