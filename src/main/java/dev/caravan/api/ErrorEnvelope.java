package dev.caravan.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;

/**
 * {"error": {"code": 400, "message": ..., "type": ..., "param": ..., "metadata": {"error_type": ...}}}:
 * a numeric code as OpenRouter sends it, and type and param so that OpenAI's SDKs parse it.
 */
public final class ErrorEnvelope {

    private ErrorEnvelope() {
    }

    public static ObjectNode of(ApiException e) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.set("error", body(e));
        return root;
    }

    public static ObjectNode body(ApiException e) {
        ObjectNode error = Json.MAPPER.createObjectNode();
        error.put("code", e.status());
        error.put("message", e.getMessage());
        error.put("type", e.type());
        error.put("param", e.param());
        ObjectNode metadata = Json.MAPPER.valueToTree(e.metadata());
        metadata.put("error_type", e.type());
        error.set("metadata", metadata);
        return error;
    }

    public static byte[] bytes(ApiException e) {
        try {
            return Json.MAPPER.writeValueAsBytes(of(e));
        } catch (Exception impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
