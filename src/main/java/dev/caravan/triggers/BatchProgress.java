package dev.caravan.triggers;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lines done of total for one batch file: logged at every tenth of the file, and exposed while the
 * file runs as the gauges {@code caravan.batch.lines.done} and {@code caravan.batch.lines.total}
 * (tags {@code inbox}, {@code file}), removed when it ends so that finished files leave no meters.
 */
final class BatchProgress implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BatchProgress.class);

    private final String inbox;
    private final String file;
    private final long total;
    private final AtomicLong done;
    private final MeterRegistry registry;
    private final List<Meter> meters;
    private long nextLog;

    BatchProgress(String inbox, String file, long total, long alreadyDone, MeterRegistry registry) {
        this.inbox = inbox;
        this.file = file;
        this.total = total;
        this.done = new AtomicLong(alreadyDone);
        this.registry = registry;
        this.meters = registry == null ? List.of() : List.of(
                Gauge.builder("caravan.batch.lines.done", done, AtomicLong::get).tag("inbox", inbox).tag("file", file)
                        .description("Lines of a running batch file answered so far").register(registry),
                Gauge.builder("caravan.batch.lines.total", () -> total).tag("inbox", inbox).tag("file", file)
                        .description("Lines of a running batch file in all").register(registry));
        this.nextLog = alreadyDone + step();
        log.info("Batch {}/{}: {} lines{}", inbox, file, total,
                alreadyDone > 0 ? ", resuming after line " + alreadyDone : "");
    }

    void lineDone() {
        long now = done.incrementAndGet();
        if (now >= nextLog && now < total) {
            nextLog = now + step();
            log.info("Batch {}/{}: {} of {} lines done", inbox, file, now, total);
        }
    }

    long done() {
        return done.get();
    }

    private long step() {
        return Math.max(1, total / 10);
    }

    @Override
    public void close() {
        if (registry != null) {
            meters.forEach(registry::remove);
        }
    }
}
