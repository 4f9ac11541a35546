package dev.caravan.accounting;

import dev.caravan.api.ApiException;
import dev.caravan.keys.KeyStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The money path. Reserving and settling are each one short transaction whose UPDATEs carry their
 * own condition, so the database, not this process, decides whether money is there: concurrent
 * requests and other instances sharing the database can never spend past a limit. Settling is
 * keyed by the generation id and happens at most once.
 */
@Component
public class Ledger {

    /**
     * The start of the key's current window, from its own limit_reset: SQL, so that a PATCH of
     * limit_reset takes effect on the next request without any cache in between.
     */
    static final String WINDOW = "(CASE limit_reset WHEN 'daily' THEN :daily WHEN 'weekly' THEN :weekly "
            + "WHEN 'monthly' THEN :monthly ELSE window_start END)";
    private static final String WINDOW_SPENT = "(CASE WHEN window_start < " + WINDOW + " THEN 0 ELSE window_spent END)";
    private static final String ROLL_WINDOW = "window_start = CASE WHEN window_start < " + WINDOW + " THEN " + WINDOW
            + " ELSE window_start END";

    private static final Logger log = LoggerFactory.getLogger(Ledger.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;

    public Ledger(NamedParameterJdbcTemplate jdbc, TransactionTemplate transactions, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Holds the reservation's amount on its key and its account, or throws 402 and holds nothing. */
    public void reserve(Reservation reservation) {
        Map<String, Object> p = window(clock.instant());
        p.put("hash", reservation.keyHash());
        p.put("account", reservation.accountId());
        p.put("amount", reservation.amount());
        transactions.executeWithoutResult(status -> {
            int key = jdbc.update("UPDATE api_keys SET window_spent = " + WINDOW_SPENT + ", " + ROLL_WINDOW
                    + ", reserved = reserved + :amount WHERE hash = :hash AND NOT disabled"
                    + " AND (limit_usd IS NULL OR " + WINDOW_SPENT + " + reserved + :amount <= limit_usd)", p);
            if (key == 0) {
                throw paymentRequired("This key's credit limit is reached for its current window; "
                        + "raise it with PATCH /api/v1/keys/{hash} or wait for the window to reset", "key_limit");
            }
            int account = jdbc.update("UPDATE accounts SET reserved = reserved + :amount WHERE id = :account"
                    + " AND spent + reserved + :amount <= credits", p);
            if (account == 0) {
                throw paymentRequired("The account's credits are used up; add credits with POST /api/v1/credits/grants",
                        "insufficient_credits");
            }
            jdbc.update("INSERT INTO reservations (generation_id, key_hash, account_id, amount, model, provider_name, "
                    + "streamed, instance_id, created_at, expires_at) VALUES (:id, :hash, :account, :amount, :model, "
                    + ":provider, :streamed, :instance, :created, :expires)", reservationRow(reservation, p));
        });
    }

    /**
     * Charges {@code cost} and releases the rest of the reservation. Returns false, and changes
     * nothing, when this generation was settled already.
     */
    public boolean settle(Reservation reservation, BigDecimal cost) {
        if (cost.compareTo(reservation.amount()) > 0) {
            log.warn("Generation {} cost {} USD, more than the {} USD reserved for it (the provider reported more "
                    + "tokens than its limit); charging the real cost", reservation.generationId(), cost,
                    reservation.amount());
        }
        Instant now = clock.instant();
        Map<String, Object> p = window(now);
        p.put("id", reservation.generationId());
        p.put("hash", reservation.keyHash());
        p.put("account", reservation.accountId());
        p.put("reserved", reservation.amount());
        p.put("cost", cost);
        p.put("now", KeyStore.utc(now));
        Boolean settled = transactions.execute(status -> {
            if (jdbc.update("UPDATE reservations SET charged = :cost, settled_at = :now"
                    + " WHERE generation_id = :id AND charged IS NULL", p) == 0) {
                return false;
            }
            jdbc.update("UPDATE api_keys SET window_spent = " + WINDOW_SPENT + " + :cost, " + ROLL_WINDOW
                    + ", reserved = reserved - :reserved, spent = spent + :cost WHERE hash = :hash", p);
            jdbc.update("UPDATE accounts SET reserved = reserved - :reserved, spent = spent + :cost"
                    + " WHERE id = :account", p);
            return true;
        });
        return Boolean.TRUE.equals(settled);
    }

    public void grant(String accountId, BigDecimal amount, String note) {
        Map<String, Object> p = new HashMap<>();
        p.put("account", accountId);
        p.put("amount", amount);
        p.put("note", note);
        p.put("now", KeyStore.utc(clock.instant()));
        transactions.executeWithoutResult(status -> {
            jdbc.update("INSERT INTO credit_grants (account_id, amount, note, created_at)"
                    + " VALUES (:account, :amount, :note, :now)", p);
            jdbc.update("UPDATE accounts SET credits = credits + :amount WHERE id = :account", p);
        });
    }

    /** The account's credits and settled spending: {@code total_credits}, {@code total_usage}. */
    public Map<String, Object> balance(String accountId) {
        return jdbc.queryForMap("SELECT credits, spent, reserved FROM accounts WHERE id = :account",
                Map.of("account", accountId));
    }

    /** What a key has spent: in all, and in its current limit window. */
    public Map<String, Object> keySpending(String hash) {
        Map<String, Object> p = window(clock.instant());
        p.put("hash", hash);
        return jdbc.queryForMap("SELECT spent, " + WINDOW_SPENT + " AS window_spent, reserved FROM api_keys"
                + " WHERE hash = :hash", p);
    }

    private static Map<String, Object> window(Instant now) {
        return new HashMap<>(LimitReset.windowParameters(now));
    }

    private static Map<String, Object> reservationRow(Reservation r, Map<String, Object> p) {
        Map<String, Object> row = new HashMap<>(p);
        row.put("id", r.generationId());
        row.put("model", r.model());
        row.put("provider", r.providerName());
        row.put("streamed", r.streamed());
        row.put("instance", r.instanceId());
        row.put("created", KeyStore.utc(r.createdAt()));
        row.put("expires", KeyStore.utc(r.expiresAt()));
        return row;
    }

    private static ApiException paymentRequired(String message, String reason) {
        return new ApiException(402, "payment_required", message, null, Map.of("reason", reason));
    }
}
