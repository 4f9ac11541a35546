package dev.caravan.api;

import java.util.Map;

/**
 * A failure the client is told about, in the OpenAI/OpenRouter error envelope (reference §5).
 * The message is shown to the client as is, so it never holds a key, an upstream body or a trace.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String type;
    private final String param;
    private final Map<String, Object> metadata;
    private final Long retryAfterSeconds;

    public ApiException(int status, String type, String message, String param, Map<String, Object> metadata,
                        Long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.metadata = metadata == null ? Map.of() : metadata;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public ApiException(int status, String type, String message, String param, Map<String, Object> metadata) {
        this(status, type, message, param, metadata, null);
    }

    public ApiException(int status, String type, String message) {
        this(status, type, message, null, null);
    }

    public static ApiException invalidRequest(String message, String param) {
        return new ApiException(400, "invalid_request", message, param, null);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String param() {
        return param;
    }

    public Map<String, Object> metadata() {
        return metadata;
    }

    /** The same failure with other metadata (e.g. the errors of earlier attempts). */
    public ApiException withMetadata(Map<String, Object> metadata) {
        return new ApiException(status, type, getMessage(), param, metadata, retryAfterSeconds);
    }

    /** Headers the error response carries besides Retry-After (X-RateLimit-* on a 429 of ours). */
    public Map<String, String> headers() {
        return Map.of();
    }

    /** Seconds a client should wait before retrying, when the failure says so; null otherwise. */
    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
