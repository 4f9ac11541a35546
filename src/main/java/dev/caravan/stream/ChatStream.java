package dev.caravan.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.api.ClientDisconnected;
import dev.caravan.providers.StreamDecoder;
import dev.caravan.providers.UpstreamException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The body of a streaming response. platform-http copies it to the client and flushes after every
 * read; a read blocks in the upstream's own read, so each upstream chunk is translated and leaves
 * the moment it arrives, on this one thread. While it waits, the {@link StreamWatch} sends a
 * keep-alive comment after each {@code keepAliveMs} of silence (a failed one is how a client that
 * left is noticed) and cancels the upstream once a deadline passes. Closing it (the client left,
 * or the exchange completed) releases the upstream: a stream that ran to its end first reads the
 * end of the upstream's body, so that its connection is kept; any other is cancelled.
 */
public final class ChatStream extends InputStream {

    /** The exchange property holding the stream once it is the response body (accounting settles from it). */
    public static final String PROPERTY = "caravan.chatStream";

    /** How long the end of an upstream's body may take to come after its last event, for its connection to be kept. */
    private static final long DRAIN_MS = 200;

    private final UpstreamBody upstream;
    private final StreamDecoder decoder;
    private final ChunkFramer framer;
    private final String provider;
    private final StreamTimeouts timeouts;
    private final StreamWatch watch;
    private final KeepAlive keepAlive;
    private final SseDecoder sse = new SseDecoder();
    private final ArrayDeque<byte[]> ready = new ArrayDeque<>();
    private final long startedNanos = System.nanoTime();
    private volatile long lastUpstreamNanos = startedNanos;
    private volatile boolean sawEvent;
    private long firstEventNanos;
    private long endedNanos;
    private UpstreamException failure;
    private volatile boolean ended;
    private volatile boolean closed;
    private byte[] current = new byte[0];
    private int position;

    /**
     * Guards {@link #waiting} and the response while the watch writes to it: the watch writes
     * only while this stream's thread is blocked on the upstream, so never at the same time as
     * platform-http, and never once the request is over.
     */
    private final Object writes = new Object();
    private boolean waiting;
    private long lastWriteNanos = startedNanos;
    /** Set by the watch before it cancels the upstream: why the blocked read then fails. */
    private volatile String expired;
    private volatile boolean clientGone;

    public ChatStream(UpstreamBody upstream, StreamDecoder decoder, ChunkFramer framer, String provider,
                      StreamTimeouts timeouts, StreamWatch watch, KeepAlive keepAlive) {
        this.upstream = upstream;
        this.decoder = decoder;
        this.framer = framer;
        this.provider = provider;
        this.timeouts = timeouts;
        this.watch = watch;
        this.keepAlive = keepAlive;
    }

    /**
     * Waits for the upstream's answer to begin ({@link ChunkFramer#answered}: its opening chunks
     * with only the role are held back meanwhile), while the watch sends keep-alive comments.
     * Until it returns nothing but comments has gone out, so a failure here (thrown) still lets
     * the attempt loop fall back to the next endpoint.
     *
     * @throws UpstreamException when the upstream failed, or sent nothing in time, before its answer began
     * @throws ClientDisconnected when a keep-alive found the client gone
     */
    public void awaitFirstEvent() throws IOException {
        watch.schedule(this::check, nextCheckNanos(startedNanos) - startedNanos);
        while (!framer.answered() && !ended) {
            step(true);
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        while (position >= current.length) {
            if (!ready.isEmpty()) {
                current = ready.poll();
                position = 0;
            } else if (ended || closed) {
                return -1;
            } else {
                step(false);
            }
        }
        int count = Math.min(length, current.length - position);
        System.arraycopy(current, position, buffer, offset, count);
        position += count;
        return count;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int available() {
        return current.length - position;
    }

    /** Whether the stream ran to its end ({@code [DONE]} written or due); false for a client that left. */
    public boolean completed() {
        return ended && ready.isEmpty() && position >= current.length;
    }

    public ChunkFramer framer() {
        return framer;
    }

    /** The failure that ended the stream after it had started, or null. */
    public UpstreamException failure() {
        return failure;
    }

    /** Tokens per second from the first event to the end, or NaN when the stream did not run its course. */
    public double tokensPerSecond() {
        if (!ended || failure != null || firstEventNanos == 0 || endedNanos <= firstEventNanos) {
            return Double.NaN;
        }
        return framer.usage().completionTokens() * 1e9 / (endedNanos - firstEventNanos);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (ended && failure == null) {
                drainUpstream();
            }
            upstream.close();
        }
    }

    /**
     * After the last event only the end of the upstream's HTTP body is left, due at once. Read,
     * it gives the connection back to the pool: the next stream to this provider then needs no
     * new connection (no TCP or TLS handshake). An upstream that holds it back longer than
     * {@link #DRAIN_MS} is cancelled instead: the client has its whole answer by now, but its
     * connection takes its next request only once this thread is free.
     */
    private void drainUpstream() {
        ScheduledFuture<?> limit = watch.schedule(upstream::cancel, nanos(DRAIN_MS));
        if (limit == null) {
            return;   // the watch has stopped with Caravan: nothing would bound the wait, so close() drops the connection
        }
        try {
            upstream.drain();
        } catch (IOException cancelledOrBroken) {
            // close() drops the connection
        } finally {
            limit.cancel(false);
        }
    }

    /** One blocking read of the upstream, its bytes decoded into {@link #ready}. */
    private void step(boolean beforeFirstEvent) throws IOException {
        byte[] bytes;
        synchronized (writes) {
            waiting = true;
        }
        try {
            bytes = upstream.next();
        } catch (IOException e) {
            if (clientGone) {
                close();
                if (beforeFirstEvent) {
                    throw new ClientDisconnected();
                }
                throw new IOException("the client closed the connection", e);
            }
            String why = expired;
            fail(why != null ? new UpstreamException(504, "timeout", why, provider, 0, true, null)
                    : UpstreamException.fromFailure(provider, e), beforeFirstEvent);
            return;
        } finally {
            synchronized (writes) {
                waiting = false;
                lastWriteNanos = System.nanoTime();   // what came is written now
            }
        }
        if (bytes == UpstreamBody.END) {
            if (framer.finished()) {
                end();
            } else {
                fail(UpstreamException.invalidResponse(provider, sawEvent ? "the stream ended before it finished"
                        : "no server-sent events"), beforeFirstEvent);
            }
        } else {
            lastUpstreamNanos = System.nanoTime();
            decode(bytes, beforeFirstEvent);
        }
    }

    private void decode(byte[] bytes, boolean beforeFirstEvent) {
        List<SseEvent> events;
        try {
            events = sse.feed(bytes);
        } catch (SseDecoder.EventTooLarge e) {
            fail(UpstreamException.invalidResponse(provider, e.getMessage()), beforeFirstEvent);
            return;
        }
        for (SseEvent event : events) {
            List<ObjectNode> chunks;
            try {
                chunks = decoder.decode(event);
            } catch (UpstreamException e) {
                fail(e, beforeFirstEvent);
                return;
            }
            if (chunks == null) {
                end();
                return;
            }
            if (!sawEvent) {
                sawEvent = true;
                firstEventNanos = System.nanoTime();
            }
            for (ObjectNode chunk : chunks) {
                byte[] framed = framer.frame(chunk);
                if (framed != null) {
                    ready.add(framed);
                }
            }
        }
    }

    /**
     * Before the answer began, the failure becomes the HTTP answer (or the next attempt's turn),
     * and the chunks held back go with this stream; after, it ends the stream.
     */
    private void fail(UpstreamException failure, boolean beforeFirstEvent) {
        if (beforeFirstEvent && !framer.answered()) {
            close();
            throw failure;
        }
        this.failure = failure;
        ready.add(framer.errorChunk(failure));
        end();
    }

    private void end() {
        if (!ended) {
            ended = true;
            endedNanos = System.nanoTime();
            ready.add(framer.usageChunk());
            ready.add(framer.done());
        }
    }

    /**
     * The watch's turn, on its thread: cancels the upstream once a deadline has passed, sends a
     * keep-alive after a silence, then comes back at the next of those.
     */
    private void check() {
        if (ended || closed) {
            return;
        }
        long now = System.nanoTime();
        if (now >= deadlineNanos()) {
            expired = provider + (now - startedNanos >= nanos(timeouts.maxMs())
                    ? " streamed past Caravan's limit of " + timeouts.maxMs() + " ms"
                    : sawEvent ? " stalled mid-stream" : " sent no first token in time");
            upstream.cancel();
            return;
        }
        synchronized (writes) {
            if (waiting && now - lastWriteNanos >= nanos(timeouts.keepAliveMs())) {
                try {
                    keepAlive.send();
                    lastWriteNanos = now;
                } catch (IOException gone) {
                    clientGone = true;
                    upstream.cancel();
                    return;
                }
            }
        }
        watch.schedule(this::check, nextCheckNanos(now) - now);
    }

    /** When the stream's next deadline passes: its whole-stream limit, or the first-token or idle one. */
    private long deadlineNanos() {
        long quietSince = sawEvent ? lastUpstreamNanos : startedNanos;
        long quietLimit = sawEvent ? timeouts.idleMs() : timeouts.firstTokenMs();
        return Math.min(startedNanos + nanos(timeouts.maxMs()), quietSince + nanos(quietLimit));
    }

    /** When the next keep-alive may be due or the next deadline passes, whichever comes first. */
    private long nextCheckNanos(long now) {
        long interval = nanos(timeouts.keepAliveMs());
        long keepAliveAt;
        synchronized (writes) {
            // overdue means this stream's thread was busy writing: look again an interval later
            keepAliveAt = lastWriteNanos + interval > now ? lastWriteNanos + interval : now + interval;
        }
        return Math.max(now + nanos(1), Math.min(keepAliveAt, deadlineNanos()));
    }

    private static long nanos(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
