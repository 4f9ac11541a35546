package dev.caravan.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.support.Generations;
import dev.caravan.support.HttpTestBase;
import java.math.BigDecimal;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.ToDefinition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The usage writer stores what providers send, whatever they send. Cases: a finish reason longer
 * than its column, queued in one batch with an ordinary record; the queue the routes use; records
 * written each flush interval under steady traffic, not once it pauses.
 */
class UsageRecordsTest extends HttpTestBase {

    @Autowired
    private CamelContext camel;

    @Autowired
    private PendingGenerations pending;

    @Autowired
    private UsageQueue usageQueue;

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

    @Test
    void theRoutesQueueRecordsOnTheUsageQueueAndWaitForRoomWhenItIsFull() {
        SedaEndpoint writer = (SedaEndpoint) camel.getRoute("usage-writer").getEndpoint();
        assertThat(writer.getQueue()).isSameAs(usageQueue);
        assertThat(writer.isBlockWhenFull()).isTrue();
        // and the record-usage completion sends to that very endpoint (the same parameters)
        RouteConfigurationDefinition recordUsage = camel.getCamelContextExtension().getContextPlugin(Model.class)
                .getRouteConfigurationDefinitions().stream().filter(c -> "record-usage".equals(c.getId()))
                .findFirst().orElseThrow();
        String sentTo = recordUsage.getOnCompletions().get(0).getOutputs().stream()
                .filter(ToDefinition.class::isInstance).map(to -> ((ToDefinition) to).getEndpointUri())
                .filter(uri -> uri.startsWith("seda:")).findFirst().orElseThrow();
        assertThat(camel.getEndpoint(sentTo)).isSameAs(writer);
    }

    @Test
    void recordsAreWrittenEveryFlushIntervalWhileTrafficGoesOn() {
        // requests back to back, each record arriving well within the 100 ms flush interval of the
        // last: the first must be settled and written while they go on, not once they stop
        String first = json(post("/chat/completions", chat("test/sim", false)).body()).path("id").asText();
        long started = System.nanoTime();
        boolean written = false;
        while (!written && System.nanoTime() - started < 2_000_000_000L) {
            assertThat(post("/chat/completions", chat("test/sim", false)).statusCode()).isEqualTo(200);
            written = db.queryForObject("SELECT COUNT(*) FROM generations WHERE id = ?", Integer.class, first) == 1;
        }
        assertThat(written).as("written while requests kept coming for 2 s").isTrue();
    }
}
