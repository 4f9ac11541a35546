package dev.caravan.accounting;

import static dev.caravan.support.Sql.count;
import static dev.caravan.support.Sql.decimal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.CaravanApplication;
import dev.caravan.keys.KeyMaterial;
import dev.caravan.support.CaravanInstance;
import dev.caravan.support.Http;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code kill -9}: Caravan runs as a separate JVM on an H2 file database, is killed with
 * SIGKILL ({@link Process#destroyForcibly()}) while three streams hold reservations (the simulator
 * waits a minute before its first token), and is started again. The new process settles each of
 * them at its reserved amount and writes its generation flagged recovered; then it stops with
 * SIGTERM, which must leave the ledger equal to the generations.
 */
class KillNineTest {

    private static final String KEY = "sk-car-test-kill-nine-key";
    private static final String STREAM = "{\"model\":\"test/sim\",\"stream\":true,\"max_tokens\":40,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void reservationsOfAKilledProcessAreChargedInFullAndFlaggedAtTheNextStart() throws Exception {
        List<String> held = new ArrayList<>();
        Process first = start("first.log");
        try {
            for (int i = 0; i < 3; i++) {
                HttpResponse<InputStream> stream = Http.open(baseUrl() + "/chat/completions", KEY, STREAM,
                        "X-Caravan-Sim-Latency-Ms", "60000");
                assertThat(stream.statusCode()).isEqualTo(200);
                held.add(stream.headers().firstValue("X-Generation-Id").orElseThrow());
            }
        } finally {
            first.destroyForcibly();
            first.waitFor(30, TimeUnit.SECONDS);
        }

        Process second = start("second.log");
        second.destroy();
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).as("a graceful stop").isTrue();

        try (Connection db = DriverManager.getConnection(databaseUrl(), "sa", "")) {
            for (String id : held) {
                try (ResultSet row = db.createStatement().executeQuery(
                        "SELECT status, recovered, total_cost, reserved FROM generations WHERE id = '" + id + "'")) {
                    assertThat(row.next()).as("generation %s", id).isTrue();
                    assertThat(row.getString("status")).isEqualTo("recovered");
                    assertThat(row.getBoolean("recovered")).isTrue();
                    assertThat(row.getBigDecimal("reserved")).isPositive();
                    assertThat(row.getBigDecimal("total_cost")).isEqualByComparingTo(row.getBigDecimal("reserved"));
                }
            }
            assertThat(count(db, "SELECT COUNT(*) FROM reservations")).isZero();
            assertThat(decimal(db, "SELECT reserved FROM api_keys WHERE hash = '" + KeyMaterial.hash(KEY) + "'"))
                    .isZero();
            assertThat(decimal(db, "SELECT spent FROM accounts"))
                    .isEqualByComparingTo(decimal(db, "SELECT SUM(total_cost) FROM generations"));
        }
    }

    private int port;

    /** Starts Caravan in a JVM of its own and returns once it is ready (start-up recovery included). */
    private Process start(String log) throws Exception {
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), CaravanApplication.class.getName(),
                "--server.port=" + port, "--spring.datasource.url=" + databaseUrl(),
                "--caravan.catalog=src/test/resources/test-models.yaml", "--MOCK_UPSTREAM_URL=http://127.0.0.1:1/v1",
                "--caravan.instance-id=killed", "--caravan.bootstrap.credits=1000",
                "--caravan.bootstrap.management-key=" + CaravanInstance.MANAGEMENT_KEY,
                "--caravan.bootstrap.inference-key=" + KEY, "--caravan.rate-limit.requests-per-minute=0",
                // readiness comes after the application runners, recovery among them
                "--management.endpoint.health.probes.enabled=true")
                .redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!ready()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("Caravan did not start:\n" + Files.readString(dir.resolve(log)));
            }
            Thread.sleep(100);
        }
        return process;
    }

    private boolean ready() throws InterruptedException {
        try {
            return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + port + "/api/v1";
    }

    private String databaseUrl() {
        return "jdbc:h2:file:" + dir.resolve("caravan");
    }
}
