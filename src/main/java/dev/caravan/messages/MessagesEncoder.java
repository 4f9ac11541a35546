package dev.caravan.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;
import dev.caravan.stream.ChunkEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes Caravan's OpenAI chunks as Anthropic's stream: message_start and ping before the first
 * delta; a content block per kind of delta (thinking, text, each tool call), opened when its
 * first delta comes and stopped when another kind begins; message_delta with the stop reason
 * and usage from the usage chunk, then message_stop. A failure becomes Anthropic's error event.
 */
final class MessagesEncoder implements ChunkEncoder {

    private static final byte[] NOTHING = new byte[0];

    private boolean started;
    private boolean ended;
    private String openBlock;
    private int blockIndex = -1;
    private String stopReason = "end_turn";

    @Override
    public byte[] encode(ObjectNode chunk) {
        if (ended) {
            return NOTHING;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        if (chunk.has("error")) {
            ended = true;
            closeBlock(out);
            event(out, "error", MessagesResponses.error(chunk));
            return out.toByteArray();
        }
        start(chunk, out);
        JsonNode choices = chunk.path("choices");
        if (choices.isEmpty()) {
            ended = true;
            closeBlock(out);
            ObjectNode delta = Json.MAPPER.createObjectNode().put("type", "message_delta");
            delta.putObject("delta").put("stop_reason", stopReason).putNull("stop_sequence");
            delta.set("usage", MessagesResponses.usage(chunk.path("usage")));
            event(out, "message_delta", delta);
            event(out, "message_stop", Json.MAPPER.createObjectNode().put("type", "message_stop"));
            return out.toByteArray();
        }
        JsonNode choice = choices.get(0);
        delta(choice.path("delta"), out);
        if (choice.path("finish_reason").isTextual()) {
            stopReason = MessagesResponses.stopReason(choice);
        }
        return out.toByteArray();
    }

    @Override
    public byte[] done() {
        return NOTHING; // Anthropic's stream ends with message_stop
    }

    private void start(JsonNode chunk, ByteArrayOutputStream out) {
        if (started) {
            return;
        }
        started = true;
        ObjectNode message = MessagesResponses.start(chunk);
        message.putObject("usage").put("input_tokens", 0).put("output_tokens", 0);
        ObjectNode event = Json.MAPPER.createObjectNode().put("type", "message_start");
        event.set("message", message);
        event(out, "message_start", event);
        event(out, "ping", Json.MAPPER.createObjectNode().put("type", "ping"));
    }

    private void delta(JsonNode delta, ByteArrayOutputStream out) {
        String reasoning = delta.path("reasoning").asText("");
        if (!reasoning.isEmpty()) {
            block(out, "thinking", Json.MAPPER.createObjectNode().put("type", "thinking").put("thinking", "")
                    .put("signature", ""));
            blockDelta(out, Json.MAPPER.createObjectNode().put("type", "thinking_delta").put("thinking", reasoning));
        }
        String text = delta.path("content").asText("");
        if (!text.isEmpty()) {
            block(out, "text", Json.MAPPER.createObjectNode().put("type", "text").put("text", ""));
            blockDelta(out, Json.MAPPER.createObjectNode().put("type", "text_delta").put("text", text));
        }
        for (JsonNode call : delta.path("tool_calls")) {
            if (call.has("id")) {
                closeBlock(out);
                ObjectNode use = Json.MAPPER.createObjectNode().put("type", "tool_use")
                        .put("id", call.get("id").asText()).put("name", call.path("function").path("name").asText());
                use.putObject("input");
                block(out, "tool:" + call.get("id").asText(), use);
            }
            String arguments = call.path("function").path("arguments").asText("");
            if (!arguments.isEmpty()) {
                blockDelta(out, Json.MAPPER.createObjectNode().put("type", "input_json_delta")
                        .put("partial_json", arguments));
            }
        }
    }

    /** Makes a block of this kind the open one, stopping the previous block of another kind. */
    private void block(ByteArrayOutputStream out, String kind, ObjectNode contentBlock) {
        if (kind.equals(openBlock)) {
            return;
        }
        closeBlock(out);
        openBlock = kind;
        blockIndex++;
        ObjectNode event = Json.MAPPER.createObjectNode().put("type", "content_block_start").put("index", blockIndex);
        event.set("content_block", contentBlock);
        event(out, "content_block_start", event);
    }

    private void blockDelta(ByteArrayOutputStream out, ObjectNode delta) {
        ObjectNode event = Json.MAPPER.createObjectNode().put("type", "content_block_delta").put("index", blockIndex);
        event.set("delta", delta);
        event(out, "content_block_delta", event);
    }

    private void closeBlock(ByteArrayOutputStream out) {
        if (openBlock != null) {
            event(out, "content_block_stop", Json.MAPPER.createObjectNode().put("type", "content_block_stop")
                    .put("index", blockIndex));
            openBlock = null;
        }
    }

    private static void event(ByteArrayOutputStream out, String name, ObjectNode data) {
        try {
            out.write(("event: " + name + "\ndata: ").getBytes(StandardCharsets.US_ASCII));
            out.write(Json.MAPPER.writeValueAsBytes(data));
            out.write('\n');
            out.write('\n');
        } catch (Exception impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
