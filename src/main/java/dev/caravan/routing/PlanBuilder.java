package dev.caravan.routing;

import dev.caravan.catalog.Endpoint;
import dev.caravan.catalog.Model;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Builds the ordered attempts for a request (reference §3), as a pure function of the candidate
 * models, the request's needs and preferences, endpoint health and a source of randomness:
 * filter each model's endpoints, then order them by {@code order}, by {@code sort}, or by default
 * with a draw weighted by the inverse square of price (or the catalog's declared weights).
 */
public final class PlanBuilder {

    /** A candidate model, with the sort its variant asks for ({@code :floor} price, {@code :nitro} throughput). */
    public record Candidate(Model model, String variantSort) {
    }

    private final EndpointHealth health;
    private final RandomGenerator random;

    public PlanBuilder(EndpointHealth health, RandomGenerator random) {
        this.health = health;
        this.random = random;
    }

    public List<Attempt> build(List<Candidate> candidates, RoutingNeeds needs, ProviderPreferences preferences,
                               String stickyEndpoint) {
        Exclusions excluded = new Exclusions();
        Map<Candidate, List<Endpoint>> eligible = new LinkedHashMap<>();
        for (Candidate candidate : candidates) {
            List<Endpoint> endpoints = EndpointFilters.eligible(candidate.model(), needs, preferences, excluded);
            if (!endpoints.isEmpty()) {
                eligible.put(candidate, endpoints);
            }
        }
        if (eligible.isEmpty()) {
            throw excluded.nothingLeft();
        }
        ProviderPreferences.Sort sort = preferences.sort();
        if (sort != null && sort.acrossModels()) {
            List<Attempt> all = new ArrayList<>();
            eligible.forEach((candidate, endpoints) -> endpoints.forEach(e -> all.add(new Attempt(candidate.model(), e))));
            all.sort(Comparator.comparing(Attempt::endpoint, by(sort.by())));
            return preferences.allowFallbacks() ? all : all.subList(0, 1);
        }
        List<Attempt> plan = new ArrayList<>();
        eligible.forEach((candidate, endpoints) -> {
            ProviderPreferences effective = candidate.variantSort() == null ? preferences
                    : preferences.sortedBy(candidate.variantSort());
            String sticky = plan.isEmpty() ? stickyEndpoint : null;
            for (Endpoint endpoint : order(endpoints, effective, sticky)) {
                plan.add(new Attempt(candidate.model(), endpoint));
            }
        });
        return plan;
    }

    private List<Endpoint> order(List<Endpoint> endpoints, ProviderPreferences preferences, String sticky) {
        List<Endpoint> ordered = new ArrayList<>();
        if (!preferences.order().isEmpty()) {
            for (String slug : preferences.order()) {
                endpoints.stream().filter(e -> e.provider().slug().equals(slug) && !ordered.contains(e)).forEach(ordered::add);
            }
            if (!preferences.allowFallbacks()) {
                return ordered;
            }
        }
        List<Endpoint> rest = new ArrayList<>(endpoints);
        rest.removeAll(ordered);
        if (preferences.sort() != null) {
            rest.sort(by(preferences.sort().by()));
        } else {
            rest = byDefault(rest, sticky);
        }
        rest = softPreferences(rest, preferences);
        ordered.addAll(rest);
        return preferences.allowFallbacks() ? ordered : ordered.subList(0, 1);
    }

    /** Stable endpoints first, the first of them drawn at random by weight; failing ones last. */
    private List<Endpoint> byDefault(List<Endpoint> endpoints, String sticky) {
        List<Endpoint> stable = new ArrayList<>(endpoints.stream().filter(e -> !health.inOutage(e)).toList());
        List<Endpoint> outage = endpoints.stream().filter(health::inOutage).toList();
        stable.sort(Comparator.comparing(Endpoint::pricing, Comparator.comparing(p -> p.prompt().add(p.completion()))));
        stable.sort(Comparator.comparing(health::recentlyFailing));
        List<Endpoint> ordered = new ArrayList<>();
        Endpoint first = stable.stream().filter(e -> e.key().equals(sticky)).findFirst()
                .orElseGet(() -> stable.isEmpty() ? null : draw(stable));
        if (first != null) {
            ordered.add(first);
            stable.remove(first);
        }
        ordered.addAll(stable);
        ordered.addAll(outage);
        return ordered;
    }

    /** One endpoint, drawn with the weights the catalog declares, or else the inverse square of price. */
    Endpoint draw(List<Endpoint> endpoints) {
        double[] weights = Weights.of(endpoints);
        double total = 0;
        for (double weight : weights) {
            total += weight;
        }
        double point = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            point -= weights[i];
            if (point < 0) {
                return endpoints.get(i);
            }
        }
        return endpoints.get(endpoints.size() - 1);
    }

    /** Endpoints below the preferred throughput or above the preferred latency go last, never away. */
    private List<Endpoint> softPreferences(List<Endpoint> endpoints, ProviderPreferences preferences) {
        if (preferences.preferredMinThroughput() == null && preferences.preferredMaxLatencySeconds() == null) {
            return endpoints;
        }
        List<Endpoint> sorted = new ArrayList<>(endpoints);
        sorted.sort(Comparator.comparing(e -> belowPreference(e, preferences)));
        return sorted;
    }

    private boolean belowPreference(Endpoint endpoint, ProviderPreferences preferences) {
        Double throughput = health.throughput(endpoint);
        Double latency = health.latency(endpoint);
        return preferences.preferredMinThroughput() != null && throughput != null
                && throughput < preferences.preferredMinThroughput()
                || preferences.preferredMaxLatencySeconds() != null && latency != null
                && latency > preferences.preferredMaxLatencySeconds() * 1000;
    }

    private Comparator<Endpoint> by(String sort) {
        return switch (sort) {
            case "throughput" -> Comparator.comparing(health::throughput,
                    Comparator.nullsLast(Comparator.<Double>reverseOrder()));
            case "latency" -> Comparator.comparing(health::latency, Comparator.nullsLast(Comparator.<Double>naturalOrder()));
            default -> Comparator.comparing(e -> e.pricing().prompt().add(e.pricing().completion()),
                    Comparator.<BigDecimal>naturalOrder());
        };
    }
}
