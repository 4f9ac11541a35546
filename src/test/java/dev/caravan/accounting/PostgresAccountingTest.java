package dev.caravan.accounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.support.CaravanInstance;
import dev.caravan.support.Http;
import dev.caravan.support.SpendRace;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same books on PostgreSQL (127.0.0.1:5432, database test), by configuration alone: the
 * migrations, then 200 requests at once on a key whose limit covers about 100, first on one
 * instance, then spread over two instances sharing the database and the key. Skipped where no
 * PostgreSQL answers, except under CI=true, where that is a failure. Each run uses a schema of
 * its own and drops it.
 */
class PostgresAccountingTest {

    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String SCHEMA = "caravan_test_" + UUID.randomUUID().toString().replace("-", "");
    private static String user;

    @BeforeAll
    static void postgres() {
        for (String candidate : List.of("postgres", "root")) {
            try (Connection ignored = DriverManager.getConnection(SERVER + "?connectTimeout=3", candidate, "")) {
                user = candidate;
                return;
            } catch (SQLException notThisOne) {
                // try the next user
            }
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("CI=true but no PostgreSQL answers at " + SERVER);
        }
        Assumptions.abort("no PostgreSQL answers at " + SERVER);
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        if (user != null) {
            try (Connection db = DriverManager.getConnection(SERVER, user, "")) {
                db.createStatement().execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            }
        }
    }

    @Test
    void oneInstanceThenTwoNeverSpendPastTheLimit() throws Exception {
        Map<String, String> config = Map.of("spring.datasource.username", user, "spring.datasource.password", "",
                "spring.flyway.schemas", SCHEMA);
        String url = SERVER + "?currentSchema=" + SCHEMA;
        try (CaravanInstance a = new CaravanInstance("pg-a", url, config);
             CaravanInstance b = new CaravanInstance("pg-b", url, config)) {
            BigDecimal limit = SpendRace.COST.multiply(BigDecimal.valueOf(100));
            JsonNode alone = Http.createKey(a.baseUrl(), "{\"name\":\"pg-one\",\"limit\":" + limit.toPlainString() + "}");
            SpendRace.run(List.of(a.baseUrl()), alone.path("key").asText(), alone.path("data").path("hash").asText(),
                    limit, 200, a.db(), a::awaitWritten);

            JsonNode shared = Http.createKey(b.baseUrl(), "{\"name\":\"pg-two\",\"limit\":" + limit.toPlainString() + "}");
            SpendRace.run(List.of(a.baseUrl(), b.baseUrl()), shared.path("key").asText(),
                    shared.path("data").path("hash").asText(), limit, 200, a.db(), () -> {
                        a.awaitWritten();
                        b.awaitWritten();
                    });
            assertThat(a.db().queryForObject("SELECT COUNT(DISTINCT instance_id) FROM generations WHERE key_hash = ?",
                    Integer.class, shared.path("data").path("hash").asText())).isEqualTo(2);
        }
    }
}
