package dev.caravan.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.support.HttpTestBase;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Cases: X-Caravan-Overhead-Ms on a JSON answer, a stream, a stream whose headers left with a
 * keep-alive comment before the upstream's first event, a failed fallback attempt and an error;
 * the upstream's own wait is never in it: overhead + the simulator's latency fit in the time the
 * client measured, which fails if the wait were counted.
 */
class OverheadHeaderTest extends HttpTestBase {

    private static final String SLOW = "X-Caravan-Sim-Latency-Ms";

    @Test
    void jsonAnswerExcludesTheUpstreamWait() {
        assertExcludesUpstream(chat("caravan/sim-small", false), 400);
    }

    @Test
    void streamExcludesTheUpstreamsTimeToFirstEvent() {
        assertExcludesUpstream(chat("caravan/sim-small", true), 400);
    }

    @Test
    void streamCommittedByKeepAlivesStillCarriesIt() {
        // 300 ms keep-alives in tests: the headers leave with the first comment, long before the first event
        assertExcludesUpstream(chat("caravan/sim-small", true), 1200);
    }

    @Test
    void failedAttemptsCountAsUpstreamToo() {
        String body = "{\"models\":[\"test/dead\",\"caravan/sim-small\"],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        HttpResponse<String> answer = post("/chat/completions", body);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(overhead(answer)).isGreaterThanOrEqualTo(0);
    }

    @Test
    void errorsCarryItToo() {
        HttpResponse<String> answer = post("/chat/completions", chat("no/such-model", false));
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(overhead(answer)).isGreaterThanOrEqualTo(0);
    }

    private void assertExcludesUpstream(String body, int latencyMs) {
        long started = System.nanoTime();
        HttpResponse<String> answer = post("/chat/completions", body, SLOW, String.valueOf(latencyMs));
        double clientMs = (System.nanoTime() - started) / 1e6;

        assertThat(answer.statusCode()).isEqualTo(200);
        double overhead = overhead(answer);
        assertThat(overhead).isGreaterThanOrEqualTo(0);
        assertThat(overhead + latencyMs).isLessThanOrEqualTo(clientMs);
    }

    private static double overhead(HttpResponse<String> answer) {
        String value = answer.headers().firstValue("X-Caravan-Overhead-Ms").orElseThrow();
        assertThat(value).matches("\\d+\\.\\d{2}");
        return Double.parseDouble(value);
    }
}
