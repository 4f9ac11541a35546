package dev.caravan.accounting;

import dev.caravan.support.CaravanInstance;
import dev.caravan.support.Generations;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;

/**
 * How many generation rows per second the usage writer stores (issue 5: at least 10,000 into H2):
 * a whole Caravan in this JVM on an H2 file database, each round putting {@code rows} records on
 * seda:usage, the queue the chat route wire-taps to, each with its settled reservation row as a
 * request leaves it, and timing until every record is written (batched INSERT and the reservation
 * rows' DELETE, as routes/usage.camel.yaml does them). The first round warms up. Run with
 * bench/accounting; arguments: rows per round (50000), rounds (6).
 */
public final class UsageWriterThroughput {

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        Path dir = Files.createTempDirectory("caravan-bench");
        try (CaravanInstance caravan = new CaravanInstance("bench", "jdbc:h2:file:" + dir.resolve("caravan"), Map.of())) {
            PendingGenerations pending = caravan.bean(PendingGenerations.class);
            ProducerTemplate queue = caravan.bean(CamelContext.class).createProducerTemplate();
            for (int round = 0; round < rounds; round++) {
                List<Generation> records = records(round, rows);
                caravan.db().batchUpdate("INSERT INTO reservations (generation_id, key_hash, account_id, amount, model,"
                        + " provider_name, streamed, instance_id, created_at, expires_at, charged, settled_at)"
                        + " VALUES (?, 'bench', 'default', 0.01, 'test/sim', 'sim', FALSE, 'bench',"
                        + " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP + INTERVAL '1' HOUR, 0.001, CURRENT_TIMESTAMP)",
                        records.stream().map(g -> new Object[] {g.id()}).toList());
                records.forEach(pending::finish);
                long started = System.nanoTime();
                for (Generation record : records) {
                    queue.sendBody("seda:usage", record);
                }
                if (!pending.awaitEmpty(120_000)) {
                    throw new IllegalStateException(pending.size() + " records not written after 120 s");
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                System.out.printf("%s round %d: %d rows in %.2f s = %,.0f rows/s%n", round == 0 ? "warm-up" : "measured",
                        round, rows, seconds, rows / seconds);
            }
        }
    }

    private static List<Generation> records(int round, int rows) {
        List<Generation> records = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            records.add(Generations.settled("gen-bench-" + round + "-" + i, new BigDecimal("0.000372"), i % 3 == 0));
        }
        return records;
    }
}
