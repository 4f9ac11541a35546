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
 * than its column, queued in one batch with an ordinary record; the queue the routes use.
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
}
