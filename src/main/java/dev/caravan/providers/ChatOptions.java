package dev.caravan.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.api.ChatRequest;
import dev.caravan.api.ChatRequests;
import dev.caravan.catalog.Endpoint;
import dev.caravan.routing.Attempt;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.camel.Exchange;

/**
 * The request's options as a native mapper (Anthropic, Gemini) needs them: sampling parameters
 * only where the endpoint lists them in supported_parameters (others are dropped, reference §2),
 * the completion budget, stop sequences, and the reasoning budget from {@code reasoning}.
 */
public final class ChatOptions {

    /** Smallest thinking budget Anthropic accepts; also a sensible floor for Gemini. */
    static final int MIN_REASONING_BUDGET = 1024;

    private final ObjectNode body;
    private final Endpoint endpoint;

    public ChatOptions(ObjectNode body, Endpoint endpoint) {
        this.body = body;
        this.endpoint = endpoint;
    }

    /** The options of the exchange's request, for the endpoint of its attempt. */
    public static ChatOptions of(Exchange exchange) {
        return new ChatOptions(exchange.getProperty(ChatRequests.CHAT_REQUEST, ChatRequest.class).body(),
                exchange.getProperty(Attempt.PROPERTY, Attempt.class).endpoint());
    }

    /** The value of a sampling parameter, or null when absent or not supported by the endpoint. */
    public JsonNode sampling(String name) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        List<String> supported = endpoint.supportedParameters();
        return supported == null || supported.contains(name) ? value : null;
    }

    /** max_completion_tokens, else max_tokens, else the endpoint's maximum; never above that maximum. */
    public int maxTokens() {
        int max = endpoint.maxCompletionTokens();
        JsonNode asked = body.has("max_completion_tokens") ? body.get("max_completion_tokens") : body.get("max_tokens");
        return asked != null && asked.canConvertToInt() && asked.asInt() > 0 ? Math.min(asked.asInt(), max) : max;
    }

    public int endpointMaxTokens() {
        return endpoint.maxCompletionTokens();
    }

    /** {@code stop} as a list (a lone string is one sequence); empty when absent or unsupported. */
    public List<String> stops() {
        JsonNode stop = sampling("stop");
        List<String> stops = new ArrayList<>();
        if (stop != null && stop.isTextual()) {
            stops.add(stop.asText());
        } else if (stop != null && stop.isArray()) {
            stop.forEach(s -> stops.add(s.asText()));
        }
        return stops;
    }

    /**
     * Thinking tokens the request asks for: {@code reasoning.max_tokens}, or a share of the
     * completion budget by {@code reasoning.effort} (OpenRouter's ratios); null when it asks for
     * none, or the endpoint does not support {@code reasoning}.
     */
    public Integer reasoningBudget() {
        JsonNode reasoning = sampling("reasoning");
        if (reasoning == null && body.path("include_reasoning").asBoolean(false)) {
            reasoning = body.objectNode().put("effort", "medium");
        }
        if (reasoning == null || !reasoning.isObject() || !reasoning.path("enabled").asBoolean(true)) {
            return null;
        }
        if (reasoning.path("max_tokens").canConvertToInt()) {
            return Math.max(MIN_REASONING_BUDGET, reasoning.get("max_tokens").asInt());
        }
        double share = switch (reasoning.path("effort").asText("medium").toLowerCase(Locale.ROOT)) {
            case "none" -> 0;
            case "minimal" -> 0.1;
            case "low" -> 0.2;
            case "high", "xhigh" -> 0.8;
            default -> 0.5;
        };
        return share == 0 ? null : Math.max(MIN_REASONING_BUDGET, (int) (maxTokens() * share));
    }

    /** Whether the client asked not to be shown the reasoning text ({@code reasoning.exclude}). */
    public boolean excludeReasoning() {
        return body.path("reasoning").path("exclude").asBoolean(false);
    }
}
