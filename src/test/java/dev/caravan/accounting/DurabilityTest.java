package dev.caravan.accounting;

import static dev.caravan.support.Sql.count;
import static dev.caravan.support.Sql.decimal;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.support.CaravanInstance;
import dev.caravan.support.Generations;
import dev.caravan.support.Http;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing is lost when Caravan stops, gently or not, on an H2 file database.
 * Cases: a graceful stop writes the usage records still queued and the record of a stream still
 * running when the stop begins, and a backlog of records put on the queue just before the stop
 * (the writer's flush interval is set far beyond the test and Camel's shutdown
 * timeout below it); and after a process that died holding reservations (simulated: they
 * are made through the ledger and never settled, then the instance stops), the next start charges
 * an unsettled one its reserved amount and writes its row flagged recovered, writes the missing
 * row of one settled before the death, settles another instance's expired one, and leaves another
 * instance's live one alone.
 */
class DurabilityTest {

    private static final String CHAT = "{\"model\":\"test/sim\",\"max_tokens\":12,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
    private static final String STREAM = CHAT.replace("{", "{\"stream\":true,");

    @TempDir
    Path dir;

    @Test
    void aGracefulStopWritesEveryQueuedUsageRecord() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("caravan");
        HttpResponse<InputStream> running;
        // a Camel shutdown timeout shorter than the flush interval: Camel may not wait for the batch
        try (CaravanInstance caravan = new CaravanInstance("drain", url,
                Map.of("caravan.usage.flush-interval-ms", "600000", "caravan.usage.batch-size", "100000",
                        "camel.main.shutdown-timeout", "5"))) {
            String key = Http.createKey(caravan.baseUrl(), "{\"name\":\"drain\"}").path("key").asText();
            for (int i = 0; i < 20; i++) {
                assertThat(Http.post(caravan.baseUrl() + "/chat/completions", key, CHAT).statusCode()).isEqualTo(200);
            }
            assertThat(caravan.db().queryForObject("SELECT COUNT(*) FROM generations", Integer.class)).isZero();
            running = Http.open(caravan.baseUrl() + "/chat/completions", key, STREAM,
                    "X-Caravan-Sim-Latency-Ms", "1000");
        }
        // the stop waited for the stream: it ended normally
        assertThat(new String(running.body().readAllBytes(), StandardCharsets.UTF_8)).endsWith("data: [DONE]\n\n");

        try (Connection db = DriverManager.getConnection(url, "sa", "")) {
            assertThat(count(db, "SELECT COUNT(*) FROM generations")).isEqualTo(21);
            assertThat(count(db, "SELECT COUNT(*) FROM reservations")).isZero();
            assertThat(decimal(db, "SELECT spent FROM accounts"))
                    .isEqualByComparingTo(decimal(db, "SELECT SUM(total_cost) FROM generations"));
        }
    }

    /**
     * A backlog the writer needs a while to work through, and not a whole number of batches: Camel's
     * own forced completion once came before the last batch was gathered, which then waited for the
     * flush interval, past Camel's shutdown timeout, and was dropped.
     */
    @Test
    void aBacklogStillQueuedWhenTheStopBeginsIsWritten() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("caravan");
        int backlog = 20_100;
        try (CaravanInstance caravan = new CaravanInstance("queued", url,
                Map.of("caravan.usage.flush-interval-ms", "600000", "camel.main.shutdown-timeout", "5"))) {
            PendingGenerations pending = caravan.bean(PendingGenerations.class);
            ProducerTemplate wireTap = caravan.bean(CamelContext.class).createProducerTemplate();
            for (int i = 0; i < backlog; i++) {
                // as the settle step and its wire tap do
                Generation settled = Generations.settled("gen-queued-" + i, BigDecimal.ZERO, false);
                pending.finish(settled);
                wireTap.sendBody("seda:usage", settled);
            }
        }
        try (Connection db = DriverManager.getConnection(url, "sa", "")) {
            assertThat(count(db, "SELECT COUNT(*) FROM generations WHERE id LIKE 'gen-queued-%'")).isEqualTo(backlog);
        }
    }

    @Test
    void reservationsADeadInstanceLeftAreSettledAtTheNextStart() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("caravan");
        Instant now = Instant.now();
        BigDecimal amount = new BigDecimal("0.002");
        Reservation unsettled;
        Reservation settledWithoutRow;
        Reservation othersExpired;
        Reservation othersLive;
        try (CaravanInstance before = new CaravanInstance("crashy", url, Map.of())) {
            JsonNode key = Http.createKey(before.baseUrl(), "{\"name\":\"crash\"}");
            String hash = key.path("data").path("hash").asText();
            Ledger ledger = before.bean(Ledger.class);
            unsettled = reservation("gen-crash-1", hash, amount, "crashy", now, now.plus(Duration.ofMinutes(35)));
            settledWithoutRow = reservation("gen-crash-2", hash, amount, "crashy", now, now.plus(Duration.ofMinutes(35)));
            othersExpired = reservation("gen-crash-3", hash, amount, "elsewhere", now.minus(Duration.ofHours(1)),
                    now.minus(Duration.ofMinutes(1)));
            othersLive = reservation("gen-crash-4", hash, amount, "elsewhere", now, now.plus(Duration.ofMinutes(35)));
            for (Reservation r : new Reservation[] {unsettled, settledWithoutRow, othersExpired, othersLive}) {
                ledger.reserve(r);
            }
            ledger.settle(settledWithoutRow, new BigDecimal("0.0005"));
        }

        try (CaravanInstance after = new CaravanInstance("crashy", url, Map.of())) {
            var db = after.db();
            assertThat(db.queryForList("SELECT generation_id FROM reservations", String.class)).containsExactly("gen-crash-4");
            Map<String, Object> recovered = db.queryForMap("SELECT * FROM generations WHERE id = 'gen-crash-1'");
            assertThat((Boolean) recovered.get("RECOVERED")).isTrue();
            assertThat(recovered.get("STATUS")).isEqualTo("recovered");
            assertThat((BigDecimal) recovered.get("TOTAL_COST")).isEqualByComparingTo(amount);
            assertThat(db.queryForObject("SELECT total_cost FROM generations WHERE id = 'gen-crash-2'", BigDecimal.class))
                    .isEqualByComparingTo("0.0005");
            assertThat(db.queryForObject("SELECT total_cost FROM generations WHERE id = 'gen-crash-3'", BigDecimal.class))
                    .isEqualByComparingTo(amount);
            Map<String, Object> key = db.queryForMap("SELECT spent, reserved FROM api_keys WHERE hash = ?", unsettled.keyHash());
            assertThat((BigDecimal) key.get("SPENT")).isEqualByComparingTo("0.0045");
            assertThat((BigDecimal) key.get("RESERVED")).isEqualByComparingTo(amount);
            assertThat(db.queryForObject("SELECT spent FROM accounts", BigDecimal.class))
                    .isEqualByComparingTo(db.queryForObject("SELECT SUM(total_cost) FROM generations", BigDecimal.class));
        }
    }

    private static Reservation reservation(String id, String hash, BigDecimal amount, String instance, Instant created,
                                           Instant expires) {
        return new Reservation(id, hash, "default", amount, "test/sim", "Caravan Simulator", false, instance, created,
                expires);
    }
}
