package dev.caravan.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.tomcat.util.threads.TaskThreadFactory;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LastIdleFirstQueueTest {

    private final List<ThreadPoolExecutor> pools = new ArrayList<>();

    @AfterEach
    void stop() {
        pools.forEach(ThreadPoolExecutor::shutdownNow);
    }

    private ThreadPoolExecutor pool(int core, int max, long idleMillis) {
        LastIdleFirstQueue queue = new LastIdleFirstQueue(Integer.MAX_VALUE);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(core, max, idleMillis, TimeUnit.MILLISECONDS, queue,
                new TaskThreadFactory("test-exec-", true, Thread.NORM_PRIORITY));
        queue.setParent(pool);
        pools.add(pool);
        return pool;
    }

    @Test
    void theThreadIdleForTheShortestTimeTakesTheNextTask() throws Exception {
        ThreadPoolExecutor pool = pool(3, 3, 60_000);   // Tomcat's pool starts its three threads at once
        Thread.sleep(100);   // all three idle
        String previous = null;
        for (int i = 0; i < 6; i++) {
            AtomicReference<String> ranOn = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(1);
            pool.execute(() -> {
                ranOn.set(Thread.currentThread().getName());
                done.countDown();
            });
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
            awaitIdle(pool);
            Thread.sleep(20);   // parked again, on top of the stack
            // Tomcat's own queue hands these out in turn, to the thread idle longest
            if (previous != null) {
                assertThat(ranOn.get()).isEqualTo(previous);
            }
            previous = ranOn.get();
        }
    }

    @Test
    void everyTaskRunsWhenManyArriveAtOnceFromManyThreads() throws Exception {
        ThreadPoolExecutor pool = pool(2, 8, 60_000);
        int submitters = 8;
        int each = 20_000;
        AtomicInteger ran = new AtomicInteger();
        CountDownLatch allRan = new CountDownLatch(submitters * each);
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < submitters; s++) {
            Thread t = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    pool.execute(() -> {
                        ran.incrementAndGet();
                        allRan.countDown();
                    });
                    if (i % 1_000 == 0) {
                        Thread.onSpinWait();
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        // a lost wake-up leaves a task queued while every thread sleeps: this would time out
        assertThat(allRan.await(20, TimeUnit.SECONDS)).as("tasks run: %d", ran.get()).isTrue();
    }

    @Test
    void tasksQueuedBehindBusyThreadsRunOnceOneIsFree() throws Exception {
        ThreadPoolExecutor pool = pool(1, 2, 60_000);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch queuedRan = new CountDownLatch(10);
        // Tomcat's pool starts its core thread at once, so the first task goes through the queue
        occupy(pool, 2, release);
        for (int i = 0; i < 10; i++) {
            pool.execute(queuedRan::countDown);   // both threads busy, at the maximum: queued
        }
        assertThat(pool.getPoolSize()).isEqualTo(2);
        assertThat(pool.getQueue()).hasSize(10);
        release.countDown();
        assertThat(queuedRan.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void threadsAboveTheMinimumEndAfterIdling() throws Exception {
        ThreadPoolExecutor pool = pool(1, 4, 100);
        CountDownLatch release = new CountDownLatch(1);
        Set<String> names = occupy(pool, 4, release);
        assertThat(names).hasSize(4);   // busy threads: the pool grew rather than queueing
        release.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (pool.getPoolSize() > 1 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(pool.getPoolSize()).isEqualTo(1);
    }

    @Test
    void spareThreadsRetireUnderALightLoadAfterABurst() throws Exception {
        ThreadPoolExecutor pool = pool(1, 8, 300);
        CountDownLatch release = new CountDownLatch(1);
        occupy(pool, 8, release);
        release.countDown();
        // one task at a time every 20 ms: the queue Tomcat has hands each to the thread idle
        // longest, so every one of the 8 works every 160 ms and none is idle long enough to end
        for (int i = 0; i < 60; i++) {
            CountDownLatch done = new CountDownLatch(1);
            pool.execute(done::countDown);
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(20);
        }
        assertThat(pool.getPoolSize()).isLessThanOrEqualTo(2);
    }

    /**
     * Runs {@code count} tasks that hold their threads until {@code release}, and returns once all
     * of them run: the names of the threads they hold.
     */
    private static Set<String> occupy(ThreadPoolExecutor pool, int count, CountDownLatch release)
            throws InterruptedException {
        CountDownLatch running = new CountDownLatch(count);
        Set<String> names = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < count; i++) {
            pool.execute(() -> {
                names.add(Thread.currentThread().getName());
                running.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        return names;
    }

    private static void awaitIdle(ThreadPoolExecutor pool) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (pool.getActiveCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }
}
