package dev.caravan.reload;

import static dev.caravan.support.WorkingCopy.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.catalog.Catalogs;
import dev.caravan.support.LogLines;
import dev.caravan.support.WorkingCopy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Edits to a running Caravan's route files and catalog (a working copy of them). Cases: an edited
 * route serves at once; a route file that does not parse, one with an unknown step and one whose
 * endpoint cannot be created are each rejected with a log line naming file, line and problem, the
 * previous version serving on; a route deleted from its file is removed; an edited catalog serves at
 * once and a broken one is rejected with its file and line, the previous catalog serving on.
 */
class HotReloadTest {

    private static WorkingCopy copy;

    @BeforeAll
    static void start() {
        copy = WorkingCopy.get();
    }

    @Test
    void anEditedRouteServesAtOnce() throws Exception {
        Path rules = copy.routes().resolve("auto-router.camel.yaml");
        String original = Files.readString(rules);
        try {
            Files.writeString(rules, original.replace("expression: cheap", "expression: thrifty"));

            assertThat(eventually(() -> "thrifty".equals(autoRule()))).as("the edited rule answers").isTrue();
        } finally {
            Files.writeString(rules, original);
            assertThat(eventually(() -> "cheap".equals(autoRule()))).isTrue();
        }
    }

    @Test
    void brokenRouteFilesAreRejectedWithFileLineAndProblem() throws Exception {
        Path rules = copy.routes().resolve("auto-router.camel.yaml");
        String original = Files.readString(rules);
        int chooseLine = lineOf(original, "- choice:");
        try (LogLines log = new LogLines(RouteReloader.class)) {
            // not YAML: a flow sequence never closed
            Files.writeString(rules, original.replace("expression: cheap", "expression: [cheap"));
            assertThat(eventually(() -> rejected(log, rules, 1))).as("rejection of unparsable YAML: " + log.messages()).isTrue();
            assertThat(autoRule()).isEqualTo("cheap");

            // YAML, but a step Camel does not know
            Files.writeString(rules, original.replace("- choice:", "- choose:"));
            assertThat(eventually(() -> rejected(log, rules, 2))).as("rejection of an unknown step: " + log.messages()).isTrue();
            assertThat(rejections(log, rules).get(1)).contains(rules + ":" + chooseLine + ":");
            assertThat(autoRule()).isEqualTo("cheap");

            // valid to the schema, but an endpoint that cannot be created
            Files.writeString(rules, original.replace("uri: direct:auto-router", "uri: direct:auto-router?noSuchOption=1"));
            assertThat(eventually(() -> rejected(log, rules, 3))).as("rejection of a bad endpoint: " + log.messages()).isTrue();
            assertThat(rejections(log, rules).get(2)).contains("noSuchOption");
            assertThat(autoRule()).isEqualTo("cheap");
        } finally {
            Files.writeString(rules, original);
        }
    }

    @Test
    void aRouteDeletedFromItsFileIsRemoved() throws Exception {
        Path extra = copy.routes().resolve("extra.camel.yaml");
        String route = """
                - route:
                    id: extra-%s
                    description: A route added and removed while Caravan runs
                    from:
                      uri: direct:extra-%s
                      steps:
                        - log:
                            message: extra
                """;
        Files.writeString(extra, route.formatted("a", "a") + route.formatted("b", "b"));
        var camel = copy.caravan().bean(org.apache.camel.CamelContext.class);
        assertThat(eventually(() -> camel.getRoute("extra-a") != null && camel.getRoute("extra-b") != null)).isTrue();

        Files.writeString(extra, route.formatted("a", "a"));

        assertThat(eventually(() -> camel.getRoute("extra-b") == null)).isTrue();
        assertThat(camel.getRoute("extra-a")).isNotNull();
    }

    @Test
    void anEditedCatalogServesAtOnceAndABrokenOneIsRejected() throws Exception {
        Path catalog = copy.catalog();
        String original = Files.readString(catalog);
        Catalogs catalogs = copy.caravan().bean(Catalogs.class);
        try (LogLines log = new LogLines(Catalogs.class)) {
            Files.writeString(catalog, original.replace("name: Caravan Simulator", "name: Caravan Simulator, edited"));
            assertThat(eventually(() -> copy.get("/providers").body().contains("Caravan Simulator, edited"))).isTrue();

            Files.writeString(catalog, original.replace("wire_format: simulator", "wire_format: telepathy"));
            assertThat(eventually(() -> log.messages().stream().anyMatch(m -> m.contains("telepathy")))).isTrue();
            assertThat(log.messages()).anyMatch(m -> m.startsWith(catalog + ":" + lineOf(original, "wire_format: simulator") + ":")
                    && m.contains("telepathy"));
            assertThat(simulatorName(catalogs)).isEqualTo("Caravan Simulator, edited");
            assertThat(copy.post("/chat/completions", "{\"model\":\"caravan/sim-small\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                    .statusCode()).isEqualTo(200);
        } finally {
            Files.writeString(catalog, original);
            assertThat(eventually(() -> simulatorName(catalogs).equals("Caravan Simulator"))).isTrue();
        }
    }

    private static String simulatorName(Catalogs catalogs) {
        return catalogs.current().providers().stream().filter(p -> p.slug().equals("simulator")).findFirst().orElseThrow().name();
    }

    private static boolean rejected(LogLines log, Path file, int count) {
        return rejections(log, file).size() >= count;
    }

    private static java.util.List<String> rejections(LogLines log, Path file) {
        return log.messages().stream().filter(m -> m.startsWith(file + ":") && m.contains("rejected")).toList();
    }

    private static String autoRule() {
        return copy.post("/chat/completions", "{\"model\":\"caravan/auto\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}")
                .headers().firstValue("X-Caravan-Auto-Rule").orElse(null);
    }

    private static int lineOf(String text, String needle) {
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(needle)) {
                return i + 1;
            }
        }
        return -1;
    }
}
