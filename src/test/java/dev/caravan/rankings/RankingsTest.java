package dev.caravan.rankings;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.support.HttpTestBase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Cases: per-day top N with the rest summed into other, top chosen over the range, weekly (from
 * Monday) and monthly totals clipped to the range, empty days present, no key needed; apps from
 * real requests' HTTP-Referer and X-Title, by tokens and by requests; bad parameters are 400s.
 * Rows of fixed past days are inserted directly, so other test classes' traffic stays out of them.
 */
class RankingsTest extends HttpTestBase {

    @Test
    void topModelsPerDayWithOtherAndPeriodTotals() {
        // 2021-03-01 is a Monday; the range runs Sunday 2021-02-28 to Tuesday 2021-03-02
        insert("2021-02-28", "acme/big", 1000, 500, 1);
        insert("2021-03-01", "acme/big", 100, 100, 2);
        insert("2021-03-01", "acme/mid", 300, 300, 1);
        insert("2021-03-01", "acme/small", 10, 0, 1);
        insert("2021-03-01", "acme/tiny", 5, 0, 1);
        insert("2021-03-03", "acme/tiny", 999_999, 0, 1); // after the range

        JsonNode data = json(anonymous("/rankings?from=2021-02-28&to=2021-03-02&top=2").body()).path("data");

        assertThat(names(data.path("models"))).containsExactly("acme/big", "acme/mid", "other");
        assertThat(data.path("models").get(0).path("tokens").asLong()).isEqualTo(1700);
        assertThat(data.path("models").get(0).path("requests").asLong()).isEqualTo(3);
        assertThat(data.path("models").get(2).path("tokens").asLong()).isEqualTo(15);
        JsonNode daily = data.path("daily");
        assertThat(daily).hasSize(3);
        assertThat(daily.get(1).path("date").asText()).isEqualTo("2021-03-01");
        assertThat(names(daily.get(1).path("models"))).containsExactly("acme/big", "acme/mid", "other");
        assertThat(daily.get(1).path("tokens").asLong()).isEqualTo(815);
        assertThat(daily.get(2).path("models")).isEmpty();
        assertThat(data.path("weekly").get(0).path("week").asText()).isEqualTo("2021-02-22");
        assertThat(data.path("weekly").get(0).path("tokens").asLong()).isEqualTo(1500);
        assertThat(data.path("weekly").get(1).path("tokens").asLong()).isEqualTo(815);
        assertThat(data.path("monthly").get(0).path("month").asText()).isEqualTo("2021-02");
        assertThat(data.path("monthly").get(1).path("tokens").asLong()).isEqualTo(815);
    }

    @Test
    void appsFromAttributionHeadersByTokensAndRequests() {
        String referer = "https://rankings-" + UUID.randomUUID() + ".example";
        for (int i = 0; i < 3; i++) {
            post("/chat/completions", chat("caravan/sim-small", false), "HTTP-Referer", referer, "X-Title", "Ranked App");
        }
        post("/chat/completions", chat("caravan/sim-small", false), "X-Title", "Title Only " + referer);
        awaitWritten();

        JsonNode apps = json(anonymous("/rankings/apps?order=requests&top=50").body()).path("data").path("apps");
        List<String> names = new ArrayList<>();
        apps.forEach(app -> names.add(app.path("app").asText()));
        JsonNode ranked = apps.get(names.indexOf(referer));
        assertThat(ranked.path("title").asText()).isEqualTo("Ranked App");
        assertThat(ranked.path("http_referer").asText()).isEqualTo(referer);
        assertThat(ranked.path("requests").asLong()).isEqualTo(3);
        assertThat(ranked.path("tokens").asLong()).isPositive();
        JsonNode titleOnly = apps.get(names.indexOf("Title Only " + referer));
        assertThat(titleOnly.path("http_referer").isNull()).isTrue();
        assertThat(titleOnly.path("requests").asLong()).isEqualTo(1);
        assertThat(names.indexOf(referer)).isLessThan(names.indexOf("Title Only " + referer));
    }

    @Test
    void badParametersAreInvalidRequests() {
        for (String query : List.of("from=yesterday", "from=2021-03-02&to=2021-03-01", "top=0", "top=x",
                "from=2019-01-01&to=2021-01-01")) {
            HttpResponse<String> answer = anonymous("/rankings?" + query);
            assertThat(answer.statusCode()).as(query).isEqualTo(400);
            assertThat(json(answer.body()).path("error").path("code").asInt()).isEqualTo(400);
        }
        assertThat(anonymous("/rankings/apps?order=cost").statusCode()).isEqualTo(400);
    }

    private HttpResponse<String> anonymous(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET().build());
    }

    private void insert(String day, String model, long prompt, long completion, int requests) {
        LocalDate date = LocalDate.parse(day);
        for (int i = 0; i < requests; i++) {
            db.update("INSERT INTO generations (id, created_at, created_day, key_hash, account_id, model, status,"
                    + " streamed, cancelled, tokens_prompt, tokens_completion, tokens_reasoning, tokens_cached,"
                    + " usage_estimated, total_cost, reserved, instance_id, recovered)"
                    + " VALUES (?, ?, ?, ?, 'default', ?, 'success', FALSE, FALSE, ?, ?, 0, 0, FALSE, 0, 0, 'test', FALSE)",
                    "gen-" + UUID.randomUUID(), Timestamp.valueOf(date.atTime(12, 0)), date, "0".repeat(64), model,
                    prompt / requests, completion / requests);
        }
    }

    private static List<String> names(JsonNode models) {
        List<String> names = new ArrayList<>();
        models.forEach(m -> names.add(m.path("model").asText()));
        return names;
    }
}
