package dev.caravan.completions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;
import dev.caravan.api.ApiException;
import dev.caravan.api.ChatRequests;
import dev.caravan.api.Responses;
import dev.caravan.stream.ChunkEncoder;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * The completions route's beans: the legacy request translated into a chat request before the
 * chat pipeline, its JSON answer translated after it (a stream is translated as it passes, by
 * {@link TextCompletionEncoder}). Errors keep the envelope, which both APIs share.
 */
@Component("textCompletions")
public class TextCompletions {

    /** Legacy fields with no chat equivalent; {@code logprobs} is a count here and a flag in chat. */
    private static final List<String> LEGACY_ONLY = List.of("prompt", "suffix", "echo", "best_of", "logprobs");

    /** Exchange property: the chat request bodies of a request with several prompts, one each. */
    public static final String PROMPTS = "caravan.prompts";

    /** Each prompt is a generation of its own, run one after the other: keep a request's wait bounded. */
    static final int MAX_PROMPTS = 20;

    private final ChatRequests chatRequests;

    public TextCompletions(ChatRequests chatRequests) {
        this.chatRequests = chatRequests;
    }

    /**
     * Replaces the completions request body by the chat request that serves it: the prompt as a
     * user message. Several prompts are several chat requests, set as {@value #PROMPTS} for the
     * route to split; they cannot be streamed.
     */
    public void toChatRequest(Exchange exchange) throws Exception {
        ObjectNode body = chatRequests.readJsonObject(exchange);
        List<String> prompts = prompts(body.get("prompt"));
        boolean stream = body.path("stream").asBoolean(false);
        if (stream && prompts.size() > 1) {
            throw ApiException.invalidRequest("Several prompts cannot be streamed; send them as separate requests",
                    "prompt");
        }
        List<byte[]> chats = new ArrayList<>();
        for (String prompt : prompts) {
            ObjectNode chat = body.deepCopy();
            chat.remove(LEGACY_ONLY);
            chat.putArray("messages").addObject().put("role", "user").put("content", prompt);
            chats.add(Json.MAPPER.writeValueAsBytes(chat));
        }
        if (stream) {
            exchange.setProperty(ChunkEncoder.PROPERTY, new TextCompletionEncoder());
        }
        if (chats.size() > 1) {
            exchange.setProperty(PROMPTS, chats);
        }
        exchange.getMessage().setBody(chats.get(0));
    }

    /**
     * The answer to several prompts, once each has had its own run of the chat pipeline (its own
     * generation, reserved and charged): one text_completion whose choice i answers prompt i
     * (times {@code n}), the usage summed; the id is the first generation's, the others are listed
     * in {@code generation_ids}. (When a prompt fails, {@link PromptAnswers} answers with its error.)
     */
    public void merge(Exchange exchange) throws Exception {
        if (PromptAnswers.anyFailed(exchange)) {
            return;
        }
        List<PromptAnswers.Answer> answers = PromptAnswers.answers(exchange);
        exchange.setProperty(Responses.GENERATION_ID, answers.get(0).json().path("id").asText());
        Responses.json(exchange, 200, Json.MAPPER.writeValueAsBytes(TextCompletionShapes.merged(
                answers.stream().map(PromptAnswers.Answer::json).toList())));
    }

    /** Translates the pipeline's JSON answer; an error envelope stays as it is, a stream is already translated. */
    public void toTextCompletion(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        if (exchange.getProperty(PROMPTS) != null // merged: already translated
                || !Responses.JSON.equals(message.getHeader(Exchange.CONTENT_TYPE))
                || message.getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class) != 200) {
            return;
        }
        JsonNode answer;
        try (InputStream in = message.getBody(InputStream.class)) {
            answer = Json.MAPPER.readTree(in);
        }
        byte[] body = Json.MAPPER.writeValueAsBytes(TextCompletionShapes.completion(answer));
        message.setBody(body);
    }

    /** A string, or a non-empty array of strings. */
    private static List<String> prompts(JsonNode prompt) {
        if (prompt == null || prompt.isNull()) {
            throw ApiException.invalidRequest("'prompt' is required", "prompt");
        }
        List<String> prompts = new ArrayList<>();
        for (JsonNode one : prompt.isArray() ? prompt : List.of(prompt)) {
            if (!one.isTextual()) {
                break;
            }
            prompts.add(one.asText());
        }
        if (prompts.isEmpty() || prompt.isArray() && prompts.size() != prompt.size()) {
            throw ApiException.invalidRequest("'prompt' must be a string or a non-empty array of strings", "prompt");
        }
        if (prompts.size() > MAX_PROMPTS) {
            throw ApiException.invalidRequest("'prompt' may hold at most " + MAX_PROMPTS + " prompts", "prompt");
        }
        return prompts;
    }
}
