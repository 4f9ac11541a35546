package dev.caravan.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.keys.KeyMaterial;
import dev.caravan.support.HttpTestBase;
import dev.caravan.support.SpendRace;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Credits over HTTP, checked against the database.
 * Cases: a JSON answer's usage.cost is what the key and account are charged and what /generation
 * shows the moment the answer is back, with attribution (user hashed); the same for a stream; a
 * stream the client leaves is charged for what was generated and marked cancelled; a failed
 * request costs nothing and holds nothing; 402 when the key's limit cannot cover the reservation
 * (every one of {@code n} choices counted); daily, weekly (Monday) and monthly windows reset at
 * UTC midnight (injected clock); the per-key
 * rate limit (429 and its headers); grants (refused, not rounded, finer than 12 decimal places) and
 * /credits; /activity; and 200 requests at once on a
 * key whose limit covers about 100.
 */
class CreditControlTest extends HttpTestBase {

    private static final String CHAT = "{\"model\":\"test/sim\",\"max_tokens\":12,\"user\":\"alice@example.com\","
            + "\"session_id\":\"session-7\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";

    @AfterEach
    void clockBack() {
        clock.reset();
    }

    @Test
    void jsonAnswerCostIsWhatIsChargedAndRecordedAtOnce() {
        JsonNode key = createKey("{\"name\":\"json\"}");
        HttpResponse<String> response = post("/chat/completions", CHAT, "Authorization", bearer(key),
                "HTTP-Referer", "https://app.example", "X-Title", "Example App");

        assertThat(response.statusCode()).isEqualTo(200);
        BigDecimal cost = json(response.body()).path("usage").path("cost").decimalValue();
        assertThat(cost).isEqualByComparingTo(SpendRace.COST);
        String id = response.headers().firstValue("X-Generation-Id").orElseThrow();
        JsonNode generation = json(get("/generation?id=" + id, key.path("key").asText()).body()).path("data");
        assertThat(generation.path("total_cost").decimalValue()).isEqualByComparingTo(cost);
        assertThat(generation.path("tokens_completion").asInt()).isEqualTo(12);
        assertThat(generation.path("status").asText()).isEqualTo("success");
        assertThat(generation.path("streamed").asBoolean()).isFalse();
        assertThat(generation.path("http_referer").asText()).isEqualTo("https://app.example");
        assertThat(generation.path("app_id").asText()).isEqualTo("Example App");
        assertThat(generation.path("external_user").asText()).isEqualTo(KeyMaterial.hash("alice@example.com"));
        assertThat(generation.path("session_id").asText()).isEqualTo("session-7");
        awaitWritten();
        assertThat(spent(key)).isEqualByComparingTo(cost);
        assertThat(db.queryForObject("SELECT total_cost FROM generations WHERE id = ?", BigDecimal.class, id))
                .isEqualByComparingTo(cost);
        assertThat(json(get("/generation?id=" + id, key.path("key").asText()).body()).path("data")
                .path("session_id").asText()).isEqualTo("session-7");
    }

    @Test
    void streamedAnswerIsChargedItsUsageChunkCost() {
        JsonNode key = createKey("{\"name\":\"stream\"}");
        HttpResponse<String> response = post("/chat/completions", CHAT.replace("{\"model\"", "{\"stream\":true,\"model\""),
                "Authorization", bearer(key));

        List<String> data = dataLines(response.body());
        BigDecimal cost = json(data.get(data.size() - 2)).path("usage").path("cost").decimalValue();
        String id = response.headers().firstValue("X-Generation-Id").orElseThrow();
        JsonNode generation = json(get("/generation?id=" + id, key.path("key").asText()).body()).path("data");
        assertThat(generation.path("streamed").asBoolean()).isTrue();
        assertThat(generation.path("cancelled").asBoolean()).isFalse();
        assertThat(generation.path("total_cost").decimalValue()).isEqualByComparingTo(cost).isPositive();
        awaitWritten();
        assertThat(spent(key)).isEqualByComparingTo(cost);
    }

    @Test
    void aStreamTheClientLeavesIsChargedForWhatWasGenerated() throws Exception {
        JsonNode key = createKey("{\"name\":\"leaves\"}");
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/chat/completions"))
                .header("Content-Type", "application/json").header("Authorization", bearer(key))
                .header("X-Caravan-Sim-Tokens-Per-Second", "20").header("X-Caravan-Sim-Completion-Tokens", "200")
                .POST(HttpRequest.BodyPublishers.ofString(chat("test/sim", true))).build();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        String id = response.headers().firstValue("X-Generation-Id").orElseThrow();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            int words = 0;
            for (String line = reader.readLine(); line != null && words < 3; line = reader.readLine()) {
                words += line.contains("\"content\"") ? 1 : 0;
            }
        }

        JsonNode generation = json(get("/generation?id=" + id, key.path("key").asText()).body()).path("data");
        assertThat(generation.path("cancelled").asBoolean()).as(generation.toString()).isTrue();
        assertThat(generation.path("status").asText()).isEqualTo("cancelled");
        assertThat(generation.path("tokens_completion").asInt()).isBetween(1, 199);
        assertThat(generation.path("total_cost").decimalValue()).isPositive();
        awaitWritten();
        assertThat(spent(key)).isEqualByComparingTo(generation.path("total_cost").decimalValue());
    }

    @Test
    void aFailedRequestCostsNothingAndHoldsNothing() {
        JsonNode key = createKey("{\"name\":\"fails\"}");
        HttpResponse<String> response = post("/chat/completions", chat("test/dead", false), "Authorization", bearer(key));

        assertThat(response.statusCode()).isEqualTo(502);
        String id = response.headers().firstValue("X-Generation-Id").orElseThrow();
        JsonNode generation = json(get("/generation?id=" + id, key.path("key").asText()).body()).path("data");
        assertThat(generation.path("status").asText()).isEqualTo("error");
        assertThat(generation.path("total_cost").decimalValue()).isZero();
        awaitWritten();
        assertThat(spent(key)).isZero();
        assertThat(db.queryForObject("SELECT reserved FROM api_keys WHERE hash = ?", BigDecimal.class, hash(key))).isZero();
    }

    @Test
    void aLimitThatCannotCoverTheReservationIs402() {
        JsonNode key = createKey("{\"name\":\"poor\",\"limit\":0.00001}");
        HttpResponse<String> response = post("/chat/completions", CHAT, "Authorization", bearer(key));

        assertThat(response.statusCode()).isEqualTo(402);
        assertThat(json(response.body()).path("error").path("type").asText()).isEqualTo("payment_required");
        assertThat(db.queryForObject("SELECT COUNT(*) FROM reservations WHERE key_hash = ?", Integer.class, hash(key))).isZero();
    }

    @Test
    void everyChoiceOfNIsReservedItsCompletionTokens() {
        // the reservation with n = 3: 39 prompt bytes at 1e-6 plus 3 x 12 tokens at 4e-6 = 0.000183 USD;
        // one choice would need 0.000087, which a limit of 0.00015 covers
        JsonNode key = createKey("{\"name\":\"three choices\",\"limit\":0.00015}");
        String threeChoices = CHAT.replace("\"max_tokens\":12,", "\"max_tokens\":12,\"n\":3,");

        assertThat(post("/chat/completions", threeChoices, "Authorization", bearer(key)).statusCode()).isEqualTo(402);
        assertThat(post("/chat/completions", CHAT, "Authorization", bearer(key)).statusCode()).isEqualTo(200);
    }

    @Test
    void windowsResetAtUtcMidnightOnTheirDay() {
        // Sunday 2031-06-01 is the first of a month: daily and monthly reset at its start, weekly on Monday
        assertResetsAt("daily", Instant.parse("2031-06-03T23:59:00Z"), Instant.parse("2031-06-04T00:00:01Z"));
        assertResetsAt("weekly", Instant.parse("2031-06-08T23:59:00Z"), Instant.parse("2031-06-09T00:00:01Z"));
        assertResetsAt("monthly", Instant.parse("2031-05-31T23:59:00Z"), Instant.parse("2031-06-01T00:00:01Z"));
    }

    /** Spends a key's limit just before {@code before}, is refused, and is served again at {@code after} only. */
    private void assertResetsAt(String reset, Instant before, Instant after) {
        JsonNode key = createKey("{\"name\":\"" + reset + "\",\"limit\":0.0001,\"limit_reset\":\"" + reset + "\"}");
        clock.set(before);
        assertThat(post("/chat/completions", CHAT, "Authorization", bearer(key)).statusCode()).isEqualTo(200);
        awaitWritten();   // settled: what it cost is spent in this window, no longer only held
        assertThat(post("/chat/completions", CHAT, "Authorization", bearer(key)).statusCode()).as(reset).isEqualTo(402);
        clock.set(after.minus(Duration.ofSeconds(2)));
        assertThat(post("/chat/completions", CHAT, "Authorization", bearer(key)).statusCode()).as(reset).isEqualTo(402);
        clock.set(after);
        assertThat(post("/chat/completions", CHAT, "Authorization", bearer(key)).statusCode()).as(reset).isEqualTo(200);
        clock.reset();
    }

    @Test
    void perKeyRateLimitIs429WithItsHeaders() {
        JsonNode key = createKey("{\"name\":\"slow\",\"rate_limit_rpm\":2}");
        clock.set(Instant.parse("2031-01-01T10:00:05Z"));
        post("/chat/completions", CHAT, "Authorization", bearer(key));
        post("/chat/completions", CHAT, "Authorization", bearer(key));
        HttpResponse<String> limited = post("/chat/completions", CHAT, "Authorization", bearer(key));

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(json(limited.body()).path("error").path("type").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        assertThat(limited.headers().firstValue("X-RateLimit-Limit")).hasValue("2");
        assertThat(limited.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
        assertThat(limited.headers().firstValue("X-RateLimit-Reset"))
                .hasValue(String.valueOf(Instant.parse("2031-01-01T10:01:00Z").toEpochMilli()));
        clock.set(Instant.parse("2031-01-01T10:01:00Z"));
        assertThat(post("/chat/completions", CHAT, "Authorization", bearer(key)).statusCode()).isEqualTo(200);
    }

    @Test
    void grantsAddCreditsAndActivityGroupsByDayModelAndProvider() {
        BigDecimal before = json(get("/credits").body()).path("data").path("total_credits").decimalValue();
        HttpResponse<String> granted = post("/credits/grants", "{\"amount\":2.5,\"note\":\"top-up\"}",
                "Authorization", "Bearer " + MANAGEMENT_KEY);
        assertThat(granted.statusCode()).isEqualTo(201);
        assertThat(json(get("/credits").body()).path("data").path("total_credits").decimalValue())
                .isEqualByComparingTo(before.add(new BigDecimal("2.5")));
        assertThat(post("/credits/grants", "{\"amount\":1}").statusCode()).isEqualTo(403);
        // past what the ledger's NUMERIC(30, 12) holds: refused, not a database error (500)
        assertThat(post("/credits/grants", "{\"amount\":1e300}", "Authorization", "Bearer " + MANAGEMENT_KEY)
                .statusCode()).isEqualTo(400);
        // finer than its 12 decimal places: refused, not stored as a grant of 0
        for (String fine : new String[] {"0.0000000000001", "1e-400", "2.0000000000001"}) {
            HttpResponse<String> refused = post("/credits/grants", "{\"amount\":" + fine + "}",
                    "Authorization", "Bearer " + MANAGEMENT_KEY);
            assertThat(refused.statusCode()).as(fine).isEqualTo(400);
            assertThat(json(refused.body()).path("error").path("param").asText()).isEqualTo("amount");
        }
        assertThat(json(get("/credits").body()).path("data").path("total_credits").decimalValue())
                .isEqualByComparingTo(before.add(new BigDecimal("2.5")));

        JsonNode key = createKey("{\"name\":\"active\"}");
        post("/chat/completions", CHAT, "Authorization", bearer(key));
        post("/chat/completions", CHAT, "Authorization", bearer(key));
        awaitWritten();
        JsonNode rows = json(get("/activity?key_hash=" + hash(key), MANAGEMENT_KEY).body()).path("data");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).path("model").asText()).isEqualTo("test/sim");
        assertThat(rows.get(0).path("provider_name").asText()).isEqualTo("Caravan Simulator");
        assertThat(rows.get(0).path("requests").asInt()).isEqualTo(2);
        assertThat(rows.get(0).path("completion_tokens").asInt()).isEqualTo(24);
        assertThat(rows.get(0).path("usage").decimalValue()).isEqualByComparingTo(SpendRace.COST.multiply(BigDecimal.valueOf(2)));
    }

    @Test
    void twoHundredRequestsAtOnceNeverSpendPastTheLimit() throws Exception {
        BigDecimal limit = SpendRace.COST.multiply(BigDecimal.valueOf(100));
        JsonNode key = createKey("{\"name\":\"race\",\"limit\":" + limit.toPlainString() + "}");

        SpendRace.run(List.of(baseUrl()), key.path("key").asText(), hash(key), limit, 200, db, this::awaitWritten);
    }

    private BigDecimal spent(JsonNode key) {
        return db.queryForObject("SELECT spent FROM api_keys WHERE hash = ?", BigDecimal.class, hash(key));
    }

    private static String hash(JsonNode key) {
        return key.path("data").path("hash").asText();
    }

    private static String bearer(JsonNode key) {
        return "Bearer " + key.path("key").asText();
    }
}
