package dev.caravan.accounting;

import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The Java side of the usage-writer route (routes/usage.camel.yaml): a batch of generation
 * records becomes the named-parameter rows of one batched INSERT, and once that is committed the
 * records stop being pending.
 */
@Component("usageWriter")
public class UsageWriter {

    static final String BATCH = "caravan.generationBatch";

    private final PendingGenerations pending;

    public UsageWriter(PendingGenerations pending) {
        this.pending = pending;
    }

    public List<Map<String, Object>> rows(Exchange exchange, List<Generation> batch) {
        exchange.setProperty(BATCH, batch);
        return batch.stream().map(Generation::row).toList();
    }

    @SuppressWarnings("unchecked")
    public void written(Exchange exchange) {
        pending.written(exchange.getProperty(BATCH, List.class));
    }
}
