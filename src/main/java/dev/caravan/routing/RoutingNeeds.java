package dev.caravan.routing;

import java.util.Set;

/**
 * What a request needs of an endpoint: the parameters it uses (for {@code require_parameters}),
 * the capabilities it relies on, room for its prompt and answer, and what the model must put out
 * ({@code text} for chat and completions, {@code embeddings} for /embeddings).
 */
public record RoutingNeeds(Set<String> parameters, boolean tools, boolean images, boolean responseFormat,
                           long promptTokens, int maxTokens, String output) {

    /** Exchange property: needs a request states itself (an embeddings request); absent, they are read off the chat request. */
    public static final String PROPERTY = "caravan.routingNeeds";

    public static final String TEXT = "text";
    public static final String EMBEDDINGS = "embeddings";

    /** The needs of a request that wants text back. */
    public RoutingNeeds(Set<String> parameters, boolean tools, boolean images, boolean responseFormat,
                        long promptTokens, int maxTokens) {
        this(parameters, tools, images, responseFormat, promptTokens, maxTokens, TEXT);
    }
}
