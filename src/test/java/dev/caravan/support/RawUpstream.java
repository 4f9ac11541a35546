package dev.caravan.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * An upstream written against a bare socket on 127.0.0.1, for what real servers do to a
 * connection (close it unannounced while idle, answer and never end) that the JDK's HTTP server
 * does not let a test do.
 */
public final class RawUpstream {

    private RawUpstream() {
    }

    /** Listens on a free loopback port; {@code serve} runs its accept loop on a daemon thread. */
    public static ServerSocket listen(Consumer<ServerSocket> serve) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> serve.accept(server), "raw-upstream");
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }

    /** Reads one request: its head and its Content-Length body. False if the connection ended first. */
    public static boolean readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return false;
            }
            head.append((char) b);
        }
        String lower = head.toString().toLowerCase(Locale.ROOT);
        int at = lower.indexOf("content-length:");
        int length = at < 0 ? 0 : Integer.parseInt(lower.substring(at + 15, lower.indexOf("\r\n", at)).trim());
        in.readNBytes(length);
        return true;
    }
}
