package dev.caravan.accounting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;
import dev.caravan.api.ApiException;
import dev.caravan.api.ChatRequests;
import dev.caravan.keys.ApiKey;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** /credits, /credits/grants, /generation and /activity, in OpenRouter's shapes. */
@Component("accountApi")
public class AccountApi {

    private final Ledger ledger;
    private final GenerationStore generations;
    private final PendingGenerations pending;
    private final ChatRequests bodies;
    private final Clock clock;
    private final long pendingWaitMs;

    public AccountApi(Ledger ledger, GenerationStore generations, PendingGenerations pending, ChatRequests bodies,
                      Clock clock, @Value("${caravan.accounting.generation-wait:5s}") java.time.Duration pendingWait) {
        this.ledger = ledger;
        this.generations = generations;
        this.pending = pending;
        this.bodies = bodies;
        this.clock = clock;
        this.pendingWaitMs = pendingWait.toMillis();
    }

    public void credits(Exchange exchange) {
        Replies.json(exchange, 200, balance(caller(exchange).accountId()));
    }

    /** POST /credits/grants {amount, note}: adds credits to the caller's account. */
    public void grant(Exchange exchange) {
        ObjectNode body = bodies.readJsonObject(exchange);
        JsonNode amount = body.get("amount");
        if (amount == null || !amount.isNumber() || amount.decimalValue().signum() <= 0
                || !UsdAmounts.fitsTheLedger(amount.decimalValue())) {
            throw ApiException.invalidRequest("'amount' must be a positive number of USD, " + UsdAmounts.RULE,
                    "amount");
        }
        String note = body.path("note").isTextual() ? body.get("note").asText() : null;
        if (note != null && note.length() > 500) {
            throw ApiException.invalidRequest("'note' must be at most 500 characters", "note");
        }
        ledger.grant(caller(exchange).accountId(), amount.decimalValue(), note);
        Replies.json(exchange, 201, balance(caller(exchange).accountId()));
    }

    /** GET /generation?id=: pending records of this instance first, then the database. */
    public void generation(Exchange exchange) {
        String id = exchange.getMessage().getHeader("id", String.class);
        if (id == null || id.isBlank()) {
            throw ApiException.invalidRequest("'id' is required: the generation id (gen-...) to look up", "id");
        }
        Generation generation = pending.find(id, pendingWaitMs).or(() -> generations.find(id))
                .filter(g -> g.accountId().equals(caller(exchange).accountId()))
                .orElseThrow(() -> ApiException.notFound("No generation with id '" + id + "'"));
        Replies.json(exchange, 200, generation.toJson());
    }

    /** GET /activity[?key_hash=]: the last 30 UTC days, a row per day, model and provider. */
    public void activity(Exchange exchange) {
        String keyHash = exchange.getMessage().getHeader("key_hash", String.class);
        LocalDate since = clock.instant().atOffset(ZoneOffset.UTC).toLocalDate().minusDays(29);
        ObjectNode answer = Json.MAPPER.createObjectNode();
        ArrayNode data = answer.putArray("data");
        for (Map<String, Object> row : generations.activity(caller(exchange).accountId(), since, keyHash)) {
            data.addObject()
                    .put("date", row.get("created_day").toString())
                    .put("model", (String) row.get("model"))
                    .put("provider_name", (String) row.get("provider_name"))
                    .put("requests", ((Number) row.get("requests")).longValue())
                    .put("prompt_tokens", ((Number) row.get("prompt_tokens")).longValue())
                    .put("completion_tokens", ((Number) row.get("completion_tokens")).longValue())
                    .put("reasoning_tokens", ((Number) row.get("reasoning_tokens")).longValue())
                    .put("usage", Replies.money(row.get("spent")));
        }
        Replies.json(exchange, 200, answer);
    }

    private ObjectNode balance(String accountId) {
        Map<String, Object> balance = ledger.balance(accountId);
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.putObject("data")
                .put("total_credits", Replies.money(balance.get("credits")))
                .put("total_usage", Replies.money(balance.get("spent")));
        return answer;
    }

    private static ApiKey caller(Exchange exchange) {
        return exchange.getProperty(ApiKey.PROPERTY, ApiKey.class);
    }

}
