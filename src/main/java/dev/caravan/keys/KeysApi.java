package dev.caravan.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;
import dev.caravan.accounting.GenerationStore;
import dev.caravan.accounting.Ledger;
import dev.caravan.accounting.Replies;
import dev.caravan.api.ApiException;
import dev.caravan.api.ChatRequests;
import dev.caravan.api.PathParameters;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * /keys (management keys only) and /key (the calling key), in OpenRouter's shapes: a key is shown
 * by its hash and masked label; its plaintext exists only in the answer that created it.
 */
@Component("keysApi")
public class KeysApi {

    private final KeyStore keys;
    private final KeyAuthenticator auth;
    private final Ledger ledger;
    private final GenerationStore generations;
    private final ChatRequests bodies;
    private final Clock clock;

    public KeysApi(KeyStore keys, KeyAuthenticator auth, Ledger ledger, GenerationStore generations,
                   ChatRequests bodies, Clock clock) {
        this.keys = keys;
        this.auth = auth;
        this.ledger = ledger;
        this.generations = generations;
        this.bodies = bodies;
        this.clock = clock;
    }

    public void list(Exchange exchange) {
        ObjectNode answer = Json.MAPPER.createObjectNode();
        keys.list(caller(exchange).accountId()).forEach(key -> answer.withArrayProperty("data").add(json(key)));
        answer.withArrayProperty("data");
        Replies.json(exchange, 200, answer);
    }

    public void create(Exchange exchange) {
        KeyChanges changes = KeyChanges.of(bodies.readJsonObject(exchange), true);
        String plaintext = KeyMaterial.generate();
        Instant now = clock.instant();
        ApiKey key = changes.applyTo(new ApiKey(KeyMaterial.hash(plaintext), caller(exchange).accountId(),
                KeyMaterial.label(plaintext), null, false, false, null, null, null, null, now, null), null);
        keys.insert(key, now);
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.set("data", json(key));
        answer.put("key", plaintext);
        Replies.json(exchange, 201, answer);
    }

    public void get(Exchange exchange) {
        Replies.json(exchange, 200, Json.MAPPER.createObjectNode().set("data", json(owned(exchange))));
    }

    public void update(Exchange exchange) {
        ApiKey current = owned(exchange);
        ApiKey changed = KeyChanges.of(bodies.readJsonObject(exchange), false).applyTo(current, clock.instant());
        if (isCaller(exchange, changed) && changed.disabled()) {
            throw lockOut("disable", "disabled");
        }
        if (isCaller(exchange, changed) && changed.expired(clock.instant())) {
            throw lockOut("expire", "expires_at");
        }
        keys.update(changed);
        auth.evict(changed.hash());
        Replies.json(exchange, 200, Json.MAPPER.createObjectNode().set("data", json(changed)));
    }

    public void delete(Exchange exchange) {
        ApiKey key = owned(exchange);
        if (isCaller(exchange, key)) {
            throw lockOut("delete", null);
        }
        keys.delete(key.hash());
        auth.evict(key.hash());
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.putObject("data").put("success", true);
        Replies.json(exchange, 200, answer);
    }

    /** GET /key: the calling key, whichever kind. */
    public void current(Exchange exchange) {
        ObjectNode data = json(caller(exchange));
        data.put("is_free_tier", false);
        Replies.json(exchange, 200, Json.MAPPER.createObjectNode().set("data", data));
    }

    private ObjectNode json(ApiKey key) {
        Map<String, Object> spending = ledger.keySpending(key.hash());
        Map<String, Object> windows = generations.usageWindows(key.hash(), clock.instant());
        BigDecimal windowSpent = Replies.money(spending.get("window_spent"));
        ObjectNode node = Json.MAPPER.createObjectNode()
                .put("hash", key.hash())
                .put("name", key.name())
                .put("label", key.label())
                .put("disabled", key.disabled())
                .put("is_management_key", key.management())
                .put("limit", key.limit())
                .put("limit_remaining", key.limit() == null ? null
                        : key.limit().subtract(windowSpent).max(BigDecimal.ZERO).stripTrailingZeros())
                .put("limit_reset", key.limitReset())
                .put("usage", Replies.money(spending.get("spent")))
                .put("usage_daily", Replies.money(windows.get("daily")))
                .put("usage_weekly", Replies.money(windows.get("weekly")))
                .put("usage_monthly", Replies.money(windows.get("monthly")))
                .put("rate_limit_rpm", key.rateLimitRpm())
                .put("created_at", key.createdAt().toString())
                .put("updated_at", key.updatedAt() == null ? null : key.updatedAt().toString())
                .put("expires_at", key.expiresAt() == null ? null : key.expiresAt().toString());
        return node;
    }

    private ApiKey owned(Exchange exchange) {
        String hash = PathParameters.decoded(exchange, "hash");
        return keys.find(hash == null ? "" : hash)
                .filter(key -> key.accountId().equals(caller(exchange).accountId()))
                .orElseThrow(() -> ApiException.notFound("No key with hash '" + hash + "'"));
    }

    private static boolean isCaller(Exchange exchange, ApiKey key) {
        return key.hash().equals(caller(exchange).hash());
    }

    /**
     * A management key that disabled, expired or deleted itself would be refused its next call,
     * and no call could undo it: the API creates no management keys and a restart does not
     * re-enable one. A 400, as the request is wrong whatever the key's state (not a 409 conflict).
     */
    private static ApiException lockOut(String action, String param) {
        return ApiException.invalidRequest("A management key cannot " + action + " itself: every management "
                + "call with it would then be refused; " + action + " it with another management key "
                + "(CARAVAN_MANAGEMENT_KEY adds one at start)", param);
    }

    private static ApiKey caller(Exchange exchange) {
        return exchange.getProperty(ApiKey.PROPERTY, ApiKey.class);
    }

}
