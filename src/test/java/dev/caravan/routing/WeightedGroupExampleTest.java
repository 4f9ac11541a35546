package dev.caravan.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.catalog.Catalog;
import dev.caravan.catalog.CatalogLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The weighted group of README.md, loaded as an operator would paste it, so that the README
 * cannot drift from what Caravan accepts. Cases: it loads; the draw follows its 3:1 weights;
 * its fallback model comes after both deployments.
 */
class WeightedGroupExampleTest {

    @TempDir
    Path dir;

    @Test
    void readmeExampleLoadsAndBalancesThreeToOne() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String block = readme.substring(readme.indexOf("<!-- weighted-group-example: begin"),
                readme.indexOf("<!-- weighted-group-example: end"));
        String yaml = block.substring(block.indexOf("```yaml") + 7, block.lastIndexOf("```"));
        Path file = dir.resolve("models.yaml");
        Files.writeString(file, yaml);
        Catalog catalog = new CatalogLoader(s -> s.replaceAll("\\$\\{[A-Z_]+:([^}]*)}", "$1"), name -> null).load(file);

        PlanBuilder builder = new PlanBuilder(EndpointHealth.UNKNOWN, new SplittableRandom(7));
        RoutingNeeds needs = new RoutingNeeds(Set.of(), false, false, false, 10, 0);
        PlanBuilder.Candidate group = new PlanBuilder.Candidate(catalog.model("acme/llama-70b"), null);
        PlanBuilder.Candidate fallback = new PlanBuilder.Candidate(catalog.model("acme/llama-8b"), null);
        int east = 0;
        for (int i = 0; i < 10_000; i++) {
            List<Attempt> plan = builder.build(List.of(group, fallback), needs, ProviderPreferences.NONE, null);
            east += plan.get(0).provider().slug().equals("vllm-east") ? 1 : 0;
            assertThat(plan.get(2).model().id()).isEqualTo("acme/llama-8b");
        }
        assertThat(east / 10_000.0).isBetween(0.73, 0.77);
        assertThat(catalog.model("acme/llama-70b").fallbacks()).containsExactly("acme/llama-8b");
    }
}
