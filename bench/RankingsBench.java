import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Random;

/**
 * The rankings queries at scale: a file H2 database with Caravan's migrations, ROWS synthetic
 * generation rows over 90 days (60 models and 300 apps, both skewed as real traffic is), then
 * each query Caravan runs (src/main/resources/db/sql/rankings-*.sql) timed over 7 and 30 days.
 * Run by bench/rankings.
 */
public class RankingsBench {

    static final int ROWS = Integer.getInteger("rows", 1_000_000);
    static final LocalDate LAST = LocalDate.of(2026, 12, 4);
    static final String SQL = "src/main/resources/db/";

    public static void main(String[] args) throws Exception {
        // -Ddb=DIR reuses the database a previous run left there (inserting a million rows takes minutes)
        String reuse = System.getProperty("db");
        Path dir = reuse != null ? Path.of(reuse) : Files.createTempDirectory("caravan-rankings-bench");
        // OPTIMIZE_REUSE_RESULTS=FALSE: H2 would otherwise answer a repeated query from its result cache
        String url = "jdbc:h2:file:" + dir.resolve("caravan") + ";CACHE_SIZE=65536;OPTIMIZE_REUSE_RESULTS=FALSE";
        try (Connection db = DriverManager.getConnection(url, "sa", "")) {
            if (reuse == null) {
                for (String migration : new String[] {"V1__keys_credits_generations.sql", "V2__rankings_indexes.sql"}) {
                    migrate(db, Files.readString(Path.of(SQL + "migration/" + migration)));
                }
                long start = System.nanoTime();
                insert(db);
                System.out.printf("inserted %,d rows in %.1f s (file H2 under %s; -Ddb=%s runs the queries again)%n",
                        ROWS, (System.nanoTime() - start) / 1e9, dir, dir);
                try (Statement s = db.createStatement()) {
                    s.execute("ANALYZE");
                }
            }
            time(db, "rankings (models by day), last 7 days ", "rankings-models.sql", 7);
            time(db, "rankings (models by day), last 30 days", "rankings-models.sql", 30);
            time(db, "rankings (models by day), all 90 days ", "rankings-models.sql", 90);
            time(db, "rankings/apps, last 7 days            ", "rankings-apps.sql", 7);
            time(db, "rankings/apps, last 30 days           ", "rankings-apps.sql", 30);
        }
        System.out.printf("load average during the run: %.1f on %d cores%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.getRuntime().availableProcessors());
    }

    static void migrate(Connection db, String script) throws Exception {
        try (Statement s = db.createStatement()) {
            for (String statement : script.replaceAll("--[^\n]*", "").split(";")) {
                if (!statement.isBlank()) {
                    s.execute(statement);
                }
            }
        }
    }

    static void insert(Connection db) throws Exception {
        db.setAutoCommit(false);
        Random random = new Random(7);
        String sql = "INSERT INTO generations (id, created_at, created_day, key_hash, account_id, model, provider_name,"
                + " status, streamed, cancelled, tokens_prompt, tokens_completion, tokens_reasoning, tokens_cached,"
                + " usage_estimated, total_cost, reserved, http_referer, app_title, instance_id, recovered)"
                + " VALUES (?, ?, ?, ?, 'default', ?, 'Simulator', 'success', FALSE, FALSE, ?, ?, 0, 0, FALSE, 0.001, 0.002, ?, ?, 'bench', FALSE)";
        try (PreparedStatement insert = db.prepareStatement(sql)) {
            for (int i = 0; i < ROWS; i++) {
                LocalDate day = LAST.minusDays(random.nextInt(90));
                int model = skewed(random, 60);
                int app = skewed(random, 300);
                insert.setString(1, "gen-" + i);
                insert.setTimestamp(2, Timestamp.valueOf(day.atTime(random.nextInt(24), random.nextInt(60))));
                insert.setDate(3, Date.valueOf(day));
                insert.setString(4, String.format("%064d", i % 50));
                insert.setString(5, "author-" + model % 9 + "/model-" + model);
                insert.setLong(6, 50 + random.nextInt(4000));
                insert.setLong(7, 10 + random.nextInt(800));
                boolean attributed = random.nextInt(10) < 6;
                insert.setString(8, attributed ? "https://app-" + app + ".example.com" : null);
                insert.setString(9, attributed ? "App " + app : null);
                insert.addBatch();
                if (i % 5000 == 4999) {
                    insert.executeBatch();
                    db.commit();
                }
            }
            insert.executeBatch();
            db.commit();
        }
        db.setAutoCommit(true);
    }

    /** 0..n-1, low numbers far more often (roughly Zipf), as a few models carry most traffic. */
    static int skewed(Random random, int n) {
        return (int) Math.min(n - 1, Math.floor(Math.pow(n, random.nextDouble()) - 1));
    }

    static void time(Connection db, String label, String file, int days) throws Exception {
        String sql = Files.readString(Path.of(SQL + "sql/" + file)).replace(":from", "?").replace(":to", "?");
        double[] ms = new double[7];
        double[] cpu = new double[7];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int rows = 0;
        try (PreparedStatement query = db.prepareStatement(sql)) {
            for (int run = 0; run < ms.length; run++) {
                query.setDate(1, Date.valueOf(LAST.minusDays(days - 1)));
                query.setDate(2, Date.valueOf(LAST));
                long start = System.nanoTime();
                long startCpu = threads.getCurrentThreadCpuTime();
                rows = 0;
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                    }
                }
                ms[run] = (System.nanoTime() - start) / 1e6;
                cpu[run] = (threads.getCurrentThreadCpuTime() - startCpu) / 1e6;
            }
        }
        double first = ms[0];
        Arrays.sort(ms, 1, ms.length);
        Arrays.sort(cpu, 1, cpu.length);
        // wall time depends on what else the machine runs; CPU time of the query thread does not
        System.out.printf("%s  first %7.1f ms, then median %7.1f ms wall, %7.1f ms CPU  (%d result rows)%n",
                label, first, ms[4], cpu[4], rows);
        try (Statement s = db.createStatement(); ResultSet plan = s.executeQuery("EXPLAIN " + sql
                .replaceFirst("\\?", "DATE '" + LAST.minusDays(days - 1) + "'").replaceFirst("\\?", "DATE '" + LAST + "'"))) {
            plan.next();
            String text = plan.getString(1);
            int index = text.indexOf("/* PUBLIC.");
            System.out.println("    plan: " + text.substring(index, text.indexOf("*/", index) + 2).replace('\n', ' '));
        }
    }
}
