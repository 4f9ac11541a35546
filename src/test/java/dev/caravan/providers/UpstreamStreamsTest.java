package dev.caravan.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.catalog.Endpoint;
import dev.caravan.catalog.Model;
import dev.caravan.catalog.Provider;
import dev.caravan.catalog.Timeouts;
import dev.caravan.routing.Attempt;
import dev.caravan.stream.ChatStream;
import dev.caravan.stream.ChatStreams;
import dev.caravan.stream.UpstreamBody;
import dev.caravan.support.RawUpstream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The streaming HTTP client on its own, against a raw upstream on 127.0.0.1. It closes a
 * kept-alive connection once it has been idle a moment, as real servers do: the next stream must
 * not fail on the pooled connection the upstream already closed. And an error answer whose body
 * never ends must fail the attempt at once, not hold the request any longer than one first-token timeout.
 */
class UpstreamStreamsTest {

    private static final byte[] EVENT = "data: {\"hello\":true}\n\n".getBytes(StandardCharsets.UTF_8);

    private final AtomicInteger connections = new AtomicInteger();
    private final CountDownLatch firstClosed = new CountDownLatch(1);
    private final DefaultCamelContext camel = new DefaultCamelContext();
    private ServerSocket server;
    private String received;
    private volatile boolean endlessError;
    private UpstreamStreams streams;

    @BeforeEach
    void start() throws Exception {
        server = RawUpstream.listen(this::serve);
        // a ChatStreams that reads the whole body instead of streaming it to a client
        streams = new UpstreamStreams(new ChatStreams(java.time.Duration.ofSeconds(1), java.time.Duration.ofMinutes(1),
                null, null, null) {
            @Override
            public ChatStream start(Exchange exchange, UpstreamBody upstream, StreamDecoder decoder) {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                try {
                    for (byte[] bytes = upstream.next(); bytes != UpstreamBody.END; bytes = upstream.next()) {
                        body.write(bytes);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    upstream.close();
                }
                received = body.toString(StandardCharsets.UTF_8);
                return null;
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        streams.destroy();
        server.close();
    }

    @Test
    void aPooledConnectionTheUpstreamClosedWhileIdleIsNotAFailure() throws Exception {
        streams.open(exchange(), null);
        assertThat(received).isEqualTo(new String(EVENT, StandardCharsets.UTF_8));
        assertThat(firstClosed.await(5, TimeUnit.SECONDS)).as("the upstream closed the idle connection").isTrue();

        received = null;
        streams.open(exchange(), null);

        assertThat(received).isEqualTo(new String(EVENT, StandardCharsets.UTF_8));
        assertThat(connections.get()).as("the second stream went out on a new connection").isEqualTo(2);
    }

    /**
     * HttpClient would otherwise spend a read of 1 ms on every pooled connection idle for 2 s or
     * more before lending it: the first token of every stream of a quiet gateway would wait for it.
     * A connection the upstream closed meanwhile is caught by the retry of the test above.
     */
    @Test
    void aPooledConnectionIsLentWithoutAReadThatWaitsForItsClose() {
        assertThat(UpstreamStreams.CONNECTIONS.getValidateAfterInactivity().toMilliseconds()).isNegative();
    }

    @Test
    void anErrorAnswerThatNeverEndsFailsTheAttemptAfterOneTimeout() {
        endlessError = true;
        long started = System.nanoTime();

        assertThatThrownBy(() -> streams.open(exchange(), null))
                .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.status()).isEqualTo(502));

        // what came is read until the upstream falls silent for the first-token timeout (2 s here);
        // then the connection is dropped, not drained for as long again (or forever)
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(3500);
    }

    private Exchange exchange() {
        Provider provider = new Provider("raw", "Raw Upstream", "openai", "http://unused", null, null, null, null,
                new Timeouts(1000, 2000, 2000), null);
        Endpoint endpoint = new Endpoint(provider, "raw-model", null, 100, null, 1000, List.of(), null, null, null);
        Model model = new Model("raw/model", "Raw", null, 0, 1000, List.of("text"), List.of("text"), null, List.of(),
                List.of(endpoint), List.of());
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(Attempt.PROPERTY, new Attempt(model, endpoint));
        exchange.setProperty(UpstreamStreams.URL, "http://127.0.0.1:" + server.getLocalPort() + "/v1/chat/completions");
        exchange.getMessage().setHeader("Content-Type", "application/json");
        exchange.getMessage().setBody("{\"stream\":true}".getBytes(StandardCharsets.UTF_8));
        return exchange;
    }

    /** Answers one request per connection, keeping it open (HTTP/1.1), then closes it 50 ms later unannounced. */
    private void serve(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                connections.incrementAndGet();
                RawUpstream.readRequest(socket.getInputStream());
                OutputStream out = socket.getOutputStream();
                if (endlessError) {
                    // an error answer whose body starts and never ends
                    out.write(("HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\n10\r\n{\"error\":\"boom\"}\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(10_000);
                    continue;
                }
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: " + EVENT.length
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(EVENT);
                out.flush();
                Thread.sleep(50);
            } catch (Exception closed) {
                return;
            }
            firstClosed.countDown();
        }
    }
}
