package dev.caravan.stream;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The clock of every open stream. A stream's own thread blocks in reads of its upstream, so
 * that each chunk is passed on the moment it arrives, with no hand-off between threads; while it
 * waits, these threads send its keep-alive comments and enforce its deadlines (first token,
 * silence, whole stream) by closing its upstream. A few threads serve thousands of streams:
 * a check takes microseconds and comes once a keep-alive interval per stream. There are several
 * in case a keep-alive write blocks on a client that stopped reading.
 */
@Component
public class StreamWatch implements DisposableBean {

    private final ScheduledThreadPoolExecutor clock = new ScheduledThreadPoolExecutor(4, runnable -> {
        Thread thread = new Thread(runnable, "stream-watch");
        thread.setDaemon(true);
        return thread;
    });

    public StreamWatch() {
        clock.setRemoveOnCancelPolicy(true);
    }

    /** Runs the task after the delay; the returned future cancels it (null once the watch has stopped). */
    ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        return clock.isShutdown() ? null : clock.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    }

    @Override
    public void destroy() {
        clock.shutdownNow();
    }
}
