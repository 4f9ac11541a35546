package dev.caravan.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.Json;
import dev.caravan.catalog.Pricing;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Cases: cost with cached and cache-write tokens at their prices; per-request price; nothing charged for a failed empty answer; plain decimals in JSON. */
class UsageTest {

    private static final Pricing PRICING = new Pricing(new BigDecimal("0.000003"), new BigDecimal("0.000015"),
            new BigDecimal("0.001"), BigDecimal.ZERO, new BigDecimal("0.0000003"), new BigDecimal("0.00000375"));

    @Test
    void costIsExactWithCacheAndRequestPrices() {
        Usage usage = new Usage(1000, 200, 300, 100, 50, false);

        // 600 x 3e-6 + 300 x 3e-7 + 100 x 3.75e-6 + 200 x 1.5e-5 + 0.001
        assertThat(usage.cost(PRICING, false)).isEqualByComparingTo("0.006265");
    }

    @Test
    void failedEmptyAnswerCostsNothing() {
        assertThat(new Usage(1000, 0, 0, 0, 0, false).cost(PRICING, true)).isEqualByComparingTo("0");
        assertThat(new Usage(1000, 1, 0, 0, 0, false).cost(PRICING, true)).isPositive();
    }

    @Test
    void costIsWrittenAsAPlainDecimal() throws Exception {
        String json = Json.MAPPER.writeValueAsString(new Usage(10, 1, 0, 0, 0, false).toJson(new BigDecimal("0.0000004")));

        assertThat(json).contains("\"cost\":0.0000004").contains("\"total_tokens\":11");
    }
}
