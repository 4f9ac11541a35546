package dev.caravan.catalog;

import java.util.List;

/**
 * One provider serving one model: the upstream's own model name, its prices and limits, and an
 * optional declared weight that replaces price-based choice among a model's endpoints.
 */
public record Endpoint(Provider provider, String upstreamModel, Pricing pricing, int maxCompletionTokens,
                       String quantization, int contextLength, List<String> supportedParameters,
                       String dataCollection, Integer weight, String key) {

    /**
     * @param key (derived) the circuit breaker's name and the endpoint's identity in stats:
     *            provider + upstream model, computed once because every request reads it
     */
    public Endpoint(Provider provider, String upstreamModel, Pricing pricing, int maxCompletionTokens,
                    String quantization, int contextLength, List<String> supportedParameters,
                    String dataCollection, Integer weight) {
        this(provider, upstreamModel, pricing, maxCompletionTokens, quantization, contextLength, supportedParameters,
                dataCollection, weight, provider.slug() + "/" + upstreamModel);
    }

    public boolean routable() {
        return provider.routable();
    }

    // A catalog is an immutable snapshot: an endpoint is itself, never equal to a look-alike,
    // and hashing it must not walk its prices and parameter lists on every request.
    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
