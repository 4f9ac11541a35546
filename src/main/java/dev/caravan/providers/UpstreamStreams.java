package dev.caravan.providers;

import dev.caravan.catalog.Timeouts;
import dev.caravan.routing.Attempt;
import dev.caravan.stream.ChatStreams;
import dev.caravan.stream.UpstreamBody;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;
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
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Streaming upstream calls, as blocking calls on Apache HttpClient 5 (the client camel-http uses
 * for JSON calls) made by the request's own thread: it sends the request, waits for the status
 * and headers, then reads the body chunk by chunk as it writes the response (ChatStream). No
 * other thread touches a chunk on its way. Cancelling the body aborts the request, which closes
 * the upstream connection under a blocked read: that is how a deadline or a client that left
 * stops the generation it was paying for. Camel HTTP cannot abort a response it is reading
 * (stack.md), hence this path for streams.
 *
 * <p>This replaced the JDK HTTP client, whose asynchronous exchange passed the request and the
 * answer through several threads, and then a reader thread per stream that handed each chunk to
 * the request thread: each hand-off woke a thread, and the first token reached the client later
 * (bench/README.md).
 */
@Component
public class UpstreamStreams implements DisposableBean {

    /** Exchange property: the upstream URL the stream is requested from. */
    public static final String URL = "upstreamUrl";

    /** An error answer is read up to this size, for its message. */
    private static final int ERROR_BODY_LIMIT = 65536;

    /**
     * A pooled connection is lent without the check HttpClient otherwise makes once it has been
     * idle for 2 s: a read that waits 1 ms for the upstream to have closed it, which every stream
     * of a quiet gateway would pay. A connection the upstream did close is caught by
     * {@link ClosedConnectionRetry}.
     */
    static final ConnectionConfig CONNECTIONS = ConnectionConfig.custom()
            .setConnectTimeout(Timeout.ofSeconds(10))
            .setValidateAfterInactivity(TimeValue.NEG_ONE_MILLISECOND)
            .build();

    private final PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
            .setMaxConnTotal(2000)
            .setMaxConnPerRoute(1000)
            .setDefaultConnectionConfig(CONNECTIONS)
            .build();

    private final CloseableHttpClient client = HttpClients.custom()
            .setConnectionManager(connections)
            // a stream is passed on as it arrives: no gzip (it would buffer), no redirects, no
            // retry behind the attempt loop's back but a closed idle connection's, no cookies
            // carried between users
            .disableContentCompression()
            .disableRedirectHandling()
            .setRetryStrategy(new ClosedConnectionRetry(connections))
            .disableCookieManagement()
            .build();

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
        // the wait for the status and headers, and a backstop for each read of the body: the
        // stream's watch applies the first-token and idle timeouts to the body exactly
        Timeouts timeouts = attempt.provider().timeouts();
        request.setConfig(RequestConfig.custom()
                .setResponseTimeout(Timeout.ofMilliseconds(Math.max(timeouts.firstTokenMs(), timeouts.idleMs())))
                .build());
        for (Map.Entry<String, Object> header : exchange.getMessage().getHeaders().entrySet()) {
            if (!header.getKey().startsWith("Camel")) {
                request.addHeader(header.getKey(), String.valueOf(header.getValue()));
            }
        }
        request.setEntity(new ByteArrayEntity(exchange.getMessage().getBody(byte[].class), null));
        ClassicHttpResponse response;
        try {
            response = client.executeOpen(null, request, HttpClientContext.create());
        } catch (IOException e) {
            throw UpstreamException.fromFailure(provider, e);
        }
        if (response.getCode() < 200 || response.getCode() > 299) {
            throw failure(provider, request, response, errors);
        }
        streams.start(exchange, new HttpBody(request, response), decoder);
    }

    /** A streamed response body, read by the request's thread; cancelling it drops the connection. */
    private static final class HttpBody implements UpstreamBody {

        /** More than this after the last event is not the end of a body: the connection is dropped instead. */
        private static final int DRAIN_LIMIT = 65536;

        private final HttpPost request;
        private final ClassicHttpResponse response;
        private final byte[] buffer = new byte[8192];
        private InputStream in;
        private boolean finished;
        /** Set once the connection is given back or dropped: a late cancel must not reach it in its next use. */
        private boolean released;

        HttpBody(HttpPost request, ClassicHttpResponse response) {
            this.request = request;
            this.response = response;
        }

        @Override
        public byte[] next() throws IOException {
            if (in == null) {
                in = response.getEntity() == null ? InputStream.nullInputStream() : response.getEntity().getContent();
            }
            int read = in.read(buffer);
            if (read == -1) {
                finished = true;
                return END;
            }
            return Arrays.copyOf(buffer, read);
        }

        @Override
        public void drain() throws IOException {
            int left = DRAIN_LIMIT;
            while (!finished && left > 0) {
                left -= next().length;
            }
        }

        @Override
        public synchronized void cancel() {
            if (!released) {
                request.cancel();
            }
        }

        /** A body read to its end gives its connection back to the pool; any other is dropped. */
        @Override
        public void close() {
            synchronized (this) {
                released = true;
                if (!finished) {
                    request.cancel();
                }
            }
            try {
                response.close();
            } catch (IOException dropped) {
                // closing a cancelled response reads from the socket the cancel closed
            }
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
        client.close();
    }
}
