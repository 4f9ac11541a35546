package dev.caravan.stream;

import java.io.IOException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * An upstream body fed by a producer on another thread (the simulator's scheduler). Closing it
 * cancels the producer and wakes a reader waiting for the next bytes.
 */
public final class ChunkQueue implements UpstreamBody {

    private static final Object FINISHED = new Object();
    private static final Object CLOSED = new Object();

    private final LinkedBlockingQueue<Object> items = new LinkedBlockingQueue<>();
    private volatile Runnable cancel = () -> { };
    private volatile boolean closed;

    @Override
    public byte[] next() throws IOException {
        Object item;
        try {
            item = items.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the upstream", e);
        }
        if (item == FINISHED) {
            items.offer(FINISHED);
            return END;
        }
        if (item == CLOSED) {
            items.offer(CLOSED);
            throw new IOException("the stream was closed");
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

    /** What to run when the reader gives up (the client left, a deadline passed, or the stream was read). */
    public void onCancel(Runnable action) {
        this.cancel = action;
        if (closed) {
            action.run();
        }
    }

    @Override
    public void cancel() {
        if (!closed) {
            closed = true;
            items.offer(CLOSED);
            cancel.run();
        }
    }

    @Override
    public void close() {
        cancel();
    }
}
