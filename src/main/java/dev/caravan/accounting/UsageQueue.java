package dev.caravan.accounting;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The queue of {@code seda:usage}, between the requests that finish and the usage writer. A plain
 * blocking queue wakes its idle consumer for every record it is given: at a moderate load the
 * writer slept and was woken once per request, a context switch on each side (about one in six
 * of Caravan's context switches at 16 connections), to add one record to a batch it writes up to
 * 100 ms later anyway. Here the waiting consumer is never signalled: while the queue is empty it
 * looks again every {@value #LOOK_EVERY_MS} ms, so a record waits at most that much longer before
 * the writer takes it (side by side at 16 connections on the 50 ms mock, the added p99 was lower
 * in each of eight alternating rounds, by 0.8 ms at the median; bench/README.md). A busy writer
 * finds the next record at once, as before. Full, it makes the requests' threads wait
 * ({@code blockWhenFull} in the routes) rather than drop a record.
 */
@Component("usageQueue")
public class UsageQueue extends LinkedBlockingQueue<Exchange> {

    /** Records the writer can fall behind by (a database outage's worth) before requests wait. */
    static final int CAPACITY = 100_000;
    static final long LOOK_EVERY_MS = 10;

    public UsageQueue() {
        super(CAPACITY);
    }

    @Override
    public Exchange poll(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (Exchange record = poll(); ; record = poll()) {
            long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (record != null || leftMs <= 0) {
                return record;
            }
            Thread.sleep(Math.min(LOOK_EVERY_MS, leftMs));
        }
    }
}
