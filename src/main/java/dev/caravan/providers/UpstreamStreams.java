package dev.caravan.providers;

import dev.caravan.routing.Attempt;
import dev.caravan.stream.ChatStreams;
import dev.caravan.stream.ChunkQueue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Streaming upstream calls. The request thread sends the request and waits for the status and
 * headers itself, as blocking calls on Apache HttpClient 5 (the client camel-http uses for JSON
 * calls): no thread hand-off before the upstream answers. The body is then read by a reader
 * thread of its own into a {@link ChunkQueue}, so the request thread can wait on it with a
 * timeout and send keep-alives; closing the queue aborts the request, which closes the upstream
 * connection, so a client that leaves stops the generation it was paying for. Camel HTTP cannot
 * abort a response it is reading (stack.md), hence this path for streams.
 *
 * <p>This replaced the JDK HTTP client, whose asynchronous exchange passed the request and the
 * answer through several threads: its first token reached Caravan about 1 ms later than this
 * client's (bench/README.md).
 */
@Component
public class UpstreamStreams implements DisposableBean {

    /** Exchange property: the upstream URL the stream is requested from. */
    public static final String URL = "upstreamUrl";

    /** An error answer is read up to this size, for its message. */
    private static final int ERROR_BODY_LIMIT = 65536;

    private final PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
            .setMaxConnTotal(2000)
            .setMaxConnPerRoute(1000)
            .setDefaultConnectionConfig(ConnectionConfig.custom()
                    .setConnectTimeout(Timeout.ofSeconds(10))
                    .build())
            .build();

    private final CloseableHttpClient client = HttpClients.custom()
            .setConnectionManager(connections)
            // a stream is passed on as it arrives: no gzip (it would buffer), no redirects or
            // retries behind the attempt loop's back, no cookies carried between users
            .disableContentCompression()
            .disableRedirectHandling()
            .disableAutomaticRetries()
            .disableCookieManagement()
            .build();

    // One reader per open stream, blocked in a socket read most of the time; small stacks, as
    // they are many (1,000 streams, 1,000 readers) and shallow.
    private final ExecutorService readers = Executors.newCachedThreadPool(readerThreads());

    private final ChatStreams streams;

    public UpstreamStreams(ChatStreams streams) {
        this.streams = streams;
    }

    /** Sends the message prepared by the wire's request mapper; the response body becomes a {@code ChatStream}. */
    public void open(Exchange exchange, StreamDecoder decoder) throws Exception {
        open(exchange, decoder, UpstreamErrors.DEFAULT);
    }

    /** As {@link #open(Exchange, StreamDecoder)}, reading an error answer with the wire's own {@code errors}. */
    public void open(Exchange exchange, StreamDecoder decoder, UpstreamErrors errors) throws Exception {
        Attempt attempt = exchange.getProperty(Attempt.PROPERTY, Attempt.class);
        String provider = attempt.provider().name();
        HttpPost request = new HttpPost(exchange.getProperty(URL, String.class));
        // the wait for the status and headers, and then for each read: bounded by the first-token
        // timeout; ChatStream applies the first-token and idle timeouts to the body itself
        request.setConfig(RequestConfig.custom()
                .setResponseTimeout(Timeout.ofMilliseconds(attempt.provider().timeouts().firstTokenMs()))
                .build());
        for (Map.Entry<String, Object> header : exchange.getMessage().getHeaders().entrySet()) {
            if (!header.getKey().startsWith("Camel")) {
                request.addHeader(header.getKey(), String.valueOf(header.getValue()));
            }
        }
        request.setEntity(new ByteArrayEntity(exchange.getMessage().getBody(byte[].class), null));
        ClassicHttpResponse response;
        try {
            response = send(request);
        } catch (IOException e) {
            throw UpstreamException.fromFailure(provider, e);
        }
        if (response.getCode() < 200 || response.getCode() > 299) {
            throw failure(provider, request, response, errors);
        }
        ChunkQueue body = new ChunkQueue();
        body.onCancel(request::cancel);
        readers.execute(() -> pump(response, body));
        streams.start(exchange, body, decoder);
    }

    /**
     * Sends the request, once more on a new connection when the pooled one it went out on turns
     * out to have been closed by the upstream while idle (no answer at all: the request never
     * reached it). The pool cannot see such a close before it lends the connection (unlike the
     * JDK client, it watches no idle socket), and checking each one first costs a 1 ms read; when
     * an upstream has closed one idle connection it has usually closed the others, so the pool's
     * idle connections are all dropped (after 1,000 streams the bench's mock keeps 200 of them).
     */
    private ClassicHttpResponse send(HttpPost request) throws IOException {
        try {
            return client.executeOpen(null, request, HttpClientContext.create());
        } catch (NoHttpResponseException staleConnection) {
            connections.closeIdle(TimeValue.ZERO_MILLISECONDS);
            request.reset();
            return client.executeOpen(null, request, HttpClientContext.create());
        }
    }

    /** Moves the upstream body into the queue as it arrives; runs on a reader thread. */
    private static void pump(ClassicHttpResponse response, ChunkQueue queue) {
        try (response; InputStream in = response.getEntity() == null ? InputStream.nullInputStream()
                : response.getEntity().getContent()) {
            byte[] buffer = new byte[8192];
            for (int read; (read = in.read(buffer)) != -1; ) {
                queue.offer(Arrays.copyOf(buffer, read));
            }
            queue.finish();
        } catch (IOException | RuntimeException e) {
            // after a cancel the failure is ours (the connection was closed under the read): nobody reads it
            queue.fail(e);
        }
    }

    /**
     * What an error answer says, read from at most {@link #ERROR_BODY_LIMIT} bytes of its body. The
     * rest is not worth waiting for: the connection is dropped with it rather than drained.
     */
    private static UpstreamException failure(String provider, HttpPost request, ClassicHttpResponse response,
                                             UpstreamErrors errors) {
        byte[] body = errorBody(response);
        request.cancel();
        try {
            response.close();
        } catch (IOException dropped) {
            // closing tries to read what is left, from the socket the cancel closed
        }
        Header retryAfter = response.getFirstHeader("Retry-After");
        return errors.fromStatus(provider, response.getCode(), body,
                UpstreamException.retryAfter(retryAfter == null ? null : retryAfter.getValue()));
    }

    /** Up to {@link #ERROR_BODY_LIMIT} bytes of an error answer's body, leaving its stream open. */
    private static byte[] errorBody(ClassicHttpResponse response) {
        if (response.getEntity() == null) {
            return new byte[0];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            InputStream in = response.getEntity().getContent();
            byte[] buffer = new byte[8192];
            for (int read; out.size() < ERROR_BODY_LIMIT && (read = in.read(buffer)) != -1; ) {
                out.write(buffer, 0, read);
            }
        } catch (IOException broken) {
            // what arrived is enough
        }
        return out.toByteArray();
    }

    @Override
    public void destroy() throws Exception {
        readers.shutdownNow();
        readers.awaitTermination(5, TimeUnit.SECONDS);
        client.close();
    }

    private static ThreadFactory readerThreads() {
        return runnable -> {
            Thread thread = new Thread(null, runnable, "upstream-stream", 256 * 1024);
            thread.setDaemon(true);
            return thread;
        };
    }
}
