package dev.caravan.stream;

import java.io.IOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Carries an upstream body from whoever produces it (the upstream's reader thread, the
 * simulator's scheduler) to the thread writing the response, which can then wait with a
 * timeout and send keep-alives instead of blocking in a read. Closing it cancels the producer,
 * which for HTTP closes the upstream connection: that is how a departed client stops generation.
 */
public final class ChunkQueue {

    /** Returned by {@link #poll} once the upstream has finished. */
    public static final byte[] END = new byte[0];

    private static final Object FINISHED = new Object();

    private final LinkedBlockingQueue<Object> items = new LinkedBlockingQueue<>();
    private volatile Runnable cancel = () -> { };
    private volatile boolean closed;

    /** The next bytes, {@link #END}, or null when nothing arrived within the wait. */
    public byte[] poll(long timeoutMillis) throws IOException, InterruptedException {
        Object item = items.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        if (item == FINISHED) {
            items.offer(FINISHED);
            return END;
        }
        if (item instanceof Throwable failure) {
            items.offer(failure);
            throw failure instanceof IOException io ? io : new IOException(failure.getMessage(), failure);
        }
        return (byte[]) item;
    }

    public void offer(byte[] bytes) {
        if (!closed && bytes.length > 0) {
            items.offer(bytes);
        }
    }

    public void finish() {
        items.offer(FINISHED);
    }

    public void fail(Throwable failure) {
        items.offer(failure);
    }

    /** What to run when the reader gives up (the client left, or the stream was fully read). */
    public void onCancel(Runnable action) {
        this.cancel = action;
        if (closed) {
            action.run();
        }
    }

    public void close() {
        if (!closed) {
            closed = true;
            cancel.run();
        }
    }
}
