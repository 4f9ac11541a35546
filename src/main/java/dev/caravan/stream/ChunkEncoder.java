package dev.caravan.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writes finished OpenAI chunks (stamped, usage priced) as the bytes the client reads. Clients of
 * another API shape (Anthropic's /messages, legacy /completions) get their own encoder, set on the
 * exchange before the chat pipeline runs, so their stream is translated from the chunk objects
 * as they pass, never by parsing our own output again. An encoder may keep state across chunks:
 * one instance per stream.
 */
public interface ChunkEncoder {

    /** Exchange property holding the encoder for this request's stream; absent means OpenAI's. */
    String PROPERTY = "caravan.chunkEncoder";

    ChunkEncoder OPENAI = new ChunkEncoder() {
        @Override
        public byte[] encode(ObjectNode chunk) {
            return ChunkFramer.sse(chunk);
        }

        @Override
        public byte[] done() {
            return ChunkFramer.DONE;
        }
    };

    /** The bytes for one chunk: a content chunk, the error chunk or the final usage chunk (empty choices). */
    byte[] encode(ObjectNode chunk);

    /** The bytes that close the stream after the usage chunk (may be empty). */
    byte[] done();
}
