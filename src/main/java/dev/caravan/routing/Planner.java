package dev.caravan.routing;

import dev.caravan.api.ApiException;
import dev.caravan.api.ChatRequest;
import dev.caravan.api.ChatRequests;
import dev.caravan.catalog.Catalogs;
import dev.caravan.catalog.Endpoint;
import dev.caravan.catalog.Model;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Decides which endpoint serves the request. For now the first routable endpoint of the model
 * the request names; price-weighted choice and fallbacks build on this plan.
 */
@Component("planner")
public class Planner {

    public static final String WIRE_FORMAT = "wireFormat";

    private final Catalogs catalogs;

    public Planner(Catalogs catalogs) {
        this.catalogs = catalogs;
    }

    public void plan(Exchange exchange) {
        ChatRequest request = exchange.getProperty(ChatRequests.CHAT_REQUEST, ChatRequest.class);
        Model model = catalogs.current().model(request.model());
        if (model == null) {
            throw new ApiException(400, "model_not_found", "'" + request.model() + "' is not a valid model ID; "
                    + "GET /api/v1/models lists the models Caravan serves", "model", null);
        }
        List<Endpoint> endpoints = model.routableEndpoints();
        if (endpoints.isEmpty()) {
            List<String> missing = model.endpoints().stream().map(e -> e.provider().apiKeyEnv()).distinct().toList();
            throw new ApiException(404, "no_endpoints", "No provider can serve '" + model.id()
                    + "' right now: none of its providers has an API key configured", "model",
                    Map.of("missing_keys", missing));
        }
        Attempt attempt = new Attempt(model, endpoints.get(0));
        exchange.setProperty(Attempt.PROPERTY, attempt);
        exchange.setProperty(WIRE_FORMAT, attempt.provider().wireFormat());
    }
}
