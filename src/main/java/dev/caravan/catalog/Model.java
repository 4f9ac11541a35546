package dev.caravan.catalog;

import java.util.List;

/**
 * A model as clients name it ({@code author/slug}), with the endpoints that can serve it and the
 * models to fall back to, in order, when none of them can.
 */
public record Model(String id, String name, String description, long created, int contextLength,
                    List<String> inputModalities, List<String> outputModalities, String tokenizer,
                    List<String> supportedParameters, List<Endpoint> endpoints, List<String> fallbacks) {

    public String author() {
        return id.substring(0, id.indexOf('/'));
    }

    public List<Endpoint> routableEndpoints() {
        return endpoints.stream().filter(Endpoint::routable).toList();
    }

    public boolean routable() {
        return endpoints.stream().anyMatch(Endpoint::routable);
    }

    // Identity, as for Endpoint: never compared field by field, hashed on every request.
    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
