package dev.caravan.metrics;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;

/**
 * One request's clock: when it arrived (stamped by the first servlet filter), how long it waited
 * on upstreams (every attempt, failed ones included; a stream until its first event), and when its
 * first token was ready. Overhead is the rest: the time Caravan itself added. One thread drives an
 * exchange at a time, so the fields need no locking.
 */
public final class RequestTimer {

    public static final String PROPERTY = "caravan.requestTimer";
    /** The request attribute holding {@code System.nanoTime()} at arrival. */
    public static final String RECEIVED = "caravan.receivedNanos";
    public static final String HEADER = "X-Caravan-Overhead-Ms";

    private final long startNanos;
    private long upstreamNanos;
    private long waitingSince;
    private long firstTokenNanos;

    RequestTimer(long startNanos) {
        this.startNanos = startNanos;
    }

    /** The exchange's timer, made on first use from the arrival stamp; null for a trigger that is not HTTP. */
    public static RequestTimer of(Exchange exchange) {
        RequestTimer timer = exchange.getProperty(PROPERTY, RequestTimer.class);
        if (timer == null && exchange.getIn() instanceof PlatformHttpMessage http) {
            HttpServletRequest request = http.getRequest();
            timer = new RequestTimer(request.getAttribute(RECEIVED) instanceof Long at ? at : System.nanoTime());
            exchange.setProperty(PROPERTY, timer);
        }
        return timer;
    }

    /** The request is about to be sent upstream (or to the in-process simulator). */
    public static void upstreamCalled(Exchange exchange) {
        RequestTimer timer = of(exchange);
        if (timer != null) {
            timer.waitingSince = System.nanoTime();
        }
    }

    /** The upstream answered (JSON read, a stream's first event decoded) or failed; idempotent. */
    public static void upstreamAnswered(Exchange exchange, boolean firstToken) {
        RequestTimer timer = exchange.getProperty(PROPERTY, RequestTimer.class);
        if (timer != null && timer.waitingSince != 0) {
            long now = System.nanoTime();
            timer.upstreamNanos += now - timer.waitingSince;
            timer.waitingSince = 0;
            if (firstToken) {
                timer.firstTokenNanos = now;
            }
        }
    }

    /** Time Caravan added until {@code now}; an upstream still being waited on counts as upstream. */
    public long overheadNanos(long now) {
        long waiting = waitingSince == 0 ? 0 : now - waitingSince;
        return Math.max(0, now - startNanos - upstreamNanos - waiting);
    }

    public long elapsedNanos(long now) {
        return now - startNanos;
    }

    /** From arrival to the first token (a stream's first event, a JSON answer whole); -1 if none came. */
    public long timeToFirstTokenNanos() {
        return firstTokenNanos == 0 ? -1 : firstTokenNanos - startNanos;
    }

    /** The header value: milliseconds with two decimals (most requests spend well under one in Caravan). */
    public String overheadHeader() {
        long hundredths = (overheadNanos(System.nanoTime()) + 5_000) / 10_000;
        long fraction = hundredths % 100;
        return (hundredths / 100) + (fraction < 10 ? ".0" : ".") + fraction;
    }
}
