package dev.caravan.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/**
 * The usage writer's queue hands over what it is given like any blocking queue, but a consumer
 * waiting on it is never signalled by a record: it looks again on its own.
 */
class UsageQueueTest {

    private final CamelContext camel = new DefaultCamelContext();
    private final UsageQueue queue = new UsageQueue();

    @Test
    void aQueuedRecordIsTakenAtOnce() throws Exception {
        Exchange record = new DefaultExchange(camel);
        queue.offer(record);

        assertThat(queue.poll(1, TimeUnit.SECONDS)).isSameAs(record);
    }

    @Test
    void nothingQueuedWithinTheTimeoutIsNull() throws Exception {
        assertThat(queue.poll(30, TimeUnit.MILLISECONDS)).isNull();
        assertThat(queue.poll(0, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aWaitingConsumerTakesARecordQueuedMeanwhileWithoutBeingSignalled() throws Exception {
        AtomicReference<Thread> consumer = new AtomicReference<>();
        CompletableFuture<Exchange> taken = CompletableFuture.supplyAsync(() -> {
            consumer.set(Thread.currentThread());
            try {
                return queue.poll(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        while (consumer.get() == null || consumer.get().getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }
        // a plain LinkedBlockingQueue parks it on its notEmpty condition, which offer() signals
        assertThat(Arrays.stream(consumer.get().getStackTrace()).map(StackTraceElement::getMethodName))
                .doesNotContain("awaitNanos");

        Exchange record = new DefaultExchange(camel);
        queue.offer(record);

        assertThat(taken.get(10, TimeUnit.SECONDS)).isSameAs(record);
    }

    @Test
    void itHoldsTheConfiguredBacklog() {
        assertThat(queue.remainingCapacity()).isEqualTo(UsageQueue.CAPACITY);
    }
}
