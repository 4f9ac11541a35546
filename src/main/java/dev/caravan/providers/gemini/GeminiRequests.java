package dev.caravan.providers.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;
import dev.caravan.api.ApiException;
import dev.caravan.catalog.Endpoint;
import dev.caravan.providers.ChatOptions;
import dev.caravan.providers.ContentParts;
import java.util.HashMap;
import java.util.Map;

/**
 * OpenAI chat request -> Gemini generateContent request. System and developer messages become
 * {@code systemInstruction}; assistant turns the {@code model} role; a tool result becomes a
 * {@code functionResponse} named after the call it answers (Gemini matches results by function
 * name, OpenAI by call id, so the names are looked up from the earlier assistant turn).
 */
public final class GeminiRequests {

    private GeminiRequests() {
    }

    public static ObjectNode toGemini(ObjectNode request, Endpoint endpoint) {
        ChatOptions options = new ChatOptions(request, endpoint);
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode system = Json.MAPPER.createArrayNode();
        body.set("contents", contents(request.get("messages"), system));
        if (!system.isEmpty()) {
            body.putObject("systemInstruction").set("parts", system);
        }
        tools(request, body);
        body.set("generationConfig", generationConfig(request, options));
        return body;
    }

    private static ObjectNode generationConfig(ObjectNode request, ChatOptions options) {
        ObjectNode config = Json.MAPPER.createObjectNode();
        copy(options.sampling("temperature"), config, "temperature");
        copy(options.sampling("top_p"), config, "topP");
        copy(options.sampling("top_k"), config, "topK");
        copy(options.sampling("seed"), config, "seed");
        copy(options.sampling("presence_penalty"), config, "presencePenalty");
        copy(options.sampling("frequency_penalty"), config, "frequencyPenalty");
        copy(request.get("n"), config, "candidateCount");
        config.put("maxOutputTokens", options.maxTokens());
        if (!options.stops().isEmpty()) {
            config.set("stopSequences", Json.MAPPER.valueToTree(options.stops()));
        }
        JsonNode format = request.path("response_format");
        switch (format.path("type").asText("text")) {
            case "json_object" -> config.put("responseMimeType", "application/json");
            case "json_schema" -> {
                config.put("responseMimeType", "application/json");
                JsonNode schema = format.path("json_schema").path("schema");
                if (schema.isObject()) {
                    config.set("responseSchema", GeminiSchemas.toGemini(schema));
                }
            }
            default -> { }
        }
        Integer budget = options.reasoningBudget();
        if (budget != null) {
            config.putObject("thinkingConfig").put("thinkingBudget", budget)
                    .put("includeThoughts", !options.excludeReasoning());
        }
        return config;
    }

    private static void copy(JsonNode value, ObjectNode target, String name) {
        if (value != null && !value.isNull()) {
            target.set(name, value);
        }
    }

    private static ArrayNode contents(JsonNode messages, ArrayNode system) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        Map<String, String> callNames = new HashMap<>();
        for (JsonNode message : messages) {
            switch (message.path("role").asText()) {
                case "system", "developer" -> parts(message, system);
                case "assistant" -> {
                    ArrayNode parts = turn(out, "model");
                    parts(message, parts);
                    for (JsonNode call : message.path("tool_calls")) {
                        String name = call.path("function").path("name").asText();
                        callNames.put(call.path("id").asText(), name);
                        ObjectNode functionCall = parts.addObject().putObject("functionCall").put("name", name);
                        functionCall.set("args", ContentParts.toolArguments(call));
                    }
                }
                case "tool" -> turn(out, "user").addObject().set("functionResponse", functionResponse(message, callNames));
                default -> parts(message, turn(out, "user"));
            }
        }
        return out;
    }

    /** The parts of the last turn when it has this role, else of a new turn (Gemini wants roles to alternate). */
    private static ArrayNode turn(ArrayNode out, String role) {
        JsonNode last = out.isEmpty() ? null : out.get(out.size() - 1);
        if (last != null && role.equals(last.path("role").asText())) {
            return (ArrayNode) last.get("parts");
        }
        return out.addObject().put("role", role).putArray("parts");
    }

    private static void parts(JsonNode message, ArrayNode parts) {
        JsonNode content = message.get("content");
        if (content == null || content.isNull()) {
            return;
        }
        if (content.isTextual()) {
            text(parts, ContentParts.named(message, content.asText()));
            return;
        }
        boolean first = true;
        for (JsonNode part : content) {
            String type = part.path("type").asText();
            switch (type) {
                case "text" -> text(parts, first ? ContentParts.named(message, part.path("text").asText())
                        : part.path("text").asText());
                case "image_url" -> parts.add(image(part.path("image_url").path("url").asText()));
                default -> throw ContentParts.unsupported("Gemini", type);
            }
            first = false;
        }
    }

    private static void text(ArrayNode parts, String text) {
        if (!text.isEmpty()) {
            parts.addObject().put("text", text);
        }
    }

    private static ObjectNode image(String url) {
        ObjectNode part = Json.MAPPER.createObjectNode();
        ContentParts.InlineImage inline = ContentParts.dataUrl(url);
        if (inline == null) {
            part.putObject("fileData").put("mimeType", ContentParts.imageTypeOf(url)).put("fileUri", url);
        } else {
            part.putObject("inlineData").put("mimeType", inline.mediaType()).put("data", inline.base64());
        }
        return part;
    }

    private static ObjectNode functionResponse(JsonNode message, Map<String, String> callNames) {
        String id = message.path("tool_call_id").asText();
        String name = callNames.get(id);
        if (name == null) {
            throw ApiException.invalidRequest("A tool message answers tool_call_id '" + id
                    + "', which no earlier assistant message called", "messages");
        }
        ObjectNode response = Json.MAPPER.createObjectNode().put("name", name);
        String text = ContentParts.text(message.get("content"));
        JsonNode result;
        try {
            result = Json.MAPPER.readTree(text);
        } catch (Exception notJson) {
            result = null;
        }
        // Gemini wants an object; anything else is wrapped
        response.set("response", result != null && result.isObject() ? result
                : Json.MAPPER.createObjectNode().put("content", text));
        return response;
    }


    private static void tools(ObjectNode request, ObjectNode body) {
        ArrayNode declarations = Json.MAPPER.createArrayNode();
        for (JsonNode tool : request.path("tools")) {
            JsonNode function = tool.path("function");
            ObjectNode declaration = declarations.addObject().put("name", function.path("name").asText());
            if (function.hasNonNull("description")) {
                declaration.put("description", function.get("description").asText());
            }
            if (function.path("parameters").isObject() && function.path("parameters").path("properties").size() > 0) {
                declaration.set("parameters", GeminiSchemas.toGemini(function.get("parameters")));
            }
        }
        if (declarations.isEmpty()) {
            return;
        }
        body.putArray("tools").addObject().set("functionDeclarations", declarations);
        JsonNode choice = request.get("tool_choice");
        if (choice == null || choice.isNull()) {
            return;
        }
        ObjectNode config = body.putObject("toolConfig").putObject("functionCallingConfig");
        if (choice.isObject()) {
            config.put("mode", "ANY").putArray("allowedFunctionNames").add(choice.path("function").path("name").asText());
        } else {
            config.put("mode", switch (choice.asText()) {
                case "none" -> "NONE";
                case "required" -> "ANY";
                default -> "AUTO";
            });
        }
    }
}
