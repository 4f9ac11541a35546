package dev.caravan.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;
import dev.caravan.accounting.Charge;
import dev.caravan.accounting.TokenCounter;
import dev.caravan.accounting.Usage;
import dev.caravan.providers.UpstreamException;
import dev.caravan.routing.Attempt;
import java.math.BigDecimal;
import org.apache.camel.Exchange;

/**
 * Finishes a non-streaming answer an upstream gave in OpenAI's shape: Caravan's id, model and
 * provider, normalized finish reasons, and usage with its exact cost (reference §4).
 */
public final class ChatCompletions {

    private ChatCompletions() {
    }

    public static void respond(Exchange exchange, ObjectNode completion) throws Exception {
        Attempt attempt = exchange.getProperty(Attempt.PROPERTY, Attempt.class);
        JsonNode choices = completion.get("choices");
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            throw UpstreamException.invalidResponse(attempt.provider().name(), "no choices");
        }
        Stamp.of(exchange).apply(completion, "chat.completion");
        boolean failedEmpty = false;
        StringBuilder text = new StringBuilder();
        for (JsonNode node : choices) {
            ObjectNode choice = (ObjectNode) node;
            String raw = Stamp.normalizeFinishReason(choice);
            failedEmpty |= raw == null || "error".equals(raw);
            if (!choice.has("logprobs")) {
                choice.putNull("logprobs");
            }
            ObjectNode message = choice.withObjectProperty("message");
            if (!message.has("refusal")) {
                message.putNull("refusal");
            }
            if (!message.has("content")) {
                message.putNull("content");
            }
            text.append(message.path("content").asText(""));
        }
        Usage usage = Usage.fromOpenAi(completion.get("usage"));
        if (usage == null) {
            ChatRequest request = exchange.getProperty(ChatRequests.CHAT_REQUEST, ChatRequest.class);
            usage = Usage.estimated(TokenCounter.countMessages(request.messages()), TokenCounter.count(text.toString()));
        }
        exchange.setProperty(Usage.PROPERTY, usage);
        BigDecimal cost = usage.cost(attempt.endpoint().pricing(), failedEmpty);
        completion.set("usage", usage.toJson(cost));
        JsonNode first = choices.get(0);
        exchange.setProperty(Charge.PROPERTY, new Charge(usage, cost, first.path("finish_reason").asText(null),
                first.path("native_finish_reason").asText(null)));
        Responses.json(exchange, 200, Json.MAPPER.writeValueAsBytes(completion));
    }
}
