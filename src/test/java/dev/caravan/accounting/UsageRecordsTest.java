package dev.caravan.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.support.Generations;
import dev.caravan.support.HttpTestBase;
import java.math.BigDecimal;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The usage writer stores what providers send, whatever they send. Cases: a finish reason longer
 * than its column, queued in one batch with an ordinary record.
 */
class UsageRecordsTest extends HttpTestBase {

    @Autowired
    private CamelContext camel;

    @Autowired
    private PendingGenerations pending;

    @Test
    void aProvidersOverlongFinishReasonCostsNoRecordItsRow() {
        List<Generation> batch = List.of(
                Generations.settled("gen-ordinary-finish", BigDecimal.ZERO, false),
                Generations.settled("gen-overlong-finish", BigDecimal.ZERO, false, "x".repeat(150)));
        ProducerTemplate queue = camel.createProducerTemplate();
        for (Generation generation : batch) {
            // as the record-usage completion does
            pending.finish(generation);
            queue.sendBody("seda:usage", generation);
        }

        awaitWritten();

        assertThat(db.queryForList("SELECT native_finish_reason FROM generations"
                + " WHERE id IN ('gen-ordinary-finish', 'gen-overlong-finish') ORDER BY id DESC", String.class))
                .containsExactly("x".repeat(100), "stop");
    }
}
