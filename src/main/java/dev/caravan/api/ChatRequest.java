package dev.caravan.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A chat completion request that passed validation. The JSON tree is kept whole so that fields
 * Caravan does not interpret still reach an upstream that understands them.
 */
public record ChatRequest(ObjectNode body, String model, boolean stream, Integer maxTokens) {

    private static final List<String> REASONING_EFFORTS = List.of("none", "minimal", "low", "medium", "high", "xhigh");
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");
    /** OpenAI's limit on {@code n} (each choice is reserved its own completion tokens: MaxCost). */
    static final int MAX_CHOICES = 128;

    public JsonNode messages() {
        return body.get("messages");
    }

    /** The models to try, in order: {@code model} first when set, then the {@code models} fallback list. */
    public List<String> modelList() {
        List<String> models = new ArrayList<>();
        models.add(model);
        body.path("models").forEach(m -> {
            if (m.isTextual() && !models.contains(m.asText())) {
                models.add(m.asText());
            }
        });
        return models;
    }

    /** How many choices to generate ({@code n}, 1 unless set): each may use every completion token allowed. */
    public int choices() {
        JsonNode n = body.get("n");
        return n == null || n.isNull() ? 1 : n.asInt();
    }

    /** {@code session_id} from the body, else the {@code x-session-id} header (passed in). */
    public String sessionId(String header) {
        JsonNode session = body.get("session_id");
        return session != null && session.isTextual() ? session.asText() : header;
    }

    /** Checks what every upstream relies on; each failure names the offending parameter. */
    public static ChatRequest of(ObjectNode body) {
        String model = modelOf(body);
        JsonNode messages = body.get("messages");
        if (messages == null || messages.isNull()) {
            throw ApiException.invalidRequest("'messages' is required", "messages");
        }
        if (!messages.isArray() || messages.isEmpty()) {
            throw ApiException.invalidRequest("'messages' must be a non-empty array", "messages");
        }
        for (int i = 0; i < messages.size(); i++) {
            checkMessage(messages.get(i), "messages[" + i + "]");
        }
        Fields fields = new Fields(body);
        boolean stream = fields.optBoolean("stream");
        Integer maxTokens = fields.optPositiveInt("max_completion_tokens");
        if (maxTokens == null) {
            maxTokens = fields.optPositiveInt("max_tokens");
        }
        fields.optNumber("temperature", 0, 2);
        fields.optNumber("top_p", 0, 1);
        fields.optNumber("frequency_penalty", -2, 2);
        fields.optNumber("presence_penalty", -2, 2);
        fields.optInt("n", 1, MAX_CHOICES);
        fields.optLong("seed");
        fields.optStringOrStrings("stop");
        ToolFields.check(fields);
        checkReasoning(fields.optFields("reasoning"));
        fields.optNumbers("logit_bias", -100, 100);
        fields.optString("user");
        fields.optObject("response_format");
        fields.optObject("stream_options");
        fields.optObject("provider");
        checkModels(body.get("models"));
        return new ChatRequest(body, model, stream, maxTokens);
    }

    private static String modelOf(ObjectNode body) {
        JsonNode model = body.get("model");
        if (model != null && !model.isNull()) {
            if (!model.isTextual() || model.asText().isBlank()) {
                throw ApiException.invalidRequest("'model' must be a model id such as 'caravan/sim-small'", "model");
            }
            return model.asText();
        }
        JsonNode models = body.get("models");
        if (models != null && models.isArray() && !models.isEmpty() && models.get(0).isTextual()) {
            return models.get(0).asText();
        }
        throw ApiException.invalidRequest("'model' is required", "model");
    }

    /** OpenRouter's {@code reasoning}: what ChatOptions turns into a thinking budget. */
    private static void checkReasoning(Fields reasoning) {
        if (reasoning != null) {
            reasoning.optOneOf("effort", REASONING_EFFORTS);
            reasoning.optInt("max_tokens", 0, Integer.MAX_VALUE);
            reasoning.optBoolean("exclude");
            reasoning.optBoolean("enabled");
        }
    }

    private static void checkModels(JsonNode models) {
        if (models == null || models.isNull()) {
            return;
        }
        if (!models.isArray()) {
            throw ApiException.invalidRequest("'models' must be an array of model ids", "models");
        }
        models.forEach(m -> {
            if (!m.isTextual()) {
                throw ApiException.invalidRequest("'models' must be an array of model ids", "models");
            }
        });
    }

    private static void checkMessage(JsonNode message, String path) {
        if (!message.isObject()) {
            throw ApiException.invalidRequest("'" + path + "' must be an object with 'role' and 'content'", path);
        }
        JsonNode role = message.get("role");
        if (role == null || !role.isTextual() || !ROLES.contains(role.asText())) {
            throw ApiException.invalidRequest("'" + path + ".role' must be one of " + String.join(", ",
                    ROLES.stream().sorted().toList()), path + ".role");
        }
        JsonNode content = message.get("content");
        boolean empty = content == null || content.isNull();
        boolean assistantWithoutText = role.asText().equals("assistant")
                && (message.has("tool_calls") || message.has("function_call"));
        if (empty ? !assistantWithoutText : !(content.isTextual() || content.isArray())) {
            throw ApiException.invalidRequest("'" + path + ".content' must be a string or an array of content parts",
                    path + ".content");
        }
        Fields fields = Fields.of(message, path, "an object");
        ContentPartFields.check(fields);
        ToolFields.checkCalls(fields);
    }
}
