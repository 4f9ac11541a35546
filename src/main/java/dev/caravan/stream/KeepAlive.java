package dev.caravan.stream;

import java.io.IOException;

/**
 * Where keep-alive comments go while no attempt has produced its first event yet. Sending one
 * commits the response as a 200 event stream, yet the attempt loop may still fall back to the
 * next endpoint: nothing but comments has been written.
 */
public interface KeepAlive {

    /** Exchange property holding the request's keep-alive channel (absent for non-HTTP triggers). */
    String PROPERTY = "keepAlive";

    /** @throws IOException when the client has gone */
    void send() throws IOException;

    boolean committed();

    KeepAlive NONE = new KeepAlive() {
        @Override
        public void send() {
        }

        @Override
        public boolean committed() {
            return false;
        }
    };
}
