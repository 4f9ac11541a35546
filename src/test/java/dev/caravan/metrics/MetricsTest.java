package dev.caravan.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.support.HttpTestBase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Cases: /actuator/prometheus counts requests, tokens and cost per model and provider, has the
 * latency and time-to-first-token histograms, Caravan's overhead, fallbacks, circuit states,
 * rate-limit rejections and the usage queue; no key and no prompt in it; /actuator/health
 * includes the database. Counters are compared before and after, since the context is shared.
 */
class MetricsTest extends HttpTestBase {

    private static final String SIM = "model=\"caravan/sim-large\",provider=\"simulator\"";

    @Test
    void requestsTokensCostAndLatenciesPerModelAndProvider() {
        String before = scrape();
        String prompt = "{\"model\":\"caravan/sim-large\",\"messages\":[{\"role\":\"user\",\"content\":\"secret-prompt-words\"}]}";
        JsonNode answer = json(post("/chat/completions", prompt).body());
        post("/chat/completions", chat("caravan/sim-large", true));
        String successes = "caravan_requests_total{" + SIM + ",status=\"success\"}";
        String after = scrapeUntil(s -> value(s, successes) - value(before, successes) >= 2);

        assertThat(value(after, "caravan_requests_total{" + SIM + ",status=\"success\"}")
                - value(before, "caravan_requests_total{" + SIM + ",status=\"success\"}")).isEqualTo(2);
        assertThat(value(after, "caravan_tokens_total{" + SIM + ",type=\"completion\"}")
                - value(before, "caravan_tokens_total{" + SIM + ",type=\"completion\"}"))
                .isGreaterThanOrEqualTo(answer.path("usage").path("completion_tokens").asLong());
        assertThat(value(after, "caravan_cost_usd_total{" + SIM + "}")).isGreaterThan(0);
        assertThat(after).contains("caravan_request_latency_seconds_bucket{" + SIM)
                .contains("caravan_time_to_first_token_seconds_bucket{" + SIM)
                .contains("caravan_overhead_seconds_bucket{")
                .contains("caravan_usage_queue ").contains("caravan_usage_pending ")
                .doesNotContain("secret-prompt-words").doesNotContain(inferenceKey()).doesNotContain(MANAGEMENT_KEY);
    }

    @Test
    void fallbacksAndCircuitStates() {
        String before = scrape();
        String body = "{\"models\":[\"test/dead\",\"caravan/sim-small\"],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        HttpResponse<String> answer = post("/chat/completions", body);
        assertThat(answer.statusCode()).isEqualTo(200);
        String after = scrapeUntil(s -> sum(s, "caravan_fallbacks_total{provider=\"dead\"") > sum(before,
                "caravan_fallbacks_total{provider=\"dead\""));

        assertThat(sum(after, "caravan_fallbacks_total{provider=\"dead\"") - sum(before, "caravan_fallbacks_total{provider=\"dead\""))
                .isEqualTo(1);
        assertThat(after).contains("caravan_circuit_state{endpoint=\"dead/dead\",state=\"closed\"}");
        // the answer after the fallback is a success, charged as one
        JsonNode generation = json(get("/generation?id=" + json(answer.body()).path("id").asText()).body()).path("data");
        assertThat(generation.path("status").asText()).isEqualTo("success");
        assertThat(generation.path("total_cost").decimalValue()).isPositive();
    }

    @Test
    void rateLimitRejectionsAreCounted() {
        String key = createKey("{\"name\":\"metrics rate limit\",\"rate_limit_rpm\":1}").path("key").asText();
        double before = value(scrape(), "caravan_rate_limit_rejections_total");
        post("/chat/completions", chat("caravan/sim-small", false), "Authorization", "Bearer " + key);
        HttpResponse<String> refused = post("/chat/completions", chat("caravan/sim-small", false), "Authorization", "Bearer " + key);

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(value(scrape(), "caravan_rate_limit_rejections_total") - before).isEqualTo(1);
    }

    @Test
    void healthIncludesTheDatabase() {
        HttpResponse<String> health = actuator("/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json(health.body()).path("status").asText()).isEqualTo("UP");
        assertThat(json(health.body()).path("components").path("db").path("status").asText()).isEqualTo("UP");
    }

    private String scrape() {
        HttpResponse<String> answer = actuator("/prometheus");
        assertThat(answer.statusCode()).isEqualTo(200);
        return answer.body();
    }

    /** Metrics are recorded as the request is settled, just after the client has its answer: poll (at most 10 s). */
    private String scrapeUntil(Predicate<String> done) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        String scrape = scrape();
        while (!done.test(scrape) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            scrape = scrape();
        }
        return scrape;
    }

    private HttpResponse<String> actuator(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator" + path)).GET().build());
    }

    /** The value of the one series that starts with {@code series}, 0 when it is not there yet. */
    private static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** The sum of every series whose name and labels start with {@code prefix}. */
    private static double sum(String scrape, String prefix) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(prefix) + "[^ ]* (\\S+)$").matcher(scrape);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }
}
