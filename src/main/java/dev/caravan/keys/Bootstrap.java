package dev.caravan.keys;

import dev.caravan.accounting.Ledger;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * First start on an empty database: the demo account with its starting credits, and a management
 * key, taken from {@code CARAVAN_MANAGEMENT_KEY} or else generated and printed this once (to
 * standard output, never to the log). {@code CARAVAN_INFERENCE_KEY} adds an inference key the
 * same way. Several instances starting together on one database do this exactly once.
 *
 * <p>Done as the application starts, just before the web server opens its port: a script that
 * starts Caravan and calls it with {@code CARAVAN_MANAGEMENT_KEY} as soon as the port answers must
 * not meet a 401 (as an {@code ApplicationRunner}, this ran ~0.5 s after). A lifecycle step rather
 * than bean initialisation, so that a CDS training start ({@code -Dspring.context.exit=onRefresh},
 * README) stops before it and prints no management key for its throw-away database.
 */
@Component
public class Bootstrap implements SmartLifecycle {

    public static final String ACCOUNT = "default";

    private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final KeyStore keys;
    private final Ledger ledger;
    private final Clock clock;
    private final BigDecimal startingCredits;
    private final String managementKey;
    private final String inferenceKey;
    private final PrintStream console = System.out;
    private volatile boolean done;

    public Bootstrap(NamedParameterJdbcTemplate jdbc, TransactionTemplate transactions, KeyStore keys, Ledger ledger,
                     Clock clock, @Value("${caravan.bootstrap.credits:10}") BigDecimal startingCredits,
                     @Value("${caravan.bootstrap.management-key:}") String managementKey,
                     @Value("${caravan.bootstrap.inference-key:}") String inferenceKey) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.keys = keys;
        this.ledger = ledger;
        this.clock = clock;
        this.startingCredits = startingCredits;
        this.managementKey = managementKey;
        this.inferenceKey = inferenceKey;
    }

    /** Just before the web server's own start. */
    @Override
    public int getPhase() {
        return WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 1;
    }

    @Override
    public boolean isRunning() {
        return done;
    }

    @Override
    public void stop() {
        done = false;   // nothing to undo (the keys stay); a start again finds them there
    }

    @Override
    public void start() {
        bootstrap();
        done = true;
    }

    private void bootstrap() {
        createAccount();
        if (!managementKey.isBlank()) {
            addKey(managementKey, "management key (CARAVAN_MANAGEMENT_KEY)", true);
        } else if (!keys.anyManagementKey()) {
            String generated = KeyMaterial.generate();
            if (addKey(generated, "management key (first start)", true)) {
                printOnce(generated);
            }
        }
        if (!inferenceKey.isBlank()) {
            addKey(inferenceKey, "inference key (CARAVAN_INFERENCE_KEY)", false);
        }
    }

    private void createAccount() {
        Instant now = clock.instant();
        try {
            transactions.executeWithoutResult(status -> {
                jdbc.update("INSERT INTO accounts (id, created_at) VALUES (:id, :now)",
                        Map.of("id", ACCOUNT, "now", KeyStore.utc(now)));
                ledger.grant(ACCOUNT, startingCredits, "starting credits");
            });
            log.info("Created the account '{}' with {} USD of starting credits", ACCOUNT, startingCredits);
        } catch (DuplicateKeyException exists) {
            // created by an earlier start, or by another instance starting at the same moment
        }
    }

    private boolean addKey(String plaintext, String name, boolean management) {
        String hash = KeyMaterial.hash(plaintext);
        if (keys.find(hash).isPresent()) {
            return false;
        }
        Instant now = clock.instant();
        try {
            keys.insert(new ApiKey(hash, ACCOUNT, KeyMaterial.label(plaintext), name, management, false, null, null,
                    null, null, now, null), now);
        } catch (DuplicateKeyException anotherInstance) {
            return false;
        }
        log.info("Added the {} with hash {}", name, hash);
        return true;
    }

    private void printOnce(String key) {
        console.println();
        console.println("=".repeat(78));
        console.println(" Caravan created its management key. It is shown this once: keep it.");
        console.println();
        console.println("   " + key);
        console.println();
        console.println(" It manages keys and credits (/api/v1/keys, /api/v1/credits/grants); create an");
        console.println(" inference key with it (README: Run it). Only its SHA-256 hash is stored.");
        console.println("=".repeat(78));
        console.println();
    }
}
