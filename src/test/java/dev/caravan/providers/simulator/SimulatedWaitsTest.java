package dev.caravan.providers.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The simulator's waits for JSON answers and Caravan's stop.
 * Cases: a wait of an hour ends once the stop begins (whether it began waiting before or after);
 * after a restart a wait waits again, until the next stop.
 */
class SimulatedWaitsTest {

    private static final long HOUR_MS = 3_600_000;

    private static Thread waitAnHour(SimulatedWaits waits) {
        Thread waiting = new Thread(() -> {
            try {
                waits.pause(HOUR_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiting.start();
        return waiting;
    }

    @Test
    void aLongWaitEndsWhenCaravanStops() throws Exception {
        SimulatedWaits waits = new SimulatedWaits();
        waits.start();
        Thread waiting = waitAnHour(waits);

        waits.stop();
        waiting.join(10_000);

        assertThat(waiting.isAlive()).as("still waiting after the stop").isFalse();
        assertThat(waits.isRunning()).isFalse();
    }

    @Test
    void afterARestartAWaitWaitsAgainUntilTheNextStop() throws Exception {
        SimulatedWaits waits = new SimulatedWaits();
        waits.start();
        waits.stop();
        waits.start();
        Thread waiting = waitAnHour(waits);

        // it begins waiting, and does not end by itself
        for (int i = 0; i < 1_000 && waiting.getState() != Thread.State.TIMED_WAITING && waiting.isAlive(); i++) {
            Thread.sleep(10);
        }
        assertThat(waiting.getState()).isEqualTo(Thread.State.TIMED_WAITING);

        waits.stop();
        waiting.join(10_000);
        assertThat(waiting.isAlive()).isFalse();
    }
}
