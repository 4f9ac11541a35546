package dev.caravan.accounting;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;
import dev.caravan.keys.KeyStore;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * The record of one generation (reference §7): the usage event queued for the usage writer, which
 * settles it and writes it as a row of the generations table; and the answer of {@code /generation}.
 */
public record Generation(String id, Instant createdAt, String keyHash, String accountId, String model,
                         String providerName, String upstreamModel, String status, Integer httpStatus,
                         String errorType, boolean streamed, boolean cancelled, String finishReason,
                         String nativeFinishReason, Usage usage, BigDecimal totalCost, BigDecimal reserved,
                         Long latencyMs, Long generationTimeMs, Attribution attribution, String instanceId,
                         boolean recovered) {

    public Generation {
        // the provider's own word, of any length; its column holds 100 characters, and one row too
        // long for its column would fail the usage writer's whole batch
        nativeFinishReason = Attribution.cut(nativeFinishReason, 100);
    }

    /** A generation whose outcome was lost with its instance: charged what was reserved (README). */
    public static Generation recovered(Reservation r, BigDecimal charged, String instanceId) {
        return new Generation(r.generationId(), r.createdAt(), r.keyHash(), r.accountId(), r.model(), r.providerName(),
                null, "recovered", null, null, r.streamed(), false, null, null, new Usage(0, 0, 0, 0, 0, true),
                charged, r.amount(), null, null, new Attribution(null, null, null, null), instanceId, true);
    }

    /** Charging this generation's cost against what its request reserved. */
    public Settlement settlement() {
        return new Settlement(id, keyHash, accountId, reserved, totalCost,
                latencyMs == null ? createdAt : createdAt.plusMillis(latencyMs));
    }

    /** Column name to value, as the named parameters of db/sql/insert-generation.sql. */
    public Map<String, Object> row() {
        Map<String, Object> row = new HashMap<>(40);
        row.put("id", id);
        row.put("created_at", KeyStore.utc(createdAt));
        row.put("created_day", createdAt.atOffset(ZoneOffset.UTC).toLocalDate());
        row.put("key_hash", keyHash);
        row.put("account_id", accountId);
        row.put("model", model);
        row.put("provider_name", providerName);
        row.put("upstream_model", upstreamModel);
        row.put("status", status);
        row.put("http_status", httpStatus);
        row.put("error_type", errorType);
        row.put("streamed", streamed);
        row.put("cancelled", cancelled);
        row.put("finish_reason", finishReason);
        row.put("native_finish_reason", nativeFinishReason);
        row.put("tokens_prompt", usage.promptTokens());
        row.put("tokens_completion", usage.completionTokens());
        row.put("tokens_reasoning", usage.reasoningTokens());
        row.put("tokens_cached", usage.cachedTokens());
        row.put("usage_estimated", usage.estimated());
        row.put("total_cost", totalCost);
        row.put("reserved", reserved);
        row.put("latency_ms", latencyMs);
        row.put("generation_time_ms", generationTimeMs);
        row.put("http_referer", attribution.httpReferer());
        row.put("app_title", attribution.appTitle());
        row.put("external_user", attribution.externalUser());
        row.put("session_id", attribution.sessionId());
        row.put("instance_id", instanceId);
        row.put("recovered", recovered);
        return row;
    }

    public ObjectNode toJson() {
        ObjectNode data = Json.MAPPER.createObjectNode()
                .put("id", id)
                .put("created_at", createdAt.toString())
                .put("model", model)
                .put("provider_name", providerName)
                .put("api_key_hash", keyHash)
                .put("status", status)
                .put("streamed", streamed)
                .put("cancelled", cancelled)
                .put("finish_reason", finishReason)
                .put("native_finish_reason", nativeFinishReason)
                .put("latency", latencyMs)
                .put("generation_time", generationTimeMs)
                .put("tokens_prompt", usage.promptTokens())
                .put("tokens_completion", usage.completionTokens())
                .put("native_tokens_prompt", usage.promptTokens())
                .put("native_tokens_completion", usage.completionTokens())
                .put("native_tokens_reasoning", usage.reasoningTokens())
                .put("native_tokens_cached", usage.cachedTokens())
                .put("usage_estimated", usage.estimated())
                .put("total_cost", totalCost.stripTrailingZeros())
                .put("usage", totalCost.stripTrailingZeros())
                .put("http_referer", attribution.httpReferer())
                .put("app_id", attribution.appTitle())
                .put("external_user", attribution.externalUser())
                .put("session_id", attribution.sessionId())
                .put("recovered", recovered);
        if (httpStatus != null) {
            data.putArray("provider_responses").addObject().put("provider_name", providerName)
                    .put("status", httpStatus).put("latency", latencyMs);
        }
        if (errorType != null) {
            data.put("error_type", errorType);
        }
        return Json.MAPPER.createObjectNode().set("data", data);
    }
}
