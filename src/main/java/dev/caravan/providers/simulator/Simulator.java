package dev.caravan.providers.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.accounting.MaxCost;
import dev.caravan.accounting.TokenCounter;
import dev.caravan.api.ApiException;
import dev.caravan.api.ChatCompletions;
import dev.caravan.api.ChatRequest;
import dev.caravan.api.ChatRequests;
import dev.caravan.catalog.Provider;
import dev.caravan.metrics.RequestTimer;
import dev.caravan.providers.UpstreamException;
import dev.caravan.providers.openai.OpenAiStreamDecoder;
import dev.caravan.routing.Attempt;
import dev.caravan.stream.ChatStreams;
import dev.caravan.stream.ChunkQueue;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Serves the wire-simulator route: answers in OpenAI's shape, JSON or SSE, paced by the
 * provider's simulator settings or the request's {@code X-Caravan-Sim-*} headers. Streams are
 * produced on a shared scheduler, not a thread per stream, and stop when the client leaves. The
 * provider's timeouts hold as for a real upstream: a JSON answer due after the first-token timeout
 * fails at it with the same 504, and a stream's deadlines are the stream's own (ChatStream).
 */
@Component("simulator")
public class Simulator {

    private final ScheduledExecutorService clock = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "simulator");
        thread.setDaemon(true);
        return thread;
    });

    private final ChatStreams streams;
    private final SimulatedWaits waits;

    public Simulator(ChatStreams streams, SimulatedWaits waits) {
        this.streams = streams;
        this.waits = waits;
    }

    public void serve(Exchange exchange) throws Exception {
        // the simulator stands for an upstream: its work and its pacing are not Caravan's overhead
        RequestTimer.upstreamCalled(exchange);
        Attempt attempt = exchange.getProperty(Attempt.PROPERTY, Attempt.class);
        ChatRequest request = exchange.getProperty(ChatRequests.CHAT_REQUEST, ChatRequest.class);
        SimulatorSettings settings = settings(exchange, attempt);
        if (settings.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < settings.errorRate()) {
            throw UpstreamException.fromStatus(attempt.provider().name(), 503, new byte[0], null);
        }
        // each choice writes at most what Caravan reserved for it before the call
        int budget = (int) MaxCost.maxCompletionTokens(request, attempt.endpoint());
        int length = Math.min(settings.completionTokens(), budget);
        SimulatedAnswer answer = SimulatedAnswer.of(attempt.endpoint().upstreamModel(), request,
                SimulatedText.words(attempt.model().id(), lastUserText(request), length),
                length < settings.completionTokens() ? "length" : "stop", budget,
                TokenCounter.countMessages(request.messages()));
        if (request.stream()) {
            stream(exchange, answer, settings, attempt.provider().name());
        } else {
            respond(exchange, answer, settings, attempt.provider());
        }
    }

    private void respond(Exchange exchange, SimulatedAnswer answer, SimulatorSettings settings, Provider provider)
            throws Exception {
        if (settings.failAfterTokens() != null && settings.failAfterTokens() < answer.completionTokens()) {
            throw UpstreamException.fromStatus(provider.name(), 502, new byte[0], null);
        }
        long generationMs = settings.tokensPerSecond() <= 0 ? 0
                : (long) (answer.completionTokens() * 1000 / settings.tokensPerSecond());
        long answerMs = settings.latencyMs() + generationMs;
        // a real JSON call gives up on a provider after its first-token timeout (WireCalls): the simulated one too
        long timeoutMs = provider.timeouts().firstTokenMs();
        waits.pause(Math.min(answerMs, timeoutMs));
        if (answerMs > timeoutMs) {
            throw UpstreamException.timedOut(provider.name());
        }
        RequestTimer.upstreamAnswered(exchange, true);
        ChatCompletions.respond(exchange, answer.completion());
    }

    private void stream(Exchange exchange, SimulatedAnswer answer, SimulatorSettings settings, String provider) throws Exception {
        ChunkQueue queue = new ChunkQueue();
        long intervalMicros = settings.tokensPerSecond() <= 0 ? 0 : (long) (1_000_000 / settings.tokensPerSecond());
        Emitter emitter = new Emitter(queue, answer, settings.failAfterTokens(), intervalMicros);
        queue.onCancel(emitter::cancel);
        emitter.schedule(TimeUnit.MILLISECONDS.toMicros(settings.latencyMs()));
        streams.start(exchange, queue, new OpenAiStreamDecoder(provider));
    }

    /** Writes one SSE event per step on the shared clock, rescheduling itself until the answer is out. */
    private final class Emitter implements Runnable {
        private final ChunkQueue queue;
        private final SimulatedAnswer answer;
        private final Integer failAfter;
        private final long intervalMicros;
        private int next = -1;
        private volatile boolean cancelled;

        Emitter(ChunkQueue queue, SimulatedAnswer answer, Integer failAfter, long intervalMicros) {
            this.queue = queue;
            this.answer = answer;
            this.failAfter = failAfter;
            this.intervalMicros = intervalMicros;
        }

        void schedule(long delayMicros) {
            if (!cancelled) {
                clock.schedule(this, delayMicros, TimeUnit.MICROSECONDS);
            }
        }

        void cancel() {
            cancelled = true;
        }

        @Override
        public void run() {
            List<ObjectNode> deltas = answer.deltas();
            do {
                if (cancelled) {
                    return;
                }
                if (failAfter != null && next == failAfter) {
                    queue.offer(sse("{\"error\":{\"code\":502,\"message\":\"simulated mid-stream failure\"}}"));
                    queue.finish();
                    return;
                }
                if (next == deltas.size() - 1) {
                    offerToEachChoice(null, answer.finishReason());
                    queue.offer(sse(answer.usageChunk().toString()));
                    queue.offer(sse("[DONE]"));
                    queue.finish();
                    return;
                }
                offerToEachChoice(deltas.get(next + 1), null);
                next++;
            } while (intervalMicros == 0);
            schedule(intervalMicros);
        }

        /** One step of the answer: a chunk per choice, as OpenAI streams {@code n} choices. */
        private void offerToEachChoice(ObjectNode delta, String finishReason) {
            for (int index = 0; index < answer.choices(); index++) {
                queue.offer(sse(answer.chunk(index, delta, finishReason).toString()));
            }
        }
    }

    private static byte[] sse(String data) {
        return ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    private static SimulatorSettings settings(Exchange exchange, Attempt attempt) {
        try {
            return attempt.provider().simulator().overriddenBy(name -> exchange.getMessage().getHeader(name, String.class));
        } catch (NumberFormatException e) {
            throw ApiException.invalidRequest("An X-Caravan-Sim-* header is not a number: " + e.getMessage(), null);
        }
    }

    private static String lastUserText(ChatRequest request) {
        JsonNode messages = request.messages();
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("user".equals(messages.get(i).path("role").asText())) {
                return messages.get(i).path("content").toString();
            }
        }
        return "";
    }
}
