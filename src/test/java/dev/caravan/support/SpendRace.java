package dev.caravan.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Many requests at once on one key whose limit covers about a hundred of them, spread over one
 * or more Caravan instances sharing a database; then the books are checked: the key never spent
 * past its limit, every accepted request has exactly one generation row, refused ones none, and
 * the ledger (key and account) equals the sum of the generation rows' costs.
 */
public final class SpendRace {

    /** test/sim with 12 completion tokens: 6 prompt tokens x 0.000001 + 12 x 0.000004. */
    public static final BigDecimal COST = new BigDecimal("0.000054");
    private static final String BODY = "{\"model\":\"test/sim\",\"max_tokens\":12,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SpendRace() {
    }

    /** Runs {@code requests} requests at once, round robin over {@code baseUrls}, and checks the books. */
    public static void run(List<String> baseUrls, String key, String keyHash, BigDecimal limit, int requests,
                           JdbcTemplate db, Runnable awaitWritten) throws Exception {
        BigDecimal accountBefore = db.queryForObject("SELECT spent FROM accounts", BigDecimal.class);
        BigDecimal sumBefore = db.queryForObject("SELECT COALESCE(SUM(total_cost), 0) FROM generations", BigDecimal.class);
        ExecutorService threads = Executors.newFixedThreadPool(requests);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(threads).build();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrls.get(i % baseUrls.size()) + "/chat/completions"))
                    .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
            calls.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        Set<String> accepted = new HashSet<>();
        BigDecimal answeredCost = BigDecimal.ZERO;
        int refused = 0;
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.get();
            JsonNode body = JSON.readTree(response.body());
            if (response.statusCode() == 200) {
                accepted.add(body.path("id").asText());
                answeredCost = answeredCost.add(body.path("usage").path("cost").decimalValue());
            } else {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(402);
                assertThat(body.path("error").path("type").asText()).isEqualTo("payment_required");
                refused++;
            }
        }
        threads.shutdownNow();
        awaitWritten.run();

        assertThat(accepted).as("accepted").isNotEmpty();
        assertThat(refused).as("refused").isPositive();
        assertThat(answeredCost).isEqualByComparingTo(COST.multiply(BigDecimal.valueOf(accepted.size())));
        Map<String, Object> ledger = db.queryForMap("SELECT spent, reserved FROM api_keys WHERE hash = ?", keyHash);
        assertThat((BigDecimal) ledger.get("spent")).as("charged").isEqualByComparingTo(answeredCost)
                .isLessThanOrEqualTo(limit);
        assertThat((BigDecimal) ledger.get("reserved")).isEqualByComparingTo(BigDecimal.ZERO);
        List<String> rows = db.queryForList("SELECT id FROM generations WHERE key_hash = ?", String.class, keyHash);
        assertThat(rows).hasSize(accepted.size()).containsExactlyInAnyOrderElementsOf(accepted);
        BigDecimal rowsCost = db.queryForObject("SELECT SUM(total_cost) FROM generations WHERE key_hash = ?",
                BigDecimal.class, keyHash);
        assertThat(rowsCost).isEqualByComparingTo(answeredCost);
        BigDecimal accountAfter = db.queryForObject("SELECT spent FROM accounts", BigDecimal.class);
        BigDecimal sumAfter = db.queryForObject("SELECT SUM(total_cost) FROM generations", BigDecimal.class);
        assertThat(accountAfter.subtract(accountBefore)).isEqualByComparingTo(sumAfter.subtract(sumBefore));
        assertThat(db.queryForObject("SELECT COUNT(*) FROM reservations WHERE key_hash = ?", Integer.class, keyHash))
                .isZero();
    }
}
