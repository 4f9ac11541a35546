package dev.caravan.routing;

import dev.caravan.api.ApiException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The attempts still to make for one request, and what the ones made so far answered. */
public final class Plan {

    public static final String PROPERTY = "plan";
    /** Exchange property the attempt loop in chat.camel.yaml tests: whether another attempt is due. */
    public static final String PENDING = "attemptPending";

    private final List<Attempt> planned;
    private final ArrayDeque<Attempt> pending;
    private final List<Map<String, Object>> previousErrors = new ArrayList<>();
    private final long deadlineNanos;
    private int retries;

    public Plan(List<Attempt> attempts, long budgetNanos) {
        this.planned = List.copyOf(attempts);
        this.pending = new ArrayDeque<>(attempts);
        this.deadlineNanos = System.nanoTime() + budgetNanos;
    }

    /** Every attempt the plan started with, in order (what a reservation must be able to pay for). */
    public List<Attempt> planned() {
        return planned;
    }

    public boolean hasNext() {
        return !pending.isEmpty();
    }

    public Attempt next() {
        return pending.removeFirst();
    }

    /** What the client is told when every attempt failed: the last error, with all of them listed. */
    public ApiException giveUp(ApiException last) {
        Map<String, Object> metadata = new LinkedHashMap<>(last.metadata());
        metadata.put("previous_errors", Collections.unmodifiableList(previousErrors));
        return last.withMetadata(metadata);
    }

    void failed(Attempt attempt, ApiException error) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("provider", attempt.provider().slug());
        entry.put("model", attempt.model().id());
        entry.put("code", error.type());
        entry.put("status", error.status());
        previousErrors.add(entry);
    }

    /** The model's other endpoints would fail the same way (the request itself was refused). */
    void skipRestOf(Attempt attempt) {
        pending.removeIf(a -> a.model().equals(attempt.model()));
    }

    /** Try the same attempt again after {@code waitMillis}, if that fits the request's time budget. */
    boolean retryAfter(Attempt attempt, long waitMillis, int maxRetries) throws InterruptedException {
        if (retries >= maxRetries || System.nanoTime() + waitMillis * 1_000_000 > deadlineNanos) {
            return false;
        }
        retries++;
        Thread.sleep(waitMillis);
        pending.addFirst(attempt);
        return true;
    }

    public List<Map<String, Object>> previousErrors() {
        return previousErrors;
    }
}
