package dev.caravan.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.api.ChatRequest;
import java.util.HashSet;
import java.util.Set;

/**
 * What routing reads off a chat request: the parameters it uses, the capabilities it needs, a
 * cheap size estimate, and the last user message (the auto router's rules look at it).
 */
public final class RequestFacts {

    /** Request fields that are model parameters (what require_parameters and supported_parameters speak of). */
    private static final Set<String> PARAMETERS = Set.of("temperature", "top_p", "top_k", "min_p", "top_a",
            "frequency_penalty", "presence_penalty", "repetition_penalty", "seed", "max_tokens", "stop", "tools",
            "tool_choice", "parallel_tool_calls", "response_format", "logprobs", "top_logprobs", "logit_bias",
            "reasoning", "include_reasoning", "web_search_options");

    private RequestFacts() {
    }

    public static RoutingNeeds needs(ChatRequest request) {
        JsonNode body = request.body();
        Set<String> parameters = new HashSet<>();
        body.fieldNames().forEachRemaining(name -> {
            if (PARAMETERS.contains(name) && !body.get(name).isNull()) {
                parameters.add(name);
            }
        });
        if (body.has("max_completion_tokens")) {
            parameters.add("max_tokens");
        }
        if ("json_schema".equals(body.path("response_format").path("type").asText())) {
            parameters.add("structured_outputs");
        }
        return new RoutingNeeds(parameters, hasTools(request), hasImages(request), hasResponseFormat(request),
                estimatedPromptTokens(request), request.maxTokens() == null ? 0 : request.maxTokens());
    }

    public static boolean hasTools(ChatRequest request) {
        JsonNode tools = request.body().get("tools");
        return tools != null && tools.isArray() && !tools.isEmpty();
    }

    public static boolean hasResponseFormat(ChatRequest request) {
        String type = request.body().path("response_format").path("type").asText("text");
        return !type.equals("text");
    }

    public static boolean hasImages(ChatRequest request) {
        for (JsonNode message : request.messages()) {
            for (JsonNode part : message.path("content")) {
                if ("image_url".equals(part.path("type").asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * About four characters a token: cheap enough for every request, close enough to keep a prompt
     * away from endpoints whose context is far too small. Billing never uses it.
     */
    public static long estimatedPromptTokens(ChatRequest request) {
        long chars = 0;
        for (JsonNode message : request.messages()) {
            JsonNode content = message.path("content");
            if (content.isTextual()) {
                chars += content.asText().length();
            } else {
                for (JsonNode part : content) {
                    chars += part.path("text").asText("").length();
                }
            }
        }
        return (chars + 3) / 4;
    }

    public static String lastUserMessage(ChatRequest request) {
        JsonNode messages = request.messages();
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            if ("user".equals(message.path("role").asText())) {
                JsonNode content = message.path("content");
                if (content.isTextual()) {
                    return content.asText();
                }
                StringBuilder text = new StringBuilder();
                content.forEach(part -> text.append(part.path("text").asText("")).append(' '));
                return text.toString().trim();
            }
        }
        return "";
    }
}
