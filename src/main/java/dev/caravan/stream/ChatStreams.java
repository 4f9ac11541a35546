package dev.caravan.stream;

import dev.caravan.accounting.TokenCounter;
import dev.caravan.api.ChatRequest;
import dev.caravan.api.ChatRequests;
import dev.caravan.api.Responses;
import dev.caravan.api.Stamp;
import dev.caravan.catalog.Timeouts;
import dev.caravan.metrics.RequestTimer;
import dev.caravan.providers.StreamDecoder;
import dev.caravan.routing.Attempt;
import dev.caravan.routing.CircuitBreakers;
import dev.caravan.routing.EndpointStats;
import java.io.IOException;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Turns an upstream's body, as it arrives, into the streaming response of the exchange. */
@Component
public class ChatStreams {

    private final long keepAliveMs;
    private final long maxMs;
    private final CircuitBreakers circuitBreakers;
    private final EndpointStats stats;
    private final StreamWatch watch;

    public ChatStreams(@Value("${caravan.streaming.keep-alive-interval:1s}") Duration keepAlive,
                       @Value("${caravan.streaming.max-duration:30m}") Duration maxDuration,
                       CircuitBreakers circuitBreakers, EndpointStats stats, StreamWatch watch) {
        this.keepAliveMs = keepAlive.toMillis();
        this.maxMs = maxDuration.toMillis();
        this.circuitBreakers = circuitBreakers;
        this.stats = stats;
        this.watch = watch;
    }

    /**
     * Waits for the upstream's first event (a failure before it throws, for the circuit breaker
     * and the next attempt), then makes the stream the response body. The stream is closed,
     * and the upstream cancelled, when the exchange completes, that is once platform-http has
     * written it or failed to because the client left.
     */
    public ChatStream start(Exchange exchange, UpstreamBody upstream, StreamDecoder decoder) throws IOException {
        Attempt attempt = exchange.getProperty(Attempt.PROPERTY, Attempt.class);
        Timeouts timeouts = attempt.provider().timeouts();
        ChatStream stream = new ChatStream(upstream, decoder, framer(exchange), attempt.provider().name(),
                new StreamTimeouts(keepAliveMs, timeouts.firstTokenMs(), timeouts.idleMs(), maxMs), watch,
                exchange.getProperty(KeepAlive.PROPERTY, KeepAlive.NONE, KeepAlive.class));
        stream.awaitFirstEvent();
        RequestTimer.upstreamAnswered(exchange, true);
        exchange.setProperty(ChatStream.PROPERTY, stream);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                stream.close();
                finished(attempt, stream);
            }
        });
        Responses.eventStream(exchange, stream);
        return stream;
    }

    /** Frames chunks for the exchange's current attempt (also the error chunk of a stream that never started). */
    public static ChunkFramer framer(Exchange exchange) {
        Attempt attempt = exchange.getProperty(Attempt.PROPERTY, Attempt.class);
        ChatRequest request = exchange.getProperty(ChatRequests.CHAT_REQUEST, ChatRequest.class);
        return new ChunkFramer(Stamp.of(exchange), attempt.endpoint().pricing(),
                () -> TokenCounter.countMessages(request.messages()),
                exchange.getProperty(ChunkEncoder.PROPERTY, ChunkEncoder.OPENAI, ChunkEncoder.class));
    }

    /** A stream that broke after it started still counts against its endpoint; one that ran gives its pace. */
    private void finished(Attempt attempt, ChatStream stream) {
        if (stream.failure() != null) {
            circuitBreakers.recordFailure(attempt, stream.failure(), 0);
        } else if (!Double.isNaN(stream.tokensPerSecond())) {
            stats.record(attempt.endpoint(), EndpointStats.Outcome.SUCCESS, Double.NaN, stream.tokensPerSecond());
        }
    }
}
