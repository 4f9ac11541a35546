package dev.caravan.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;
import dev.caravan.accounting.TokenCounter;
import dev.caravan.accounting.Usage;
import dev.caravan.api.ApiException;
import dev.caravan.api.ErrorEnvelope;
import dev.caravan.api.Stamp;
import dev.caravan.catalog.Pricing;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;

/**
 * Writes the client's side of a stream: each upstream chunk stamped with Caravan's id, model and
 * provider, then exactly one usage chunk (choices empty, cost included) and {@code [DONE]}.
 * Usage the upstream sends is held back for that last chunk; when it sends none, the tokens are
 * counted here. Every chunk carries the {@code created} of the first, as all of one OpenAI
 * stream's chunks do, the usage and error chunks made here too: Caravan's own clock, or an
 * upstream's that stamps each chunk anew, would otherwise give them another second.
 */
public final class ChunkFramer {

    public static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private final Stamp stamp;
    private final Pricing pricing;
    private final IntSupplier promptTokens;
    private final ChunkEncoder encoder;
    private final StringBuilder generated = new StringBuilder();
    private Usage usage;
    private String finishReason;
    private boolean answered;
    /** The stream's {@code created}, once its first chunk is stamped. */
    private Long created;

    public ChunkFramer(Stamp stamp, Pricing pricing, IntSupplier promptTokens) {
        this(stamp, pricing, promptTokens, ChunkEncoder.OPENAI);
    }

    /** @param encoder writes the finished chunks in the client's API shape (OpenAI's unless asked otherwise) */
    public ChunkFramer(Stamp stamp, Pricing pricing, IntSupplier promptTokens, ChunkEncoder encoder) {
        this.stamp = stamp;
        this.pricing = pricing;
        this.promptTokens = promptTokens;
        this.encoder = encoder;
    }

    /** The SSE bytes for one upstream chunk, or null when it carried nothing but usage. */
    public byte[] frame(ObjectNode chunk) {
        JsonNode reported = chunk.remove("usage");
        if (reported != null && !reported.isNull()) {
            usage = Usage.fromOpenAi(reported);
        }
        JsonNode choices = chunk.get("choices");
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            return null;
        }
        stamped(chunk);
        for (JsonNode node : choices) {
            ObjectNode choice = (ObjectNode) node;
            JsonNode delta = choice.path("delta");
            String text = delta.path("content").asText("");
            String reasoning = delta.path("reasoning").asText("");
            answered |= !text.isEmpty() || !reasoning.isEmpty() || delta.has("tool_calls")
                    || !delta.path("refusal").asText("").isEmpty();
            generated.append(text).append(reasoning);
            if (choice.path("finish_reason").isTextual()) {
                finishReason = Stamp.normalizeFinishReason(choice);
            } else if (!choice.has("finish_reason")) {
                choice.putNull("finish_reason");
            }
        }
        return event(chunk);
    }

    /** Whether the upstream has said why it stopped (a finish reason on some choice). */
    public boolean finished() {
        return finishReason != null;
    }

    /** The upstream's own finish reason, or "error"; null while (or if never) finished. */
    public String finishReason() {
        return finishReason;
    }

    /**
     * Whether the answer has begun: text, reasoning, a refusal or a tool call, or a finish. Until
     * then a stream may still fall back to another endpoint (reference §4): an upstream opens with
     * a chunk that carries only the role, and a failure right after it has answered nothing.
     */
    public boolean answered() {
        return answered || finishReason != null;
    }

    /** The chunk that ends a stream which failed after it had started (reference §4). */
    public byte[] errorChunk(ApiException error) {
        finishReason = "error";
        ObjectNode chunk = stamped(Json.MAPPER.createObjectNode());
        chunk.set("error", ErrorEnvelope.body(error));
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta").put("content", "");
        choice.put("finish_reason", "error");
        choice.put("native_finish_reason", "error");
        return event(chunk);
    }

    public byte[] usageChunk() {
        ObjectNode chunk = stamped(Json.MAPPER.createObjectNode());
        chunk.putArray("choices");
        chunk.set("usage", usage().toJson(cost()));
        return event(chunk);
    }

    public Usage usage() {
        if (usage == null) {
            usage = Usage.estimated(promptTokens.getAsInt(), TokenCounter.count(generated.toString()));
        }
        return usage;
    }

    public BigDecimal cost() {
        return usage().cost(pricing, finishReason == null || "error".equals(finishReason));
    }

    /** What ends the stream once the usage chunk is out ({@code data: [DONE]} in OpenAI's shape). */
    public byte[] done() {
        return encoder.done();
    }

    private ObjectNode stamped(ObjectNode chunk) {
        if (created != null) {
            chunk.put("created", created);
        }
        stamp.apply(chunk, "chat.completion.chunk");
        created = chunk.get("created").asLong();
        return chunk;
    }

    private byte[] event(ObjectNode chunk) {
        return encoder.encode(chunk);
    }

    /** One chunk as an OpenAI SSE event. */
    static byte[] sse(ObjectNode chunk) {
        try {
            byte[] json = Json.MAPPER.writeValueAsBytes(chunk);
            byte[] event = new byte[json.length + 8];
            System.arraycopy("data: ".getBytes(StandardCharsets.US_ASCII), 0, event, 0, 6);
            System.arraycopy(json, 0, event, 6, json.length);
            event[event.length - 2] = '\n';
            event[event.length - 1] = '\n';
            return event;
        } catch (Exception impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
