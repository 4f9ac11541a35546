package dev.caravan.accounting;

import java.time.Duration;
import org.apache.camel.processor.aggregate.AggregateController;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Writes every usage record of this instance before Caravan stops. Spring stops it after the web
 * server's graceful shutdown (phase {@code Integer.MAX_VALUE - 1024}: no request runs any more)
 * and before Camel (phase {@code Integer.MAX_VALUE - 2049}), so the usage-writer route, its
 * database and every finished request's record are all still there. It flushes the batch the
 * usage writer is gathering whenever the writer stands idle, until every request that reserved
 * has been settled and written, whatever the flush interval.
 *
 * <p>Camel's own {@code forceCompletionOnStop} cannot do this alone: it completes the batch once,
 * early in Camel's shutdown, and records that reach the aggregator afterwards (a request finishing
 * as Caravan stops, the queue's backlog) wait for the flush interval; with
 * {@code completeAllOnStop} Camel waits for them up to its 45 s shutdown timeout, then drops them.
 */
@Component
public class UsageDrain implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(UsageDrain.class);

    /** Between the web server's graceful shutdown and Camel's stop (see the class comment). */
    static final int PHASE = Integer.MAX_VALUE - 1536;

    /** How long the writer may write nothing before the batch it is gathering is flushed. */
    private static final long FLUSH_EVERY_MS = 50;

    private final PendingGenerations pending;
    private final AggregateController usageBatches;
    private final long timeoutMs;
    private volatile boolean running;

    public UsageDrain(PendingGenerations pending, AggregateController usageBatches,
                      @Value("${caravan.usage.drain-timeout:30s}") Duration timeout) {
        this.pending = pending;
        this.usageBatches = usageBatches;
        this.timeoutMs = timeout.toMillis();
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        int atStop = pending.size();
        long started = System.nanoTime();
        long deadline = started + timeoutMs * 1_000_000;
        try {
            int before = -1;
            while (pending.size() > 0 && System.nanoTime() < deadline) {
                int left = pending.size();
                if (left == before) {
                    // nothing was written meanwhile: the writer has gathered all it can, flush it. While
                    // rows are being written (a backlog) it completes full batches by itself, faster
                    usageBatches.forceCompletionOfAllGroups();
                }
                before = left;
                pending.awaitEmpty(FLUSH_EVERY_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (pending.size() > 0) {
            // their reservations stay in the database: the next start settles them (README, Stopping)
            log.warn("{} usage records were not written within {} ms of stopping", pending.size(), timeoutMs);
        } else if (atStop > 0) {
            log.info("Wrote the last {} usage records in {} ms", atStop, (System.nanoTime() - started) / 1_000_000);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
