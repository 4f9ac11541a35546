package dev.caravan.routing;

import dev.caravan.catalog.Endpoint;
import dev.caravan.catalog.Model;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The hard filters of reference §2: an endpoint that fails one is not tried at all, and the
 * reason is kept, so that "no endpoint" can say which constraint excluded what ({@link Exclusions}).
 */
final class EndpointFilters {

    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    private EndpointFilters() {
    }

    static List<Endpoint> eligible(Model model, RoutingNeeds needs, ProviderPreferences preferences,
                                   Exclusions excluded) {
        List<Endpoint> eligible = new ArrayList<>();
        long room = needs.promptTokens() + Math.max(needs.maxTokens(), 0);
        for (Endpoint endpoint : model.endpoints()) {
            String reason = exclusion(model, endpoint, needs, preferences);
            if (reason != null) {
                excluded.add(model, endpoint, reason);
            } else if (room > endpoint.contextLength()) {
                // last: what it excludes, only a shorter prompt or a lower max_tokens lets through
                excluded.contextTooSmall(model, endpoint, room);
            } else {
                eligible.add(endpoint);
            }
        }
        return eligible;
    }

    private static String exclusion(Model model, Endpoint endpoint, RoutingNeeds needs, ProviderPreferences p) {
        String slug = endpoint.provider().slug();
        if (!endpoint.routable()) {
            return "its provider has no API key configured";
        }
        if (!p.only().isEmpty() && !p.only().contains(slug)) {
            return "not in provider.only";
        }
        if (p.ignore().contains(slug)) {
            return "in provider.ignore";
        }
        if (!p.allowFallbacks() && !p.order().isEmpty() && !p.order().contains(slug)) {
            return "not in provider.order and allow_fallbacks is false";
        }
        if (!p.quantizations().isEmpty() && !p.quantizations().contains(String.valueOf(endpoint.quantization()))) {
            return "quantization " + endpoint.quantization() + " not in provider.quantizations";
        }
        if (p.denyDataCollection() && !"deny".equals(endpoint.dataCollection())) {
            return "may retain data (provider.data_collection is deny)";
        }
        if (p.maxPromptPrice() != null && endpoint.pricing().prompt().multiply(MILLION).compareTo(p.maxPromptPrice()) > 0) {
            return "prompt price above provider.max_price.prompt";
        }
        if (p.maxCompletionPrice() != null
                && endpoint.pricing().completion().multiply(MILLION).compareTo(p.maxCompletionPrice()) > 0) {
            return "completion price above provider.max_price.completion";
        }
        if (p.requireParameters() && !endpoint.supportedParameters().containsAll(needs.parameters())) {
            List<String> missing = needs.parameters().stream()
                    .filter(name -> !endpoint.supportedParameters().contains(name)).sorted().toList();
            return "does not support " + missing + " (provider.require_parameters)";
        }
        if (needs.tools() && !endpoint.supportedParameters().contains("tools")) {
            return "does not support tools";
        }
        if (needs.responseFormat() && !endpoint.supportedParameters().contains("response_format")) {
            return "does not support response_format";
        }
        if (!model.outputModalities().contains(needs.output())) {
            return "does not output " + needs.output();
        }
        if (needs.images() && !model.inputModalities().contains("image")) {
            return "does not accept images";
        }
        return null;
    }
}
