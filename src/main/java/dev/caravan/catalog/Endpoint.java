package dev.caravan.catalog;

import java.util.List;

/**
 * One provider serving one model: the upstream's own model name, its prices and limits, and an
 * optional declared weight that replaces price-based choice among a model's endpoints.
 */
public record Endpoint(Provider provider, String upstreamModel, Pricing pricing, int maxCompletionTokens,
                       String quantization, int contextLength, List<String> supportedParameters,
                       String dataCollection, Integer weight) {

    public boolean routable() {
        return provider.routable();
    }

    /** The circuit breaker's name, and the endpoint's identity in stats: provider + upstream model. */
    public String key() {
        return provider.slug() + "/" + upstreamModel;
    }
}
