package dev.caravan.routing;

import dev.caravan.api.ApiException;
import dev.caravan.api.ChatRequest;
import dev.caravan.api.ChatRequests;
import dev.caravan.api.ClientDisconnected;
import dev.caravan.catalog.Catalog;
import dev.caravan.catalog.Catalogs;
import dev.caravan.catalog.Model;
import dev.caravan.providers.UpstreamException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The routing steps of routes/chat.camel.yaml: resolve the models a request may use, build its
 * plan of attempts, hand out one attempt at a time, and decide after a failure whether to try
 * the next one, wait and retry, or give up with every attempt's error listed.
 */
@Component("planner")
public class Planner {

    public static final String WIRE_FORMAT = "wireFormat";
    /** Set by the auto router (routes/auto-router.camel.yaml): comma-separated candidate models. */
    public static final String AUTO_MODELS = "autoModels";
    public static final String AUTO_ROUTER = "caravan/auto";

    private final Catalogs catalogs;
    private final EndpointStats stats;
    private final StickySessions sessions;
    private final RoutingSettings settings;

    public Planner(Catalogs catalogs, EndpointStats stats, StickySessions sessions, RoutingSettings settings) {
        this.catalogs = catalogs;
        this.stats = stats;
        this.sessions = sessions;
        this.settings = settings;
    }

    public void plan(Exchange exchange) {
        ChatRequest request = exchange.getProperty(ChatRequests.CHAT_REQUEST, ChatRequest.class);
        List<PlanBuilder.Candidate> candidates = candidates(request, exchange.getProperty(AUTO_MODELS, String.class));
        ProviderPreferences preferences = ProviderPreferences.of(request.body().get("provider"));
        String session = session(exchange, request);
        String sticky = sessions.endpointFor(session, candidates.get(0).model().id());
        RoutingNeeds needs = exchange.getProperty(RoutingNeeds.PROPERTY, RoutingNeeds.class);
        List<Attempt> attempts = new PlanBuilder(stats, ThreadLocalRandom.current())
                .build(candidates, needs != null ? needs : RequestFacts.needs(request), preferences, sticky);
        exchange.setProperty(Plan.PROPERTY, new Plan(attempts, settings.timeBudget().toNanos()));
        exchange.setProperty(Plan.PENDING, true);
    }

    /** The next attempt becomes the exchange's {@code attempt}; upstream-attempt serves it. */
    public void nextAttempt(Exchange exchange) {
        Attempt attempt = planOf(exchange).next();
        exchange.setProperty(Attempt.PROPERTY, attempt);
        exchange.setProperty(WIRE_FORMAT, attempt.provider().wireFormat());
    }

    public void attemptSucceeded(Exchange exchange) {
        exchange.setProperty(Plan.PENDING, false);
        ChatRequest request = exchange.getProperty(ChatRequests.CHAT_REQUEST, ChatRequest.class);
        Attempt attempt = exchange.getProperty(Attempt.PROPERTY, Attempt.class);
        sessions.served(session(exchange, request), attempt.model().id(), attempt.endpoint().key());
    }

    /**
     * After a failed attempt: a refused request skips the rest of its model; a rate limit or an
     * overload on the last candidate is retried once its Retry-After has passed, if the time
     * budget allows; when nothing is left, the last error is thrown with all of them listed.
     */
    public void attemptFailed(Exchange exchange) throws InterruptedException {
        Plan plan = planOf(exchange);
        Attempt attempt = exchange.getProperty(Attempt.PROPERTY, Attempt.class);
        ApiException error = asApiException(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class), attempt);
        if (error instanceof ClientDisconnected) {
            exchange.setProperty(Plan.PENDING, false);
            throw error;
        }
        plan.failed(attempt, error);
        if (!(error instanceof UpstreamException) || error.status() == 400) {
            plan.skipRestOf(attempt);
        }
        Long retryAfter = error.retryAfterSeconds();
        if (!plan.hasNext() && retryAfter != null && retryAfter <= settings.maxRetryAfter().toSeconds()) {
            plan.retryAfter(attempt, retryAfter * 1000, settings.maxRetries());
        }
        if (!plan.hasNext()) {
            exchange.setProperty(Plan.PENDING, false);
            throw plan.giveUp(error);
        }
    }

    private List<PlanBuilder.Candidate> candidates(ChatRequest request, String autoModels) {
        Catalog catalog = catalogs.current();
        boolean auto = request.model().equals(AUTO_ROUTER);
        List<String> ids = new ArrayList<>();
        if (auto) {
            if (autoModels == null || autoModels.isBlank()) {
                throw ApiException.invalidRequest("No auto-router rule chose a model for this request", "model");
            }
            for (String id : autoModels.split(",")) {
                ids.add(id.trim());
            }
        }
        ids.addAll(request.modelList().stream().filter(id -> !id.equals(AUTO_ROUTER)).toList());
        Set<String> seen = new LinkedHashSet<>();
        List<PlanBuilder.Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            PlanBuilder.Candidate candidate = resolve(catalog, ids.get(i));
            if (candidate == null) {
                if (auto) {
                    continue; // rules may name models this catalog does not have
                }
                throw new ApiException(400, "model_not_found", "'" + ids.get(i) + "' is not a valid model ID; "
                        + "GET /api/v1/models lists the models Caravan serves", "model", null);
            }
            if (seen.add(candidate.model().id() + candidate.variantSort())) {
                candidates.add(candidate);
                candidate.model().fallbacks().stream().filter(f -> !ids.contains(f)).forEach(ids::add);
            }
        }
        if (candidates.isEmpty()) {
            throw ApiException.invalidRequest("None of the auto router's models is in the catalog", "model");
        }
        return candidates;
    }

    /** An id as the catalog has it, or a dynamic variant of one: {@code :floor} sorts by price, {@code :nitro} by throughput. */
    private static PlanBuilder.Candidate resolve(Catalog catalog, String id) {
        Model model = catalog.model(id);
        if (model != null) {
            return new PlanBuilder.Candidate(model, null);
        }
        int colon = id.lastIndexOf(':');
        if (colon > 0) {
            String variant = id.substring(colon + 1);
            Model base = catalog.model(id.substring(0, colon));
            if (base != null && (variant.equals("floor") || variant.equals("nitro"))) {
                return new PlanBuilder.Candidate(base, variant.equals("floor") ? "price" : "throughput");
            }
        }
        return null;
    }

    private static ApiException asApiException(Throwable failure, Attempt attempt) {
        if (failure instanceof ApiException api) {
            return api;
        }
        String provider = attempt.provider().name();
        if (failure instanceof CallNotPermittedException) {
            return new UpstreamException(503, "provider_overloaded", provider + " is unavailable right now "
                    + "(its circuit is open after repeated failures); retry shortly", provider, 0, false, null);
        }
        return UpstreamException.fromFailure(provider, failure);
    }

    private static String session(Exchange exchange, ChatRequest request) {
        return request.sessionId(exchange.getMessage().getHeader("x-session-id", String.class));
    }

    private static Plan planOf(Exchange exchange) {
        return exchange.getProperty(Plan.PROPERTY, Plan.class);
    }
}
