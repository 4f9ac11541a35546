package dev.caravan.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cases: the shipped catalog loads and only keyless providers are routable without keys; a key
 * in the environment makes a provider routable; ${...} placeholders; prices stay exact; and a
 * broken catalog names file, line and field: YAML syntax, unknown field, missing price, a price
 * that is not a number, an unknown provider, an unknown wire format, a duplicate model, a name
 * longer than the usage records keep.
 */
class CatalogLoaderTest {

    @TempDir
    Path dir;

    private static final String PROVIDERS = """
            providers:
              - slug: local
                name: Local
                wire_format: openai
                base_url: ${LOCAL_URL:http://127.0.0.1:11434/v1}
              - slug: paid
                name: Paid
                wire_format: openai
                base_url: https://paid.example/v1
                api_key_env: PAID_KEY
            """;

    private static final String MODEL = """
            models:
              - id: acme/one
                name: One
                context_length: 1000
                input_modalities: [text]
                output_modalities: [text]
                supported_parameters: [temperature]
                endpoints:
                  - provider: paid
                    model: one-upstream
                    pricing: {prompt: "0.0000001", completion: "0.0000004"}
                    max_completion_tokens: 100
            """;

    private Catalog load(String yaml, Map<String, String> env) throws Exception {
        Path file = dir.resolve("models.yaml");
        Files.writeString(file, yaml);
        return new CatalogLoader(s -> s.replace("${LOCAL_URL:http://127.0.0.1:11434/v1}", "http://127.0.0.1:9/v1"),
                env::get).load(file);
    }

    private void assertBroken(String yaml, String message) {
        assertThatThrownBy(() -> load(yaml, Map.of())).isInstanceOf(CatalogException.class)
                .hasMessageContaining(dir.resolve("models.yaml").toString()).hasMessageContaining(message);
    }

    @Test
    void shippedCatalogLoadsAndOnlyTheSimulatorIsRoutableWithoutKeys() {
        Catalog catalog = new CatalogLoader(s -> s, name -> null).load(Path.of("config/models.yaml"));

        assertThat(catalog.models()).hasSizeGreaterThan(10);
        assertThat(catalog.providers()).filteredOn(Provider::routable).extracting(Provider::slug).containsExactly("simulator");
        assertThat(catalog.model("caravan/sim-small").routable()).isTrue();
        assertThat(catalog.model("openai/gpt-4o-mini").routable()).isFalse();
    }

    @Test
    void aKeyInTheEnvironmentMakesItsProviderRoutable() throws Exception {
        Catalog without = load(PROVIDERS + MODEL, Map.of());
        Catalog with = load(PROVIDERS + MODEL, Map.of("PAID_KEY", "secret"));

        assertThat(without.model("acme/one").routable()).isFalse();
        assertThat(with.model("acme/one").routable()).isTrue();
        assertThat(with.model("acme/one").endpoints().get(0).provider().toString()).doesNotContain("secret");
        assertThat(with.providers().iterator().next().baseUrl()).isEqualTo("http://127.0.0.1:9/v1");
        assertThat(with.model("acme/one").endpoints().get(0).pricing().prompt()).isEqualTo(new BigDecimal("0.0000001"));
    }

    @Test
    void yamlSyntaxErrorNamesTheLine() {
        assertBroken(PROVIDERS + "models:\n  - id: [unclosed\n", ":13:");
    }

    @Test
    void unknownFieldNamesLineAndField() {
        assertBroken(PROVIDERS + MODEL.replace("max_completion_tokens: 100", "max_completion_tokens: 100\n        colour: red"),
                ":23: models[0].endpoints[0].colour: unknown field");
    }

    @Test
    void missingPriceNamesTheField() {
        assertBroken(PROVIDERS + MODEL.replace("prompt: \"0.0000001\", ", ""), "models[0].endpoints[0].pricing.prompt: missing");
    }

    @Test
    void priceThatIsNotANumber() {
        assertBroken(PROVIDERS + MODEL.replace("\"0.0000004\"", "cheap"), "pricing.completion: expected a number, got 'cheap'");
    }

    @Test
    void unknownProvider() {
        assertBroken(PROVIDERS + MODEL.replace("provider: paid", "provider: nobody"),
                ":19: models[0].endpoints[0].provider: unknown provider 'nobody'");
    }

    @Test
    void aNameTooLongToRecord() {
        // generation records keep the model id, the provider's name and the upstream model's in 200 characters
        assertBroken(PROVIDERS + MODEL.replace("model: one-upstream", "model: " + "u".repeat(201)),
                ":20: models[0].endpoints[0].model: at most 200 characters, got 201");
    }

    @Test
    void unknownWireFormat() {
        assertBroken(PROVIDERS.replace("wire_format: openai\n    base_url: https", "wire_format: carrier-pigeon\n    base_url: https") + MODEL,
                ":8: providers[1].wire_format: unknown wire format 'carrier-pigeon'");
    }

    @Test
    void duplicateModel() {
        assertBroken(PROVIDERS + MODEL + MODEL.replace("models:\n", ""), "models[1].id: duplicate model 'acme/one'");
    }
}
