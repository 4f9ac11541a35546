package dev.caravan.routing;

import dev.caravan.api.ApiException;
import dev.caravan.catalog.Endpoint;
import dev.caravan.catalog.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Why endpoints were left out of a plan, to tell the client what to change when none is left.
 * The context length is the last filter, so an endpoint it excluded passed every other one: if
 * any did, the request's own constraints left it endpoints and only the prompt's size stands in
 * the way (400 {@code context_length_exceeded}, reference §5, even if other endpoints were
 * filtered out for other reasons, which the metadata still lists); else 404 {@code no_endpoints}.
 */
final class Exclusions {

    private final List<String> reasons = new ArrayList<>();
    private long largestContext = -1;
    private long needed;

    void add(Model model, Endpoint endpoint, String reason) {
        reasons.add(model.id() + " on " + endpoint.provider().slug() + ": " + reason);
    }

    /** An endpoint that passed every other filter, but whose context is smaller than {@code needed} tokens. */
    void contextTooSmall(Model model, Endpoint endpoint, long needed) {
        add(model, endpoint, "context length " + endpoint.contextLength()
                + " is smaller than the prompt plus max_tokens (" + needed + ")");
        this.largestContext = Math.max(largestContext, endpoint.contextLength());
        this.needed = needed;
    }

    ApiException nothingLeft() {
        Map<String, Object> metadata = Map.of("excluded", reasons);
        if (largestContext >= 0) {
            return new ApiException(400, "context_length_exceeded", "The prompt plus max_tokens (about " + needed
                    + " tokens) is more than the context length of every endpoint that could serve this request "
                    + "(at most " + largestContext + "): shorten the messages or lower max_tokens. Excluded: "
                    + String.join("; ", reasons), "messages", metadata);
        }
        return new ApiException(404, "no_endpoints", "No endpoint can serve this request: "
                + String.join("; ", reasons), "model", metadata);
    }
}
