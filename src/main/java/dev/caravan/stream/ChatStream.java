package dev.caravan.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.api.ClientDisconnected;
import dev.caravan.providers.StreamDecoder;
import dev.caravan.providers.UpstreamException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The body of a streaming response. platform-http copies it to the client and flushes after every
 * read, so each upstream chunk leaves as soon as it is translated. While the upstream is silent,
 * a read returns a keep-alive comment after {@code keepAliveMs}; that write is also how a client
 * that left is noticed. Closing it (the client left, or the exchange completed) cancels the upstream.
 */
public final class ChatStream extends InputStream {

    /** The exchange property holding the stream once it is the response body (accounting settles from it). */
    public static final String PROPERTY = "caravan.chatStream";

    private static final byte[] KEEP_ALIVE = ": PROCESSING\n\n".getBytes(StandardCharsets.US_ASCII);

    private final ChunkQueue upstream;
    private final StreamDecoder decoder;
    private final ChunkFramer framer;
    private final String provider;
    private final StreamTimeouts timeouts;
    private final SseDecoder sse = new SseDecoder();
    private final ArrayDeque<byte[]> ready = new ArrayDeque<>();
    private final long startedNanos = System.nanoTime();
    private long lastUpstreamNanos = startedNanos;
    private boolean sawEvent;
    private long firstEventNanos;
    private long endedNanos;
    private UpstreamException failure;
    private boolean ended;
    private volatile boolean closed;
    private byte[] current = new byte[0];
    private int position;

    public ChatStream(ChunkQueue upstream, StreamDecoder decoder, ChunkFramer framer, String provider,
                      StreamTimeouts timeouts) {
        this.upstream = upstream;
        this.decoder = decoder;
        this.framer = framer;
        this.provider = provider;
        this.timeouts = timeouts;
    }

    /**
     * Waits for the upstream's first event, sending keep-alive comments meanwhile. Until it
     * returns nothing but comments has gone out, so a failure here (thrown) still lets the
     * attempt loop fall back to the next endpoint.
     *
     * @throws UpstreamException when the upstream failed, or sent nothing in time, before its first event
     * @throws ClientDisconnected when a keep-alive found the client gone
     */
    public void awaitFirstEvent(KeepAlive keepAlive) throws IOException {
        long lastWrite = System.nanoTime();
        while (ready.isEmpty() && !ended) {
            step(timeouts.keepAliveMs(), true);
            if (ready.isEmpty() && !ended
                    && System.nanoTime() - lastWrite >= TimeUnit.MILLISECONDS.toNanos(timeouts.keepAliveMs())) {
                try {
                    keepAlive.send();
                } catch (IOException clientGone) {
                    close();
                    throw new ClientDisconnected();
                }
                lastWrite = System.nanoTime();
            }
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
                step(timeouts.keepAliveMs(), false);
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
            upstream.close();
        }
    }

    private void step(long waitMs, boolean beforeFirstEvent) throws IOException {
        byte[] bytes;
        try {
            bytes = upstream.poll(Math.max(1, Math.min(waitMs, deadlineMs())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new InterruptedIOException("stream interrupted");
        } catch (IOException e) {
            fail(UpstreamException.fromFailure(provider, e), beforeFirstEvent);
            return;
        }
        if (bytes == null) {
            if (deadlineMs() <= 0) {
                String what = maxLeftMs() <= 0 ? " streamed past Caravan's limit of " + timeouts.maxMs() + " ms"
                        : sawEvent ? " stalled mid-stream" : " sent no first token in time";
                fail(new UpstreamException(504, "timeout", provider + what, provider, 0, true, null), beforeFirstEvent);
            } else if (!beforeFirstEvent) {
                ready.add(KEEP_ALIVE);
            }
        } else if (bytes == ChunkQueue.END) {
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
        for (SseEvent event : sse.feed(bytes)) {
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

    /** Before anything went out, the failure becomes the HTTP answer; after, it ends the stream. */
    private void fail(UpstreamException failure, boolean beforeFirstEvent) {
        if (beforeFirstEvent && ready.isEmpty()) {
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
            upstream.close();
        }
    }

    private long deadlineMs() {
        long since = sawEvent ? lastUpstreamNanos : startedNanos;
        long limit = sawEvent ? timeouts.idleMs() : timeouts.firstTokenMs();
        return Math.min(limit - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since), maxLeftMs());
    }

    /** A stream's reservation must be settled by its owner long before the sweep would take it over. */
    private long maxLeftMs() {
        return timeouts.maxMs() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }
}
