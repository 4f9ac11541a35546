package dev.caravan.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;
import dev.caravan.api.ApiException;
import dev.caravan.api.PathParameters;
import dev.caravan.api.Responses;
import dev.caravan.routing.EndpointStats;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The catalog as clients read it (reference §6): /models, one model's /endpoints, /providers.
 * Only routable endpoints are shown; a model with none is not listed at all.
 */
@Component("catalogViews")
public class CatalogViews {

    private final Catalogs catalogs;
    private final EndpointStats stats;

    public CatalogViews(Catalogs catalogs, EndpointStats stats) {
        this.catalogs = catalogs;
        this.stats = stats;
    }

    /** GET /models, filtered by {@code supported_parameters=tools,...} and a text query {@code q}. */
    public void listModels(Exchange exchange) throws Exception {
        List<String> required = csv(exchange.getMessage().getHeader("supported_parameters", String.class));
        String query = exchange.getMessage().getHeader("q", String.class);
        ArrayNode data = Json.MAPPER.createArrayNode();
        for (Model model : catalogs.current().models()) {
            if (model.routable() && model.supportedParameters().containsAll(required) && matches(model, query)) {
                data.add(model(model));
            }
        }
        ObjectNode list = Json.MAPPER.createObjectNode().put("object", "list");
        list.set("data", data);
        Responses.json(exchange, 200, Json.MAPPER.writeValueAsBytes(list));
    }

    /** GET /models/{author}/{slug}/endpoints */
    public void listEndpoints(Exchange exchange) throws Exception {
        String id = PathParameters.decoded(exchange, "author") + "/" + PathParameters.decoded(exchange, "slug");
        Model model = catalogs.current().model(id);
        if (model == null || !model.routable()) {
            throw ApiException.notFound("No routable model '" + id + "'");
        }
        ObjectNode data = Json.MAPPER.createObjectNode()
                .put("id", model.id()).put("name", model.name()).put("created", model.created())
                .put("description", model.description());
        data.set("architecture", architecture(model));
        ArrayNode endpoints = data.putArray("endpoints");
        for (Endpoint endpoint : model.routableEndpoints()) {
            endpoints.add(endpoint(model, endpoint));
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("data", data);
        Responses.json(exchange, 200, Json.MAPPER.writeValueAsBytes(body));
    }

    /** GET /providers: every configured provider, with whether it can take requests now. */
    public void listProviders(Exchange exchange) throws Exception {
        ArrayNode data = Json.MAPPER.createArrayNode();
        for (Provider provider : catalogs.current().providers()) {
            data.addObject().put("name", provider.name()).put("slug", provider.slug())
                    .put("privacy_policy_url", provider.privacyPolicyUrl())
                    .put("terms_of_service_url", (String) null)
                    .put("status_page_url", provider.statusPageUrl())
                    .put("routable", provider.routable());
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("data", data);
        Responses.json(exchange, 200, Json.MAPPER.writeValueAsBytes(body));
    }

    private static ObjectNode model(Model model) {
        Endpoint top = model.routableEndpoints().get(0);
        ObjectNode node = Json.MAPPER.createObjectNode()
                .put("id", model.id()).put("object", "model").put("created", model.created())
                .put("owned_by", model.author()).put("canonical_slug", model.id()).put("name", model.name())
                .put("description", model.description()).put("context_length", model.contextLength());
        node.set("architecture", architecture(model));
        node.set("pricing", pricing(top.pricing()));
        node.putObject("top_provider").put("context_length", top.contextLength())
                .put("max_completion_tokens", top.maxCompletionTokens()).put("is_moderated", false);
        node.set("supported_parameters", Json.MAPPER.valueToTree(model.supportedParameters()));
        return node;
    }

    private ObjectNode endpoint(Model model, Endpoint endpoint) {
        ObjectNode node = Json.MAPPER.createObjectNode()
                .put("name", endpoint.provider().name() + " | " + endpoint.upstreamModel())
                .put("model_name", model.name())
                .put("provider_name", endpoint.provider().name())
                .put("tag", endpoint.provider().slug())
                .put("context_length", endpoint.contextLength())
                .put("max_completion_tokens", endpoint.maxCompletionTokens())
                .put("quantization", endpoint.quantization());
        node.set("pricing", pricing(endpoint.pricing()));
        node.set("supported_parameters", Json.MAPPER.valueToTree(endpoint.supportedParameters()));
        EndpointStats.Summary summary = stats.summary(endpoint);
        node.put("status", stats.inOutage(endpoint) ? -1 : 0);
        node.put("uptime_last_30m", summary == null ? null : summary.uptimePercent());
        node.set("latency_last_30m", percentiles(summary == null ? null : summary.latency()));
        node.set("throughput_last_30m", percentiles(summary == null ? null : summary.throughput()));
        return node;
    }

    private static JsonNode percentiles(double[] values) {
        if (values == null || values.length == 0) {
            return NullNode.getInstance();
        }
        return Json.MAPPER.createObjectNode().put("p50", values[0]).put("p75", values[1]).put("p90", values[2])
                .put("p99", values[3]);
    }

    private static ObjectNode architecture(Model model) {
        ObjectNode node = Json.MAPPER.createObjectNode()
                .put("modality", String.join("+", model.inputModalities()) + "->"
                        + String.join("+", model.outputModalities()))
                .put("tokenizer", model.tokenizer());
        node.set("input_modalities", Json.MAPPER.valueToTree(model.inputModalities()));
        node.set("output_modalities", Json.MAPPER.valueToTree(model.outputModalities()));
        return node;
    }

    private static ObjectNode pricing(Pricing pricing) {
        ObjectNode node = Json.MAPPER.createObjectNode()
                .put("prompt", plain(pricing.prompt())).put("completion", plain(pricing.completion()))
                .put("request", plain(pricing.request())).put("image", plain(pricing.image()));
        if (pricing.inputCacheRead() != null) {
            node.put("input_cache_read", plain(pricing.inputCacheRead()));
        }
        if (pricing.inputCacheWrite() != null) {
            node.put("input_cache_write", plain(pricing.inputCacheWrite()));
        }
        return node;
    }

    private static String plain(BigDecimal value) {
        return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
    }

    private static boolean matches(Model model, String query) {
        if (query == null || query.isBlank()) {
            return true;
        }
        String q = query.toLowerCase(Locale.ROOT);
        return model.id().toLowerCase(Locale.ROOT).contains(q) || model.name().toLowerCase(Locale.ROOT).contains(q);
    }

    private static List<String> csv(String value) {
        return value == null || value.isBlank() ? List.of()
                : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
