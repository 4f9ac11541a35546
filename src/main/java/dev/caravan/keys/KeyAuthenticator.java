package dev.caravan.keys;

import dev.caravan.api.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The authenticate step: {@code Authorization: Bearer <key>} to the stored key, or 401.
 * Inference takes inference keys only and the management API management keys only (403).
 * Lookups are cached for {@code caravan.keys.cache-ttl}, which only bounds how long another
 * instance takes to see a key disabled or deleted (this instance forgets it at once); nothing
 * about money is cached. The plaintext key leaves the message here, so nothing downstream can
 * log or forward it.
 */
@Component("keyAuth")
public class KeyAuthenticator {

    private final KeyStore keys;
    private final Clock clock;
    private final long ttlNanos;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Optional<ApiKey> key, long loadedNanos) {
    }

    public KeyAuthenticator(KeyStore keys, Clock clock, @Value("${caravan.keys.cache-ttl:5s}") Duration ttl) {
        this.keys = keys;
        this.clock = clock;
        this.ttlNanos = ttl.toNanos();
    }

    public void inference(Exchange exchange) {
        if (authenticate(exchange).management()) {
            throw new ApiException(403, "permission_denied",
                    "A management key cannot call inference endpoints; create an inference key with POST /api/v1/keys");
        }
    }

    public void management(Exchange exchange) {
        if (!authenticate(exchange).management()) {
            throw new ApiException(403, "permission_denied", "This endpoint requires a management key");
        }
    }

    public void anyKey(Exchange exchange) {
        authenticate(exchange);
    }

    /** Forgets a key this instance changed, so that the change applies to its very next request. */
    public void evict(String hash) {
        cache.remove(hash);
    }

    private ApiKey authenticate(Exchange exchange) {
        String header = exchange.getMessage().getHeader("Authorization", String.class);
        // Anthropic's SDKs send the key as x-api-key (the /messages endpoint speaks their API)
        String anthropicKey = exchange.getMessage().getHeader("x-api-key", String.class);
        exchange.getMessage().removeHeader("Authorization");
        exchange.getMessage().removeHeader("x-api-key");
        if (header == null && anthropicKey != null && !anthropicKey.isBlank()) {
            header = "Bearer " + anthropicKey;
        }
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            throw unauthorized("Missing API key: send it as 'Authorization: Bearer <key>'");
        }
        ApiKey key = lookup(KeyMaterial.hash(header.substring(7).trim()))
                .orElseThrow(() -> unauthorized("Invalid API key"));
        if (key.disabled()) {
            throw unauthorized("This API key is disabled");
        }
        if (key.expired(clock.instant())) {
            throw unauthorized("This API key has expired");
        }
        exchange.setProperty(ApiKey.PROPERTY, key);
        return key;
    }

    private Optional<ApiKey> lookup(String hash) {
        long now = System.nanoTime();
        Cached cached = cache.get(hash);
        if (cached == null || now - cached.loadedNanos() > ttlNanos) {
            cached = new Cached(keys.find(hash), now);
            if (cached.key().isPresent()) {
                cache.put(hash, cached);
            }
        }
        return cached.key();
    }

    /** A key that does not authenticate (also the ledger's answer for one changed on another instance). */
    public static ApiException unauthorized(String message) {
        return new ApiException(401, "authentication", message);
    }
}
