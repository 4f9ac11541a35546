package dev.caravan.api;

import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.tomcat.util.threads.TaskQueue;

/**
 * Tomcat's task queue, except that the pool thread that went idle last is the one woken for the
 * next request.
 *
 * <p>Tomcat's own queue lets idle threads wait on a {@code LinkedBlockingQueue}, whose waiters are
 * woken in the order they went idle: the request goes to the thread idle longest, whose stack,
 * thread-locals and caches are the coldest. Here idle threads wait on a stack instead, so a few
 * threads serve a light load and stay warm, and the rest only wake for bursts (and time out as
 * before). Everything else is Tomcat's {@link TaskQueue}: when the pool creates a thread rather than
 * queueing, what it queues once at its maximum, and {@code force} after a rejection.
 *
 * <p>No request is left waiting while a thread idles: a thread pushes itself on the stack before it
 * looks at the queue one last time and parks; every task queued pops one thread off the stack and
 * wakes it; and a thread that leaves with a task while others are still queued wakes the next one,
 * in case the wake-up it used was meant for one of them. A thread woken for a task another thread
 * took first looks again and parks again.
 */
public class LastIdleFirstQueue extends TaskQueue {

    /** The idle threads, the one idle for the shortest time first. */
    private final Deque<Thread> idle = new ConcurrentLinkedDeque<>();

    public LastIdleFirstQueue(int capacity) {
        super(capacity);
    }

    @Override
    public boolean offer(Runnable task) {
        return wakeIfQueued(super.offer(task));
    }

    @Override
    public boolean force(Runnable task) {
        return wakeIfQueued(super.force(task));
    }

    @Override
    public Runnable poll(long timeout, TimeUnit unit) throws InterruptedException {
        Runnable task = await(System.nanoTime() + unit.toNanos(timeout));
        // Tomcat's own poll ends a timed-out wait by letting the pool retire this thread if it must
        return task != null ? task : super.poll(0, TimeUnit.NANOSECONDS);
    }

    @Override
    public Runnable take() throws InterruptedException {
        Runnable task = super.poll(0, TimeUnit.NANOSECONDS);
        return task != null ? task : await(Long.MAX_VALUE);
    }

    /** The next task, or null once {@code deadline} (a {@link System#nanoTime()}) has passed. */
    private Runnable await(long deadline) throws InterruptedException {
        Thread self = Thread.currentThread();
        for (;;) {
            Runnable task = poll();
            if (task == null) {
                idle.push(self);
                task = poll();   // queued before the push, it woke nobody: look once more before sleeping
                if (task == null) {
                    long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
                    if (left <= 0) {
                        idle.removeFirstOccurrence(self);
                        return null;
                    }
                    LockSupport.parkNanos(this, left);
                }
                // popped already if an offer woke it; still there after a timeout or a spurious wake-up
                idle.removeFirstOccurrence(self);
            }
            if (task != null) {
                // the wake-up of a task still queued may have come to this thread: pass it on
                if (!isEmpty()) {
                    wakeLastIdle();
                }
                return task;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    private boolean wakeIfQueued(boolean queued) {
        if (queued) {
            wakeLastIdle();
        }
        return queued;
    }

    private void wakeLastIdle() {
        Thread next = idle.pollFirst();
        if (next != null) {
            LockSupport.unpark(next);
        }
    }
}
