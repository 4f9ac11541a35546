package dev.caravan.completions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.Json;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Gathers the answers of a request with several prompts, one chat pipeline run each (the
 * completions route splits them), in prompt order: each answer's JSON and HTTP status.
 */
@Component("promptAnswers")
public class PromptAnswers implements AggregationStrategy {

    /** One prompt's answer: a chat.completion, or the error envelope with its status. */
    record Answer(int status, JsonNode json) {
    }

    /** The answers so far become the body of the gathered exchange, which the split hands back. */
    @Override
    public Exchange aggregate(Exchange gathered, Exchange next) {
        Answer answer = answer(next);
        Exchange into = gathered == null ? next : gathered;
        List<Answer> answers = gathered == null ? new ArrayList<>() : answers(gathered);
        answers.add(answer);
        into.getMessage().setBody(answers);
        return into;
    }

    @SuppressWarnings("unchecked")
    static List<Answer> answers(Exchange exchange) {
        return exchange.getMessage().getBody(List.class);
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
