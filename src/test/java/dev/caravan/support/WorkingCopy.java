package dev.caravan.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * One Caravan started on a copy of routes/ and of the test catalog in a temporary folder, so that
 * tests can edit them as an operator would edit the real ones while it runs (hot reload, the
 * integration guide's snippets). Shared by the test classes that need it; started on first use.
 */
public final class WorkingCopy {

    public static final String KEY = "sk-car-test-working-copy-key";
    private static WorkingCopy shared;

    private final Path dir;
    private final CaravanInstance caravan;

    private WorkingCopy(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(routes());
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                Files.copy(file, routes().resolve(file.getFileName()));
            }
        }
        Files.copy(Path.of("src/test/resources/test-models.yaml"), catalog());
        // the integration guide's inbox, as an operator would add it to config/application.yaml, its folders here
        Map<String, String> properties = new HashMap<>(GuideSnippets.properties("inbox-settings"));
        for (String folder : new String[] {"directory", "outbox", "processed"}) {
            properties.put("caravan.triggers.inboxes.invoices." + folder, dir.resolve("invoices").resolve(folder).toString());
        }
        properties.put("caravan.triggers.inboxes.invoices.api-key", KEY);
        // the key of the guide's provider, as an operator would export it, so its model is routable
        properties.put("TEAM_VLLM_KEY", "guide-provider-key");
        properties.put("camel.main.routes-include-pattern", "file:" + routes() + "/*.yaml");
        properties.put("caravan.catalog", catalog().toString());
        properties.put("caravan.reload.interval", "200ms");
        properties.put("caravan.bootstrap.inference-key", KEY);
        properties.put("spring.activemq.broker-url", "vm://caravan-working-copy?broker.persistent=false&broker.useJmx=false");
        caravan = new CaravanInstance("working-copy", "jdbc:h2:mem:working-copy-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                properties);
    }

    /** The running copy, started on first use. */
    public static synchronized WorkingCopy get() {
        if (shared == null) {
            try {
                shared = new WorkingCopy(Files.createTempDirectory("caravan-working-copy"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(shared.caravan::close));
        }
        return shared;
    }

    public Path dir() {
        return dir;
    }

    public Path routes() {
        return dir.resolve("routes");
    }

    public Path catalog() {
        return dir.resolve("models.yaml");
    }

    public CaravanInstance caravan() {
        return caravan;
    }

    public HttpResponse<String> post(String path, String body) {
        return Http.post(caravan.baseUrl() + path, KEY, body);
    }

    public HttpResponse<String> get(String path) {
        return Http.get(caravan.baseUrl() + path, KEY);
    }

    /** Polls a condition every 50 ms for at most 15 s (a reload happens within 200 ms here). */
    public static boolean eventually(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }
}
