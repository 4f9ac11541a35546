package dev.caravan.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.Json;
import dev.caravan.catalog.Pricing;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * Cases: cost with cached and cache-write tokens at their prices; per-request price; nothing
 * charged for a failed empty answer; plain decimals in JSON; the upstream's counts read as sent,
 * and refused (null: Caravan counts) when negative, fractional, not numbers or past 2^31.
 */
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
    void costIsWhatTheLedgerKeepsEvenForPricesFinerThanIt() {
        // 6 x 1.234e-13 + 1 x 4e-7: the ledger's 12 decimal places hold 0.000000400001, and the
        // answer must say what is charged
        Pricing fine = new Pricing(new BigDecimal("0.0000000000001234"), new BigDecimal("0.0000004"),
                BigDecimal.ZERO, BigDecimal.ZERO, null, null);
        BigDecimal cost = new Usage(6, 1, 0, 0, 0, false).cost(fine, false);

        assertThat(cost).isEqualByComparingTo("0.000000400001");
        assertThat(cost.scale()).isLessThanOrEqualTo(UsdAmounts.DECIMAL_PLACES);
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

    @Test
    void reportedCountsAreReadAsSent() throws Exception {
        Usage usage = Usage.fromOpenAi(Json.MAPPER.readTree("""
                {"prompt_tokens": 1000, "completion_tokens": 200.0,
                 "prompt_tokens_details": {"cached_tokens": 300, "cache_write_tokens": null},
                 "completion_tokens_details": {"reasoning_tokens": 50}}"""));

        assertThat(usage).isEqualTo(new Usage(1000, 200, 300, 0, 50, false));
    }

    @Test
    void countsNoOneCouldChargeForAreNoUsage() throws Exception {
        for (String usage : new String[] {
            "{\"prompt_tokens\": 10, \"completion_tokens\": -1000000}",
            "{\"prompt_tokens\": 10, \"completion_tokens\": 5, \"prompt_tokens_details\": {\"cached_tokens\": -3}}",
            "{\"prompt_tokens\": 10.5, \"completion_tokens\": 5}",
            "{\"prompt_tokens\": \"10\", \"completion_tokens\": 5}",
            "{\"prompt_tokens\": 10, \"completion_tokens\": 1000000000000000000000000000000}",
        }) {
            assertThat(Usage.fromOpenAi(Json.MAPPER.readTree(usage))).as(usage).isNull();
        }
    }
}
