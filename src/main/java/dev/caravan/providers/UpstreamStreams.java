package dev.caravan.providers;

import dev.caravan.routing.Attempt;
import dev.caravan.stream.ChatStreams;
import dev.caravan.stream.ChunkQueue;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Streaming upstream calls, on the JDK HTTP client: the body is handed over chunk by chunk as it
 * arrives (a {@link ChunkQueue}), and cancelling it closes the connection, so a client that
 * leaves stops the generation it was paying for. Camel HTTP serves the JSON calls; it cannot
 * abort a response it is reading (stack.md), so streams take this path.
 */
@Component
public class UpstreamStreams {

    /** Exchange property: the upstream URL the stream is requested from. */
    public static final String URL = "upstreamUrl";

    // The client's executor only hands received bytes to a ChunkQueue, which never blocks: a few
    // threads serve any number of streams (an unbounded pool grew to hundreds under 1,000 streams).
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .executor(Executors.newFixedThreadPool(Math.max(4, Runtime.getRuntime().availableProcessors() * 2), daemon()))
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
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(exchange.getProperty(URL, String.class)))
                .timeout(Duration.ofMillis(attempt.provider().timeouts().firstTokenMs()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(exchange.getMessage().getBody(byte[].class)));
        for (Map.Entry<String, Object> header : exchange.getMessage().getHeaders().entrySet()) {
            if (!header.getKey().startsWith("Camel")) {
                request.header(header.getKey(), String.valueOf(header.getValue()));
            }
        }
        ChunkQueue body = new ChunkQueue();
        HttpResponse<ChunkQueue> response;
        var pending = client.sendAsync(request.build(), info -> body);
        try {
            response = pending.get(attempt.provider().timeouts().firstTokenMs(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw UpstreamException.fromFailure(provider, e.getCause());
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw UpstreamException.fromFailure(provider, e);
        }
        if (response.statusCode() < 200 || response.statusCode() > 299) {
            throw errors.fromStatus(provider, response.statusCode(), drain(body),
                    UpstreamException.retryAfter(response.headers().firstValue("Retry-After").orElse(null)));
        }
        streams.start(exchange, body, decoder);
    }

    /** The body of an error answer, at most 64 KiB of it, for its error message. */
    private static byte[] drain(ChunkQueue body) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (byte[] bytes = body.poll(2000); bytes != null && bytes != ChunkQueue.END && out.size() < 65536;
                 bytes = body.poll(2000)) {
                out.write(bytes);
            }
        } catch (java.io.IOException broken) {
            // what arrived is enough
        } finally {
            body.close();
        }
        return out.toByteArray();
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        return runnable -> {
            Thread thread = new Thread(runnable, "upstream-stream");
            thread.setDaemon(true);
            return thread;
        };
    }
}
