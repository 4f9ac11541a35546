package dev.caravan.providers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.Json;
import dev.caravan.api.ApiException;
import dev.caravan.catalog.Provider;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An upstream failed. The client sees our own message, never the upstream's body, except for
 * the upstream's error message when it rejected the request itself (400), any provider key in it
 * blanked. {@link #countsAgainstProvider}
 * says whether the failure is the provider's (feeds its circuit breaker) or the request's.
 */
public class UpstreamException extends ApiException {

    private static final Logger log = LoggerFactory.getLogger(UpstreamException.class);

    private final boolean countsAgainstProvider;

    public UpstreamException(int status, String type, String message, String provider, int upstreamStatus,
                             boolean countsAgainstProvider, Long retryAfterSeconds) {
        super(status, type, message, null, Map.of("provider_name", provider, "upstream_status", upstreamStatus),
                retryAfterSeconds);
        this.countsAgainstProvider = countsAgainstProvider;
    }

    /** An upstream answered with an error status; {@code body} is read only for its error message. */
    public static UpstreamException fromStatus(String provider, int status, byte[] body, Long retryAfter) {
        return switch (status) {
            case 400, 404, 409, 413, 422 -> new UpstreamException(400, "invalid_request",
                    provider + " rejected the request: " + upstreamMessage(body), provider, status, false, null);
            case 401, 403 -> new UpstreamException(502, "provider_unavailable",
                    provider + " rejected Caravan's credentials for it; the operator must check its API key",
                    provider, status, true, null);
            case 408, 504 -> new UpstreamException(504, "timeout", provider + " timed out", provider, status, true, null);
            case 429 -> new UpstreamException(429, "rate_limit_exceeded", provider + " is rate limiting requests",
                    provider, status, false, retryAfter);
            case 503, 529 -> new UpstreamException(503, "provider_overloaded", provider + " is overloaded",
                    provider, status, true, retryAfter);
            default -> new UpstreamException(502, "provider_unavailable",
                    provider + " answered with HTTP " + status, provider, status, true, null);
        };
    }

    /** A call that failed without an HTTP answer: connection refused, timeouts, a broken stream. */
    public static UpstreamException fromFailure(String provider, Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof UpstreamException upstream) {
                return upstream;
            }
            if (cause instanceof AnswerSizeLimit.AnswerTooLarge tooLarge) {
                return invalidResponse(provider, tooLarge.getMessage());
            }
            if (cause instanceof SocketTimeoutException || cause instanceof HttpTimeoutException
                    || cause.getClass().getSimpleName().contains("Timeout")) {
                return timedOut(provider);
            }
            if (cause instanceof ConnectException) {
                return new UpstreamException(502, "provider_unavailable", "Could not connect to " + provider,
                        provider, 0, true, null);
            }
        }
        // the client's message stays generic; the operator gets what actually broke
        log.warn("{} failed: {}", provider, failure.toString());
        return new UpstreamException(502, "provider_unavailable", provider + " failed: the connection broke",
                provider, 0, true, null);
    }

    /** The upstream sent no answer within the provider's timeout. */
    public static UpstreamException timedOut(String provider) {
        return new UpstreamException(504, "timeout", provider + " did not answer in time", provider, 0, true, null);
    }

    public static UpstreamException invalidResponse(String provider, String what) {
        return new UpstreamException(502, "provider_unavailable", provider + " returned an invalid response: " + what,
                provider, 200, true, null);
    }

    /** Seconds from a Retry-After header; null when absent or given as a date we need not honour. */
    public static Long retryAfter(String header) {
        if (header == null) {
            return null;
        }
        try {
            return Math.max(0, (long) Math.ceil(Double.parseDouble(header.trim())));
        } catch (NumberFormatException httpDate) {
            return null;
        }
    }

    /**
     * Whether another endpoint (or this one, later) may well succeed where this failed: rate
     * limits, overload, timeouts and provider faults. A request the provider rejected is not.
     */
    public boolean retryable() {
        return status() == 429 || status() >= 500;
    }

    public boolean countsAgainstProvider() {
        return countsAgainstProvider;
    }

    private static String upstreamMessage(byte[] body) {
        try {
            JsonNode error = Json.MAPPER.readTree(body).path("error");
            String message = error.isTextual() ? error.asText() : error.path("message").asText("");
            if (!message.isBlank()) {
                message = Provider.ProviderKey.redact(message);
                return message.length() > 500 ? message.substring(0, 500) + "..." : message;
            }
        } catch (Exception notJson) {
            // fall through: an unreadable body is not shown
        }
        return "no reason given";
    }
}
