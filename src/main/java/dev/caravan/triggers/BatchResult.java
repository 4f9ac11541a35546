package dev.caravan.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.Json;
import dev.caravan.api.ApiException;
import dev.caravan.api.ErrorEnvelope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * One line of a results file, in OpenAI's batch output shape:
 * {@code {"custom_id", "line", "response": {"status_code", "request_id", "body"}, "error"}}, where
 * {@code body} is the chat completion or the error envelope and {@code error} repeats the
 * envelope's {@code error} object (null on success), so a reader can filter on it.
 */
final class BatchResult {

    private BatchResult() {
    }

    static String of(BatchLine line, ChatPipeline.Answer answer) {
        // the answer is already compact JSON: pasted in, not parsed and written again
        String body = new String(answer.body(), StandardCharsets.UTF_8);
        String error = answer.ok() ? "null" : errorObject(answer.body());
        return "{\"custom_id\":" + write(line.customId()) + ",\"line\":" + line.number()
                + ",\"response\":{\"status_code\":" + answer.status() + ",\"request_id\":" + write(answer.generationId())
                + ",\"body\":" + body + "},\"error\":" + error + "}";
    }

    static String failed(BatchLine line, ApiException problem) {
        return of(line, new ChatPipeline.Answer(problem.status(), ErrorEnvelope.bytes(problem), null));
    }

    private static String errorObject(byte[] envelope) {
        try {
            JsonNode error = Json.MAPPER.readTree(envelope).get("error");
            return error == null ? "null" : Json.MAPPER.writeValueAsString(error);
        } catch (IOException e) {
            return "null";
        }
    }

    private static String write(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
