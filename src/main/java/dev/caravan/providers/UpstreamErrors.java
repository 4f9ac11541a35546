package dev.caravan.providers;

/**
 * Reads an upstream's error answer (status, body, Retry-After) into the failure the client and
 * the router see. Most wire formats need only {@link #DEFAULT}; a provider that says more in its
 * body (Gemini's retry delay, its invalid-key reason on a 400) brings its own.
 */
@FunctionalInterface
public interface UpstreamErrors {

    UpstreamErrors DEFAULT = UpstreamException::fromStatus;

    UpstreamException fromStatus(String provider, int status, byte[] body, Long retryAfterSeconds);
}
