package dev.caravan.providers;

import static dev.caravan.support.WorkingCopy.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.support.RawUpstream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.http.HttpMethods;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * JSON calls over camel-http, configured as Caravan configures it: a pooled connection the upstream
 * closed or reset while idle costs no failed attempt, nothing else is retried, no connection is
 * checked with a 1 ms read before it is lent, and an answer past the size limit fails the call.
 */
class JsonCallConnectionsTest {

    private static final String ANSWER = "{\"ok\":true}";
    private static final int MAX_ANSWER = 4096;

    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger sentOnClosedConnections = new AtomicInteger();
    private volatile int status = 200;
    private volatile long answerDelayMs;
    /** False: the upstream ends each connection under its first request, with no answer. */
    private volatile boolean answers = true;
    private volatile String answer = ANSWER;
    /** The answer without a Content-Length, in chunks of a kilobyte. */
    private volatile boolean chunked;
    /** How the upstream ends a connection: a reset (SO_LINGER 0) instead of a half-close. */
    private volatile boolean resets;
    private ServerSocket server;
    private ProducerTemplate producer;

    @BeforeEach
    void start() throws Exception {
        server = RawUpstream.listen(this::serve);
        HttpComponent http = new HttpComponent();
        camel.addComponent("http", http);
        JsonCallConnections.configure(http, new AnswerSizeLimit(MAX_ANSWER));
        camel.start();
        producer = camel.createProducerTemplate();
    }

    @AfterEach
    void stop() throws Exception {
        camel.stop();
        server.close();
    }

    @Test
    void aPooledConnectionTheUpstreamClosedWhileIdleIsSentAgainOnANewOne() throws Exception {
        Exchange second = callAgainAfterTheUpstreamEndedTheFirstConnection();

        assertThat(second.getMessage().getBody(String.class)).isEqualTo(ANSWER);
    }

    @Test
    void aPooledConnectionTheUpstreamResetWhileIdleIsSentAgainOnANewOne() throws Exception {
        resets = true;

        callAgainAfterTheUpstreamEndedTheFirstConnection();
    }

    /**
     * Two calls 300 ms apart: the upstream closes (or resets) the first one's connection 50 ms
     * after answering, unseen by the pool, and the second call still gets its answer.
     */
    private Exchange callAgainAfterTheUpstreamEndedTheFirstConnection() throws InterruptedException {
        assertThat(call().getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(200);
        Thread.sleep(300);

        Exchange second = call();

        assertThat(second.getException()).isNull();
        assertThat(second.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(200);
        assertThat(connections.get()).as("the second call went out again on a new connection").isEqualTo(2);
        return second;
    }

    /** Sent again, the request might be generated (and billed) twice: the attempt loop decides. */
    @Test
    void aNewConnectionTheUpstreamClosesUnderItsRequestIsNotSentAgain() {
        answers = false;

        assertThat(call().getException()).isInstanceOf(NoHttpResponseException.class);
        assertThat(requests.get()).isEqualTo(1);
    }

    @Test
    void aNewConnectionTheUpstreamResetsUnderItsRequestIsNotSentAgain() {
        answers = false;
        resets = true;

        assertThat(call().getException()).isInstanceOf(SocketException.class);
        assertThat(requests.get()).isEqualTo(1);
    }

    @Test
    void aRetryIsNotLentAnotherConnectionTheUpstreamClosed() throws Exception {
        answerDelayMs = 200;   // two calls at once: two pooled connections
        CompletableFuture<Exchange> one = CompletableFuture.supplyAsync(this::call);
        CompletableFuture<Exchange> two = CompletableFuture.supplyAsync(this::call);
        assertThat(one.get().getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(200);
        assertThat(two.get().getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(200);
        assertThat(connections.get()).isEqualTo(2);
        Thread.sleep(300);   // the upstream has closed both

        Exchange third = call();

        assertThat(third.getException()).isNull();
        assertThat(third.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(200);
        assertThat(connections.get()).as("the retry went out on a new connection").isEqualTo(3);
    }

    @Test
    void anAnswerIsNeverRetriedWhateverItsStatus() {
        status = 503;

        assertThat(call().getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(503);
        assertThat(requests.get()).as("the attempt loop decides what a 503 means, not the client").isEqualTo(1);
    }

    /**
     * HttpClient would check a connection idle for 2 s or more with a read that waits 1 ms, see the
     * upstream's close and not send on it. Sent without that check, the request reaches the
     * half-closed connection (and is sent again on a new one).
     */
    @Test
    void aConnectionIdleForMoreThanTwoSecondsIsLentWithoutAReadThatWaitsForItsClose() throws Exception {
        call();
        Thread.sleep(2300);

        assertThat(call().getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(200);
        // the client saw the end of the connection without waiting for the upstream to read the
        // request, so the upstream's count may come after the answer on the new connection
        assertThat(eventually(() -> sentOnClosedConnections.get() > 0)).isTrue();
        assertThat(sentOnClosedConnections.get()).as("requests that went out on the closed connection").isEqualTo(1);
    }

    /** camel-http reads the whole answer into memory: one past the limit fails the call instead. */
    @Test
    void anAnswerPastTheLimitFailsAsAnInvalidResponseWhetherItsLengthIsGivenOrNot() {
        answer = "{\"pad\":\"" + "x".repeat(MAX_ANSWER) + "\"}";
        assertTooLarge(call());

        chunked = true;
        assertTooLarge(call());

        answer = "{\"pad\":\"" + "x".repeat(MAX_ANSWER - 20) + "\"}";
        assertThat(call().getMessage().getBody(String.class)).isEqualTo(answer);
    }

    private static void assertTooLarge(Exchange call) {
        UpstreamException failure = UpstreamException.fromFailure("Up", call.getException());
        assertThat(failure.status()).isEqualTo(502);
        assertThat(failure.getMessage()).isEqualTo("Up returned an invalid response: an answer over " + MAX_ANSWER + " bytes");
    }

    private Exchange call() {
        return producer.request("http://127.0.0.1:" + server.getLocalPort()
                + "/v1/chat/completions?bridgeEndpoint=true&throwExceptionOnFailure=false&responseTimeout=5000", exchange -> {
                    exchange.getMessage().setHeader(Exchange.HTTP_METHOD, HttpMethods.POST);
                    exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
                    exchange.getMessage().setBody("{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8));
                });
    }

    /**
     * Answers one request per connection, keeping it open (HTTP/1.1); 50 ms later it closes its
     * side (or resets the connection) unannounced and counts any request that still arrives on it.
     */
    private void serve(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread handler = new Thread(() -> answerOnce(socket), "upstream-connection");
                handler.setDaemon(true);
                handler.start();
            } catch (Exception closed) {
                return;
            }
        }
    }

    private void answerOnce(Socket socket) {
        try (socket) {
            connections.incrementAndGet();
            InputStream in = socket.getInputStream();
            RawUpstream.readRequest(in);
            requests.incrementAndGet();
            if (!answers) {
                end(socket);
                return;
            }
            Thread.sleep(answerDelayMs);
            OutputStream out = socket.getOutputStream();
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            if (chunked) {
                out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                for (int at = 0; at < body.length; at += 1024) {
                    int length = Math.min(1024, body.length - at);
                    out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body, at, length);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } else {
                out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
            }
            out.flush();
            Thread.sleep(50);
            if (resets) {
                end(socket);
                return;
            }
            socket.shutdownOutput();
            socket.setSoTimeout(5000);
            if (RawUpstream.readRequest(in)) {
                sentOnClosedConnections.incrementAndGet();
            }
        } catch (Exception gone) {
            // the client closed the connection, or left it alone
        }
    }

    private void end(Socket socket) throws IOException {
        if (resets) {
            socket.setSoLinger(true, 0);
        }
        socket.close();
    }
}
