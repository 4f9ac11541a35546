package dev.caravan.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file under routes/, and the benchmark's floor routes, is Camel's canonical YAML form
 * (validated against the schema inside camel-yaml-dsl), and every route, route configuration and
 * REST block names its intent with an id and a description. A route that breaks either never ships.
 */
class RouteFilesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final JsonSchema CANONICAL = canonicalSchema();

    static Stream<Path> routeFiles() throws Exception {
        Stream<Path> routes = Files.list(Path.of("routes")).filter(p -> p.toString().endsWith(".yaml")).sorted();
        return Stream.concat(routes, Stream.of(Path.of("bench/floor.camel.yaml")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routeFiles")
    void isCanonicalCamelYaml(Path file) throws Exception {
        JsonNode routes = YAML.readTree(file.toFile());
        // a {{property}} placeholder is a string wherever it stands, numbers included: Camel resolves it
        List<ValidationMessage> errors = CANONICAL.validate(routes).stream()
                .filter(m -> !(m.getInstanceNode() != null && m.getInstanceNode().asText().startsWith("{{")))
                .toList();

        assertThat(errors).as(file + " against camelYamlDsl-canonical.json").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routeFiles")
    void everyRouteHasAnIdAndADescription(Path file) throws Exception {
        List<String> missing = new ArrayList<>();
        for (JsonNode item : YAML.readTree(file.toFile())) {
            item.fields().forEachRemaining(entry -> {
                JsonNode definition = entry.getValue();
                if (!definition.hasNonNull("id") || !definition.hasNonNull("description")) {
                    missing.add(entry.getKey() + " " + definition.path("id").asText("(no id)"));
                }
                for (String verb : List.of("get", "post", "put", "patch", "delete")) {
                    definition.path(verb).forEach(operation -> {
                        if (!operation.hasNonNull("id") || !operation.hasNonNull("description")) {
                            missing.add(verb + " " + operation.path("path").asText());
                        }
                    });
                }
            });
        }
        assertThat(missing).as(file + ": without an id or a description").isEmpty();
    }

    private static JsonSchema canonicalSchema() {
        try (InputStream schema = RouteFilesTest.class.getResourceAsStream("/schema/camelYamlDsl-canonical.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schema);
        } catch (Exception e) {
            throw new IllegalStateException("camel-yaml-dsl's canonical schema is not on the classpath", e);
        }
    }
}
