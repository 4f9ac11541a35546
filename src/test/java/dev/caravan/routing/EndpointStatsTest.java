package dev.caravan.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.support.HttpTestBase;
import org.junit.jupiter.api.Test;

/**
 * Live stats in /endpoints. Cases: after answers, uptime is 100 % and latency and throughput
 * percentiles appear (streams included); after failures uptime drops; rate limits do not count.
 */
class EndpointStatsTest extends HttpTestBase {

    private JsonNode endpoint(String model) {
        return json(get("/models/" + model + "/endpoints").body()).path("data").path("endpoints").get(0);
    }

    @Test
    void answersAndFailuresShowInTheEndpointsView() {
        post("/chat/completions", chat("mock/echo", false));
        post("/chat/completions", chat("mock/echo", true));

        JsonNode echo = endpoint("mock/echo");
        assertThat(echo.path("uptime_last_30m").asDouble()).isEqualTo(100.0);
        assertThat(echo.path("latency_last_30m").path("p50").asDouble()).isPositive();
        assertThat(echo.path("throughput_last_30m").path("p99").asDouble()).isPositive();

        post("/chat/completions", chat("mock/status-500", false));
        assertThat(endpoint("mock/status-500").path("uptime_last_30m").asDouble()).isZero();

        post("/chat/completions", chat("mock/status-429", false));
        assertThat(endpoint("mock/status-429").path("uptime_last_30m").isNull()).as("rate limits excluded").isTrue();
    }
}
