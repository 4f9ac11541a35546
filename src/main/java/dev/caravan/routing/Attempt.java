package dev.caravan.routing;

import dev.caravan.catalog.Endpoint;
import dev.caravan.catalog.Model;
import dev.caravan.catalog.Provider;

/** One try at serving a request: this model, on this endpoint. */
public record Attempt(Model model, Endpoint endpoint) {

    public static final String PROPERTY = "attempt";

    public Provider provider() {
        return endpoint.provider();
    }
}
