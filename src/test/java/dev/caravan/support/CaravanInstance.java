package dev.caravan.support;

import dev.caravan.CaravanApplication;
import dev.caravan.accounting.PendingGenerations;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A whole Caravan started in this JVM on a random port, with the test catalog and the database
 * the caller names: for tests that stop and restart it, or run two of them on one database.
 */
public final class CaravanInstance implements AutoCloseable {

    public static final String MANAGEMENT_KEY = "sk-car-test-management-key";

    private final ConfigurableApplicationContext context;

    public CaravanInstance(String instanceId, String databaseUrl, Map<String, String> more) {
        this(instanceId, databaseUrl, more, new ApplicationListener<?>[0]);
    }

    /** With listeners of the start's own events, as those before the context is up. */
    public CaravanInstance(String instanceId, String databaseUrl, Map<String, String> more,
                           ApplicationListener<?>... listeners) {
        // as command-line arguments, which win over config/application.yaml (builder properties would not)
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.port", "0");
        properties.put("caravan.catalog", "src/test/resources/test-models.yaml");
        properties.put("MOCK_UPSTREAM_URL", "http://127.0.0.1:1/v1");
        properties.put("caravan.instance-id", instanceId);
        properties.put("caravan.bootstrap.management-key", MANAGEMENT_KEY);
        properties.put("caravan.bootstrap.credits", "1000");
        properties.put("caravan.rate-limit.requests-per-minute", "0");
        properties.put("spring.datasource.url", databaseUrl);
        // instances of these tests take no batches nor queue messages (HttpTestBase's context does)
        properties.put("caravan.triggers.inboxes.default.enabled", "false");
        properties.put("caravan.triggers.queue.enabled", "false");
        properties.putAll(more);
        context = new SpringApplicationBuilder(CaravanApplication.class)
                .listeners(listeners)
                .run(properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port") + "/api/v1";
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public JdbcTemplate db() {
        return bean(JdbcTemplate.class);
    }

    /** Waits (polling, at most 10 s) until the usage writer has written every finished generation. */
    public void awaitWritten() {
        PendingGenerations pending = bean(PendingGenerations.class);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (pending.size() > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(pending.size() + " generations still pending");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A graceful stop, as on SIGTERM. */
    @Override
    public void close() {
        context.close();
    }
}
