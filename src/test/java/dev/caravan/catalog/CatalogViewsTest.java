package dev.caravan.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.support.HttpTestBase;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The catalog's views over HTTP. Cases: a model named with percent-encoded characters. */
class CatalogViewsTest extends HttpTestBase {

    @Test
    void percentEncodedPathSegmentsNameTheSameModel() {
        // encodeURIComponent encodes a variant's ':'; any character may be sent encoded, here a 't' and an 'i'
        HttpResponse<String> encoded = get("/models/%74est/s%69m/endpoints");

        assertThat(encoded.statusCode()).isEqualTo(200);
        assertThat(json(encoded.body()).path("data").path("id").asText()).isEqualTo("test/sim");
        assertThat(json(get("/models/test/s%C3%AFm/endpoints").body()).path("error").path("message").asText())
                .isEqualTo("No routable model 'test/sïm'");
    }
}
