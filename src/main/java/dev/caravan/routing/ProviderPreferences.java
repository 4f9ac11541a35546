package dev.caravan.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.api.ApiException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The request's {@code provider} object (reference §2): which endpoints may serve it, in what
 * order, and how hard to insist. Parsed strictly: a typo in a preference is a 400, not ignored.
 *
 * @param maxPromptPrice     USD per million prompt tokens, or null
 * @param maxCompletionPrice USD per million completion tokens, or null
 */
public record ProviderPreferences(List<String> order, boolean allowFallbacks, List<String> only, List<String> ignore,
                                  List<String> quantizations, boolean denyDataCollection, boolean requireParameters,
                                  Sort sort, BigDecimal maxPromptPrice, BigDecimal maxCompletionPrice,
                                  Double preferredMinThroughput, Double preferredMaxLatencySeconds) {

    public static final ProviderPreferences NONE = new ProviderPreferences(List.of(), true, List.of(), List.of(),
            List.of(), false, false, null, null, null, null, null);

    /** {@code sort}: by price, throughput or latency; {@code partition: none} sorts all models' endpoints together. */
    public record Sort(String by, boolean acrossModels) {
        static final Set<String> BY = Set.of("price", "throughput", "latency");
    }

    private static final Set<String> FIELDS = Set.of("order", "allow_fallbacks", "only", "ignore", "quantizations",
            "data_collection", "require_parameters", "sort", "max_price", "preferred_min_throughput",
            "preferred_max_latency", "zdr", "experimental");

    public static ProviderPreferences of(JsonNode provider) {
        if (provider == null || provider.isNull()) {
            return NONE;
        }
        provider.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                throw bad(name, "is not a provider preference");
            }
        });
        JsonNode maxPrice = provider.path("max_price");
        return new ProviderPreferences(slugs(provider, "order"), bool(provider, "allow_fallbacks", true),
                slugs(provider, "only"), slugs(provider, "ignore"), slugs(provider, "quantizations"),
                dataCollection(provider), bool(provider, "require_parameters", false), sort(provider.get("sort")),
                price(maxPrice, "prompt"), price(maxPrice, "completion"),
                number(provider.get("preferred_min_throughput"), "preferred_min_throughput"),
                number(provider.get("preferred_max_latency"), "preferred_max_latency"));
    }

    /** The same preferences with a sort forced by a model variant ({@code :floor}, {@code :nitro}). */
    public ProviderPreferences sortedBy(String by) {
        return new ProviderPreferences(order, allowFallbacks, only, ignore, quantizations, denyDataCollection,
                requireParameters, new Sort(by, sort != null && sort.acrossModels()), maxPromptPrice,
                maxCompletionPrice, preferredMinThroughput, preferredMaxLatencySeconds);
    }

    private static List<String> slugs(JsonNode provider, String name) {
        JsonNode value = provider.get(name);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw bad(name, "must be an array of provider slugs");
        }
        List<String> result = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw bad(name, "must be an array of provider slugs");
            }
            result.add(item.asText().toLowerCase(Locale.ROOT));
        }
        return List.copyOf(result);
    }

    private static boolean bool(JsonNode provider, String name, boolean fallback) {
        JsonNode value = provider.get(name);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw bad(name, "must be a boolean");
        }
        return value.asBoolean();
    }

    private static boolean dataCollection(JsonNode provider) {
        JsonNode value = provider.get("data_collection");
        if (value == null || value.isNull() || value.asText().equals("allow")) {
            return false;
        }
        if (!value.asText().equals("deny")) {
            throw bad("data_collection", "must be allow or deny");
        }
        return true;
    }

    private static Sort sort(JsonNode sort) {
        if (sort == null || sort.isNull()) {
            return null;
        }
        String by = sort.isTextual() ? sort.asText() : sort.path("by").asText(null);
        String partition = sort.isObject() ? sort.path("partition").asText("model") : "model";
        if (by == null || !Sort.BY.contains(by) || !Set.of("model", "none").contains(partition)) {
            throw bad("sort", "must be price, throughput or latency, or {by, partition: model|none}");
        }
        return new Sort(by, partition.equals("none"));
    }

    private static BigDecimal price(JsonNode maxPrice, String name) {
        JsonNode value = maxPrice.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber() && !(value.isTextual() && value.asText().matches("\\d+(\\.\\d+)?"))) {
            throw bad("max_price." + name, "must be a number of USD per million tokens");
        }
        return new BigDecimal(value.asText());
    }

    private static Double number(JsonNode value, String name) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw bad(name, "must be a number");
        }
        return value.asDouble();
    }

    private static ApiException bad(String name, String problem) {
        return ApiException.invalidRequest("'provider." + name + "' " + problem, "provider." + name);
    }
}
