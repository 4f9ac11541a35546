package dev.caravan.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.api.ApiException;
import dev.caravan.catalog.Endpoint;
import dev.caravan.catalog.Model;
import dev.caravan.catalog.Pricing;
import dev.caravan.catalog.Provider;
import dev.caravan.catalog.Timeouts;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Plan building as a pure function, with seeded randomness.
 * Cases: the inverse-square price draw over 10,000 draws (and a free endpoint); declared weights;
 * outage and recently failing endpoints last; each filter (only, ignore, order with and without
 * fallbacks, quantizations, data_collection, max_price, require_parameters, tools, images,
 * response_format, context length, missing key) with the reason named when nothing is left (400
 * context_length_exceeded when only the context length stopped endpoints the request allowed);
 * each sort (price, throughput, latency; partition model and none); :floor/:nitro variants;
 * soft preferences; sticky endpoint; several models in order.
 */
class PlanBuilderTest {

    private static final RoutingNeeds PLAIN = new RoutingNeeds(Set.of(), false, false, false, 10, 0);

    private final Map<String, Double> throughput = new HashMap<>();
    private final Map<String, Double> latency = new HashMap<>();
    private final Set<String> outage = new HashSet<>();
    private final Set<String> failing = new HashSet<>();

    private final EndpointHealth health = new EndpointHealth() {
        @Override
        public boolean inOutage(Endpoint endpoint) {
            return outage.contains(endpoint.provider().slug());
        }

        @Override
        public boolean recentlyFailing(Endpoint endpoint) {
            return failing.contains(endpoint.provider().slug());
        }

        @Override
        public Double throughput(Endpoint endpoint) {
            return throughput.get(endpoint.provider().slug());
        }

        @Override
        public Double latency(Endpoint endpoint) {
            return latency.get(endpoint.provider().slug());
        }
    };

    private final PlanBuilder builder = new PlanBuilder(health, new SplittableRandom(42));

    private static Endpoint endpoint(String slug, String pricePerMillion, Integer weight) {
        return endpoint(slug, pricePerMillion, weight, "fp16", "deny", List.of("temperature", "tools"), 8000, true);
    }

    private static Endpoint endpoint(String slug, String pricePerMillion, Integer weight, String quantization,
                                     String dataCollection, List<String> parameters, int context, boolean keyed) {
        BigDecimal half = new BigDecimal(pricePerMillion).movePointLeft(6).divide(BigDecimal.valueOf(2));
        Provider provider = new Provider(slug, slug.toUpperCase(), "openai", "http://127.0.0.1:1/v1",
                keyed ? null : "NEVER_SET", null, null, null, Timeouts.DEFAULT, null);
        return new Endpoint(provider, slug + "-model", new Pricing(half, half, BigDecimal.ZERO, BigDecimal.ZERO, null, null),
                1000, quantization, context, parameters, dataCollection, weight);
    }

    private static Model model(String id, Endpoint... endpoints) {
        return new Model(id, id, null, 0, 8000, List.of("text"), List.of("text"), null, List.of("temperature", "tools"),
                List.of(endpoints), List.of());
    }

    private static PlanBuilder.Candidate candidate(Model model) {
        return new PlanBuilder.Candidate(model, null);
    }

    private static ProviderPreferences prefs(String json) throws Exception {
        return ProviderPreferences.of(new ObjectMapper().readTree(json));
    }

    private List<String> plan(Model model, ProviderPreferences preferences) {
        return builder.build(List.of(candidate(model)), PLAIN, preferences, null).stream()
                .map(a -> a.provider().slug()).toList();
    }

    @Test
    void defaultDrawIsWeightedByTheInverseSquareOfPrice() {
        Model model = model("a/m", endpoint("one", "1", null), endpoint("two", "2", null), endpoint("three", "3", null));
        Map<String, Integer> firsts = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            firsts.merge(plan(model, ProviderPreferences.NONE).get(0), 1, Integer::sum);
        }
        // weights 1, 1/4, 1/9 of a total of 49/36
        assertThat(firsts.get("one") / 10_000.0).isCloseTo(36 / 49.0, org.assertj.core.data.Offset.offset(0.02));
        assertThat(firsts.get("two") / 10_000.0).isCloseTo(9 / 49.0, org.assertj.core.data.Offset.offset(0.02));
        assertThat(firsts.get("three") / 10_000.0).isCloseTo(4 / 49.0, org.assertj.core.data.Offset.offset(0.02));
        assertThat((double) firsts.get("one") / firsts.get("three")).isBetween(8.0, 10.0);
    }

    @Test
    void freeEndpointCountsAsATenthOfTheCheapestPrice() {
        Model model = model("a/m", endpoint("free", "0", null), endpoint("paid", "1", null));
        long free = 0;
        for (int i = 0; i < 10_000; i++) {
            free += plan(model, ProviderPreferences.NONE).get(0).equals("free") ? 1 : 0;
        }
        assertThat(free / 10_000.0).isCloseTo(100 / 101.0, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void declaredWeightsReplaceThePriceDraw() {
        Model model = model("a/m", endpoint("a", "9", 3), endpoint("b", "1", 1));
        long a = 0;
        for (int i = 0; i < 10_000; i++) {
            a += plan(model, ProviderPreferences.NONE).get(0).equals("a") ? 1 : 0;
        }
        assertThat(a / 10_000.0).isCloseTo(0.75, org.assertj.core.data.Offset.offset(0.02));
    }

    @Test
    void outageAndRecentlyFailingEndpointsGoLast() {
        Model model = model("a/m", endpoint("down", "1", null), endpoint("flaky", "2", null), endpoint("ok", "3", null));
        outage.add("down");
        failing.add("flaky");

        for (int i = 0; i < 100; i++) {
            List<String> plan = plan(model, ProviderPreferences.NONE);
            assertThat(plan.get(2)).isEqualTo("down");
            assertThat(plan.subList(0, 2)).containsExactlyInAnyOrder("ok", "flaky");
            if (plan.get(0).equals("ok")) {
                assertThat(plan.get(1)).isEqualTo("flaky");
            }
        }
    }

    @Test
    void orderThenTheRestUnlessFallbacksAreOff() throws Exception {
        Model model = model("a/m", endpoint("a", "1", null), endpoint("b", "2", null), endpoint("c", "3", null));

        assertThat(plan(model, prefs("{\"order\":[\"c\",\"b\"]}"))).startsWith("c", "b").hasSize(3);
        assertThat(plan(model, prefs("{\"order\":[\"c\"],\"allow_fallbacks\":false}"))).containsExactly("c");
        assertThat(plan(model, prefs("{\"allow_fallbacks\":false}"))).hasSize(1);
    }

    @Test
    void hardFiltersAndTheirReasons() throws Exception {
        Model model = model("a/m",
                endpoint("a", "1", null, "fp8", "allow", List.of("temperature"), 8000, true),
                endpoint("b", "20", null, "fp16", "deny", List.of("temperature", "tools", "top_k"), 8000, true),
                endpoint("c", "1", null, "fp16", "deny", List.of("temperature"), 100, true),
                endpoint("d", "1", null, "fp16", "deny", List.of("temperature"), 8000, false));

        assertThat(plan(model, prefs("{\"only\":[\"b\"]}"))).containsExactly("b");
        assertThat(plan(model, prefs("{\"ignore\":[\"a\",\"b\"]}"))).containsExactly("c");
        assertThat(plan(model, prefs("{\"quantizations\":[\"fp8\"]}"))).containsExactly("a");
        assertThat(plan(model, prefs("{\"data_collection\":\"deny\"}"))).containsExactlyInAnyOrder("b", "c");
        assertThat(plan(model, prefs("{\"max_price\":{\"prompt\":1}}"))).containsExactlyInAnyOrder("a", "c");
        RoutingNeeds topK = new RoutingNeeds(Set.of("top_k"), false, false, false, 10, 0);
        assertThat(builder.build(List.of(candidate(model)), topK, prefs("{\"require_parameters\":true}"), null))
                .extracting(a -> a.provider().slug()).containsExactly("b");
        RoutingNeeds tools = new RoutingNeeds(Set.of("tools"), true, false, false, 10, 0);
        assertThat(builder.build(List.of(candidate(model)), tools, ProviderPreferences.NONE, null))
                .extracting(a -> a.provider().slug()).containsExactly("b");
        RoutingNeeds big = new RoutingNeeds(Set.of(), false, false, false, 500, 100);
        assertThat(builder.build(List.of(candidate(model)), big, ProviderPreferences.NONE, null))
                .extracting(a -> a.provider().slug()).doesNotContain("c", "d");

        assertThatThrownBy(() -> builder.build(List.of(candidate(model)),
                new RoutingNeeds(Set.of(), false, true, true, 10, 0), prefs("{\"ignore\":[\"b\"]}"), null))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("a/m on b: in provider.ignore")
                .hasMessageContaining("a/m on a: does not support response_format")
                .hasMessageContaining("a/m on d: its provider has no API key configured")
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(404));
    }

    @Test
    void aPromptTooLongForEveryEndpointLeftIs400ContextLengthExceeded() throws Exception {
        Model model = model("a/m",
                endpoint("small", "1", null, "fp16", "deny", List.of("temperature"), 4000, true),
                endpoint("big", "1", null, "fp16", "deny", List.of("temperature"), 100_000, true),
                endpoint("locked", "1", null, "fp16", "deny", List.of("temperature"), 100_000, false));
        RoutingNeeds huge = new RoutingNeeds(Set.of(), false, false, false, 10, 200_000);
        RoutingNeeds medium = new RoutingNeeds(Set.of(), false, false, false, 10, 50_000);

        assertThatThrownBy(() -> builder.build(List.of(candidate(model)), huge, ProviderPreferences.NONE, null))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("about 200010 tokens").hasMessageContaining("at most 100000")
                .hasMessageContaining("a/m on locked: its provider has no API key configured")
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(400))
                .satisfies(e -> assertThat(((ApiException) e).type()).isEqualTo("context_length_exceeded"));
        // the endpoint that would fit is filtered out by the request itself: what is left is too small
        assertThatThrownBy(() -> builder.build(List.of(candidate(model)), medium, prefs("{\"ignore\":[\"big\"]}"), null))
                .satisfies(e -> assertThat(((ApiException) e).type()).isEqualTo("context_length_exceeded"))
                .hasMessageContaining("a/m on big: in provider.ignore");
        // no endpoint got as far as the context check: the request's constraints are what excluded them
        assertThatThrownBy(() -> builder.build(List.of(candidate(model)), huge,
                prefs("{\"ignore\":[\"small\",\"big\"]}"), null))
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(404))
                .satisfies(e -> assertThat(((ApiException) e).type()).isEqualTo("no_endpoints"));
    }

    @Test
    void sortsByPriceThroughputAndLatency() throws Exception {
        Model model = model("a/m", endpoint("slow", "1", null), endpoint("fast", "3", null), endpoint("mid", "2", null));
        throughput.putAll(Map.of("slow", 10.0, "fast", 300.0, "mid", 50.0));
        latency.putAll(Map.of("slow", 900.0, "fast", 100.0, "mid", 400.0));

        assertThat(plan(model, prefs("{\"sort\":\"price\"}"))).containsExactly("slow", "mid", "fast");
        assertThat(plan(model, prefs("{\"sort\":\"throughput\"}"))).containsExactly("fast", "mid", "slow");
        assertThat(plan(model, prefs("{\"sort\":{\"by\":\"latency\"}}"))).containsExactly("fast", "mid", "slow");
    }

    @Test
    void variantsSortTheirModelAndPartitionNoneSortsAcrossModels() throws Exception {
        Model first = model("a/one", endpoint("x", "5", null), endpoint("y", "4", null));
        Model second = model("a/two", endpoint("z", "1", null));
        throughput.putAll(Map.of("x", 100.0, "y", 10.0, "z", 50.0));

        List<Attempt> floor = builder.build(List.of(new PlanBuilder.Candidate(first, "price"), candidate(second)),
                PLAIN, ProviderPreferences.NONE, null);
        assertThat(floor).extracting(a -> a.provider().slug()).containsExactly("y", "x", "z");
        List<Attempt> nitro = builder.build(List.of(new PlanBuilder.Candidate(first, "throughput")), PLAIN,
                ProviderPreferences.NONE, null);
        assertThat(nitro).extracting(a -> a.provider().slug()).containsExactly("x", "y");
        List<Attempt> across = builder.build(List.of(candidate(first), candidate(second)), PLAIN,
                prefs("{\"sort\":{\"by\":\"price\",\"partition\":\"none\"}}"), null);
        assertThat(across).extracting(a -> a.provider().slug()).containsExactly("z", "y", "x");
    }

    @Test
    void softPreferencesMoveSlowEndpointsLastWithoutDroppingThem() throws Exception {
        Model model = model("a/m", endpoint("cheap-slow", "1", null), endpoint("pricey-fast", "9", null));
        throughput.putAll(Map.of("cheap-slow", 5.0, "pricey-fast", 200.0));

        assertThat(plan(model, prefs("{\"sort\":\"price\",\"preferred_min_throughput\":50}")))
                .containsExactly("pricey-fast", "cheap-slow");
        latency.putAll(Map.of("cheap-slow", 5000.0, "pricey-fast", 200.0));
        assertThat(plan(model, prefs("{\"sort\":\"price\",\"preferred_max_latency\":1}")))
                .containsExactly("pricey-fast", "cheap-slow");
    }

    @Test
    void stickyEndpointComesFirstWhileHealthy() {
        Model model = model("a/m", endpoint("cheap", "1", null), endpoint("pricey", "50", null));
        String sticky = model.endpoints().get(1).key();

        assertThat(builder.build(List.of(candidate(model)), PLAIN, ProviderPreferences.NONE, sticky).get(0)
                .provider().slug()).isEqualTo("pricey");
        outage.add("pricey");
        assertThat(builder.build(List.of(candidate(model)), PLAIN, ProviderPreferences.NONE, sticky).get(0)
                .provider().slug()).isEqualTo("cheap");
    }

    @Test
    void modelsComeInTheirOrderEachWithItsEndpoints() {
        Model first = model("a/one", endpoint("x", "1", null));
        Model second = model("a/two", endpoint("y", "1", null), endpoint("z", "1", null));

        List<Attempt> plan = builder.build(List.of(candidate(first), candidate(second)), PLAIN, ProviderPreferences.NONE, null);
        assertThat(plan).extracting(a -> a.model().id()).containsExactly("a/one", "a/two", "a/two");
    }

    @Test
    void badPreferencesAreRefused() {
        assertThatThrownBy(() -> prefs("{\"sort\":\"vibes\"}")).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> prefs("{\"order\":\"openai\"}")).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> prefs("{\"colour\":\"red\"}")).isInstanceOf(ApiException.class);
    }
}
