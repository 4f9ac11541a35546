package dev.caravan.providers.simulator;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The simulator's waits for a JSON answer, which hold a request thread as a real upstream call
 * does. Caravan's graceful stop waits for every request to finish: once it begins, the waits end
 * at once and their answers go out, instead of holding the stop (up to the provider's timeout).
 * Streams need none of this: they wait on the simulator's scheduler, not on a request thread.
 */
@Component
class SimulatedWaits implements SmartLifecycle {

    private volatile CountDownLatch stopping = new CountDownLatch(1);
    private volatile boolean running;

    /** Waits {@code millis}, or until Caravan begins to stop. */
    void pause(long millis) throws InterruptedException {
        stopping.await(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void start() {
        if (stopping.getCount() == 0) {
            stopping = new CountDownLatch(1);
        }
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        stopping.countDown();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stopped with the web server's graceful shutdown, which would otherwise wait for these requests. */
    @Override
    public int getPhase() {
        return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE;
    }
}
