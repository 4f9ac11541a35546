package dev.caravan.stream;

import java.io.IOException;

/**
 * An upstream's body as it arrives, read by the thread that writes the response: an HTTP
 * response body, or the simulator's events. {@link #cancel} may come from another thread (the
 * stream's {@link StreamWatch}) and makes a blocked {@link #next} fail at once: that is how a
 * deadline or a departed client stops an upstream that is still generating.
 */
public interface UpstreamBody {

    /** Returned by {@link #next} once the upstream has finished. */
    byte[] END = new byte[0];

    /** The next bytes as soon as there are any, or {@link #END}; blocks until then. */
    byte[] next() throws IOException;

    /** Stops the upstream and fails a waiting {@link #next}; idempotent, from any thread. */
    void cancel();

    /**
     * Called once the stream's last event has come: reads what is left of the body (the end of an
     * HTTP response) so that {@link #close} can give its connection back for another stream.
     * Blocks until then; {@link #cancel} stops it.
     */
    default void drain() throws IOException {
    }

    /** Releases the body once its reader is done with it (cancelling it first if it is not finished). */
    void close();
}
