package dev.caravan.completions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;
import dev.caravan.api.Responses;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Gathers the answers of a request with several prompts, one chat pipeline run each (the
 * completions route splits them), in prompt order: each answer's JSON and HTTP status.
 *
 * <p>A prompt that fails makes its error the request's answer, set here at once: when the gathered
 * exchange is the failed one (the first prompt failed), the completions route stops after the
 * split as the chat route that handled the error stopped, and the merge never runs. Every other
 * prompt is still served, each its own generation, and charged: the envelope names those
 * generations ({@code error.metadata.generation_ids}), so the client sees what it paid for.
 */
@Component("promptAnswers")
public class PromptAnswers implements AggregationStrategy {

    /** Exchange property of the gathered exchange: the answers so far. */
    private static final String ANSWERS = "caravan.promptAnswers";

    /** One prompt's answer: a chat.completion, or the error envelope with its status. */
    record Answer(int status, JsonNode json) {
        boolean failed() {
            return status != 200;
        }
    }

    @Override
    public Exchange aggregate(Exchange gathered, Exchange next) {
        Answer answer = answer(next);
        Exchange into = gathered == null ? next : gathered;
        List<Answer> answers = gathered == null ? new ArrayList<>() : answers(gathered);
        answers.add(answer);
        into.setProperty(ANSWERS, answers);
        // every time: a prompt served after the failed one is charged too, and named
        answers.stream().filter(Answer::failed).findFirst().ifPresent(failed -> answerWith(into, failed, answers));
        return into;
    }

    @SuppressWarnings("unchecked")
    static List<Answer> answers(Exchange exchange) {
        return exchange.getProperty(ANSWERS, List.class);
    }

    /** Whether a prompt failed, and so the request: its error is the answer already. */
    static boolean anyFailed(Exchange exchange) {
        return answers(exchange).stream().anyMatch(Answer::failed);
    }

    private static void answerWith(Exchange exchange, Answer failed, List<Answer> answers) {
        ObjectNode envelope = failed.json().deepCopy();
        List<String> charged = answers.stream().filter(answer -> !answer.failed())
                .map(answer -> answer.json().path("id").asText()).toList();
        if (!charged.isEmpty() && envelope.path("error") instanceof ObjectNode error) {
            ObjectNode metadata = error.path("metadata") instanceof ObjectNode existing ? existing : error.putObject("metadata");
            charged.forEach(metadata.putArray("generation_ids")::add);
        }
        try {
            Responses.json(exchange, failed.status(), Json.MAPPER.writeValueAsBytes(envelope));
        } catch (Exception unwritable) {
            throw new IllegalStateException("A prompt's error could not be written", unwritable);
        }
    }

    private static Answer answer(Exchange exchange) {
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
        try (InputStream in = exchange.getMessage().getBody(InputStream.class)) {
            return new Answer(status, Json.MAPPER.readTree(in));
        } catch (Exception unreadable) {
            throw new IllegalStateException("A prompt's answer could not be read", unreadable);
        }
    }
}
