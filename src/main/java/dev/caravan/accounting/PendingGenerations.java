package dev.caravan.accounting;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Component;

/**
 * Generations of this instance that the database does not hold yet: in flight (reserved, not
 * finished) or finished and waiting in the usage writer's queue. {@code /generation} looks here
 * first, so a record is readable the moment its response has ended; a lookup that arrives in the
 * instant between the client's last byte and the record step waits for it.
 */
@Component("pendingGenerations")
public class PendingGenerations {

    private final Map<String, CompletableFuture<Generation>> pending = new ConcurrentHashMap<>();

    public void begin(String id) {
        pending.put(id, new CompletableFuture<>());
    }

    public void finish(Generation generation) {
        pending.computeIfAbsent(generation.id(), id -> new CompletableFuture<>()).complete(generation);
    }

    /** Called by the usage writer once the rows are committed. */
    public void written(List<Generation> generations) {
        generations.forEach(g -> pending.remove(g.id()));
        synchronized (this) {
            notifyAll();
        }
    }

    /**
     * Waits until nothing is pending (every reserved request settled and its record written), at
     * most {@code waitMs}; true when nothing is.
     */
    public synchronized boolean awaitEmpty(long waitMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        for (long left = waitMs; !pending.isEmpty() && left > 0;
             left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) {
            wait(left);
        }
        return pending.isEmpty();
    }

    /** The pending generation, waiting up to {@code waitMs} for one still in flight; empty when not pending. */
    public Optional<Generation> find(String id, long waitMs) {
        CompletableFuture<Generation> future = pending.get(id);
        if (future == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(future.get(waitMs, TimeUnit.MILLISECONDS));
        } catch (TimeoutException | ExecutionException stillRunning) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    public boolean contains(String id) {
        return pending.containsKey(id);
    }

    public int size() {
        return pending.size();
    }
}
