package dev.caravan.catalog;

import dev.caravan.providers.simulator.SimulatorSettings;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads config/models.yaml strictly: an unknown field, a missing price or an endpoint naming an
 * unknown provider stops start-up with the file, line and field, rather than serving a wrong price.
 * Values may use ${NAME:default} placeholders from the environment (a local server's URL, say).
 */
public final class CatalogLoader {

    public static final Set<String> WIRE_FORMATS = Set.of("openai", "anthropic", "gemini", "simulator");

    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]*");
    /** The width of the columns model ids, provider names and upstream model names are recorded in. */
    private static final int RECORDED_NAME_LENGTH = 200;
    private static final Pattern MODEL_ID = Pattern.compile("[a-z0-9][a-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._:-]*");

    private final UnaryOperator<String> placeholders;
    private final UnaryOperator<String> environment;

    /**
     * @param placeholders resolves ${...} in values
     * @param environment  looks up a provider's API key by variable name
     */
    public CatalogLoader(UnaryOperator<String> placeholders, UnaryOperator<String> environment) {
        this.placeholders = placeholders;
        this.environment = environment;
    }

    public Catalog load(Path file) {
        String name = file.toString();
        Node root;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Yaml(new LoaderOptions()).compose(reader);
        } catch (MarkedYAMLException e) {
            throw new CatalogException(name + ":" + (e.getProblemMark().getLine() + 1) + ": " + e.getProblem());
        } catch (IOException e) {
            throw new CatalogException(name + ": cannot be read: " + e.getMessage());
        }
        if (root == null) {
            throw new CatalogException(name + ":1: the catalog is empty");
        }
        YamlNode catalog = new YamlNode(name, "", root, placeholders);
        catalog.allowOnly(Set.of("providers", "models"));
        Map<String, Provider> providers = new HashMap<>();
        List<Provider> providerList = new ArrayList<>();
        for (YamlNode node : catalog.objects("providers")) {
            Provider provider = provider(node);
            if (providers.putIfAbsent(provider.slug(), provider) != null) {
                throw node.error("slug", "duplicate provider '" + provider.slug() + "'");
            }
            providerList.add(provider);
        }
        List<Model> models = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (YamlNode node : catalog.objects("models")) {
            Model model = model(node, providers);
            if (!ids.add(model.id())) {
                throw node.error("id", "duplicate model '" + model.id() + "'");
            }
            models.add(model);
        }
        checkFallbacks(catalog, ids);
        return new Catalog(providerList, models);
    }

    private static void checkFallbacks(YamlNode catalog, Set<String> ids) {
        for (YamlNode model : catalog.objects("models")) {
            for (String fallback : model.strings("fallbacks", List.of())) {
                if (!ids.contains(fallback)) {
                    throw model.error("fallbacks", "unknown model '" + fallback + "'");
                }
            }
        }
    }

    private Provider provider(YamlNode node) {
        node.allowOnly(Set.of("slug", "name", "wire_format", "base_url", "api_key_env", "privacy_policy_url",
                "status_page_url", "timeouts", "simulator"));
        String slug = node.text("slug");
        if (!SLUG.matcher(slug).matches()) {
            throw node.error("slug", "use lower-case letters, digits and '-', got '" + slug + "'");
        }
        String wireFormat = node.text("wire_format");
        if (!WIRE_FORMATS.contains(wireFormat)) {
            throw node.error("wire_format", "unknown wire format '" + wireFormat + "' (known: "
                    + String.join(", ", WIRE_FORMATS.stream().sorted().toList()) + ")");
        }
        boolean simulated = wireFormat.equals("simulator");
        String baseUrl = simulated ? node.optText("base_url") : node.text("base_url");
        if (baseUrl != null && !baseUrl.matches("https?://.+")) {
            throw node.error("base_url", "expected an http:// or https:// URL, got '" + baseUrl + "'");
        }
        String apiKeyEnv = node.optText("api_key_env");
        String key = apiKeyEnv == null ? null : environment.apply(apiKeyEnv);
        return new Provider(slug, node.text("name", RECORDED_NAME_LENGTH), wireFormat,
                baseUrl == null ? null : stripSlash(baseUrl),
                apiKeyEnv, key == null || key.isBlank() ? null : new Provider.ProviderKey(key.trim()),
                node.optText("privacy_policy_url"), node.optText("status_page_url"), timeouts(node),
                simulated ? simulator(node) : null);
    }

    private static Timeouts timeouts(YamlNode provider) {
        if (!provider.has("timeouts")) {
            return Timeouts.DEFAULT;
        }
        YamlNode node = provider.object("timeouts");
        node.allowOnly(Set.of("connect_ms", "first_token_ms", "idle_ms"));
        return new Timeouts(node.integer("connect_ms", Timeouts.DEFAULT.connectMs()),
                node.integer("first_token_ms", Timeouts.DEFAULT.firstTokenMs()),
                node.integer("idle_ms", Timeouts.DEFAULT.idleMs()));
    }

    private static SimulatorSettings simulator(YamlNode provider) {
        SimulatorSettings d = SimulatorSettings.DEFAULT;
        if (!provider.has("simulator")) {
            return d;
        }
        YamlNode node = provider.object("simulator");
        node.allowOnly(Set.of("latency_ms", "tokens_per_second", "error_rate", "fail_after_tokens", "completion_tokens"));
        BigDecimal errorRate = node.decimal("error_rate", BigDecimal.valueOf(d.errorRate()));
        if (errorRate.compareTo(BigDecimal.ONE) > 0) {
            throw node.error("error_rate", "a share between 0 and 1");
        }
        return new SimulatorSettings(node.integer("latency_ms", d.latencyMs()),
                node.decimal("tokens_per_second", BigDecimal.valueOf(d.tokensPerSecond())).doubleValue(),
                errorRate.doubleValue(),
                node.has("fail_after_tokens") ? node.integer("fail_after_tokens", null) : null,
                node.integer("completion_tokens", d.completionTokens()));
    }

    private Model model(YamlNode node, Map<String, Provider> providers) {
        node.allowOnly(Set.of("id", "name", "description", "created", "context_length", "input_modalities",
                "output_modalities", "tokenizer", "supported_parameters", "endpoints", "fallbacks"));
        String id = node.text("id", RECORDED_NAME_LENGTH);
        if (!MODEL_ID.matcher(id).matches()) {
            throw node.error("id", "expected author/slug, got '" + id + "'");
        }
        int contextLength = node.integer("context_length", null);
        List<String> parameters = node.strings("supported_parameters", null);
        List<Endpoint> endpoints = new ArrayList<>();
        for (YamlNode endpoint : node.objects("endpoints")) {
            endpoints.add(endpoint(endpoint, providers, contextLength, parameters));
        }
        if (endpoints.isEmpty()) {
            throw node.error("endpoints", "a model needs at least one endpoint");
        }
        return new Model(id, node.text("name"), node.optText("description"), node.integer("created", 0),
                contextLength, node.strings("input_modalities", null), node.strings("output_modalities", null),
                node.optText("tokenizer"), parameters, List.copyOf(endpoints), node.strings("fallbacks", List.of()));
    }

    private static Endpoint endpoint(YamlNode node, Map<String, Provider> providers, int contextLength,
                                     List<String> parameters) {
        node.allowOnly(Set.of("provider", "model", "pricing", "max_completion_tokens", "quantization",
                "context_length", "supported_parameters", "data_collection", "weight"));
        String slug = node.text("provider");
        Provider provider = providers.get(slug);
        if (provider == null) {
            throw node.error("provider", "unknown provider '" + slug + "' (declare it under providers)");
        }
        String dataCollection = node.optText("data_collection");
        if (dataCollection != null && !Set.of("allow", "deny").contains(dataCollection)) {
            throw node.error("data_collection", "expected allow or deny");
        }
        return new Endpoint(provider, node.text("model", RECORDED_NAME_LENGTH), pricing(node.object("pricing")),
                node.integer("max_completion_tokens", null), node.optText("quantization"),
                node.integer("context_length", contextLength), node.strings("supported_parameters", parameters),
                dataCollection, node.has("weight") ? node.integer("weight", null) : null);
    }

    private static Pricing pricing(YamlNode node) {
        node.allowOnly(Set.of("prompt", "completion", "request", "image", "input_cache_read", "input_cache_write"));
        return new Pricing(node.decimal("prompt", null), node.decimal("completion", null),
                node.decimal("request", BigDecimal.ZERO), node.decimal("image", BigDecimal.ZERO),
                node.has("input_cache_read") ? node.decimal("input_cache_read", null) : null,
                node.has("input_cache_write") ? node.decimal("input_cache_write", null) : null);
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
