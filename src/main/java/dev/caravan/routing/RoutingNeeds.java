package dev.caravan.routing;

import java.util.Set;

/**
 * What a request needs of an endpoint: the parameters it uses (for {@code require_parameters}),
 * the capabilities it relies on, and room for its prompt and answer.
 */
public record RoutingNeeds(Set<String> parameters, boolean tools, boolean images, boolean responseFormat,
                           long promptTokens, int maxTokens) {
}
