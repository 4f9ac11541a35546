package dev.caravan.accounting;

import dev.caravan.api.ApiException;
import dev.caravan.keys.KeyAuthenticator;
import dev.caravan.keys.KeyStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The money path. Every reserve and settle is a conditional UPDATE, so the database, not this
 * process, decides whether money is there: concurrent requests and other instances sharing the
 * database can never spend past a limit. Settling is keyed by the generation id and happens at
 * most once.
 *
 * <p>Reserves and settles are group-committed. Every request touches the same account row; one
 * transaction per request made them queue on its row lock (8.6 s of lock waits in 12 s at 16
 * connections, bench/README.md). Now a change is queued, and whichever caller finds no commit running applies
 * every change waiting in one transaction, its own and those queued behind it, while their callers
 * wait; alone, a caller commits its own change with no hand-off to another thread. A batch that
 * fails is retried one change per transaction, so a change fails only for its own reason.
 *
 * <p>Every batch takes its row locks in one order: the reservations it settles (by generation
 * id), then its accounts (by id), then their keys; a key is only ever written by a transaction
 * that already holds its account. So batches of instances sharing a database cannot deadlock.
 * A batch of one account (the usual case) locks it with its first write to it; only a batch
 * spanning several locks them explicitly first, as a {@code SELECT ... FOR UPDATE} is parsed
 * anew on every call by H2 (it caches no such statement) and cost as much as the rest of a reserve.
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
    /** What a batch of settles adds to a key's current window: see {@link Totals}. */
    private static final String WINDOW_COST = "(CASE limit_reset WHEN 'daily' THEN :daily_cost WHEN 'weekly' THEN :weekly_cost "
            + "WHEN 'monthly' THEN :monthly_cost ELSE :cost END)";
    private static final String ROLL_WINDOW = "window_start = CASE WHEN window_start < " + WINDOW + " THEN " + WINDOW
            + " ELSE window_start END";
    private static final int MAX_BATCH = 256;

    private static final Logger log = LoggerFactory.getLogger(Ledger.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Queue<Change<?>> waiting = new ConcurrentLinkedQueue<>();
    /** Held by the caller committing a batch. */
    final ReentrantLock committing = new ReentrantLock();

    public Ledger(NamedParameterJdbcTemplate jdbc, TransactionTemplate transactions, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Holds the reservation's amount on its key and its account, or throws 402 and holds nothing. */
    public void reserve(Reservation reservation) {
        submit(new Change<Void>(reservation, null));
    }

    /**
     * Charges {@code cost} and releases the rest of the reservation. Returns false, and changes
     * nothing, when this generation was settled already.
     */
    public boolean settle(Reservation reservation, BigDecimal cost) {
        return settle(List.of(new Settlement(reservation.generationId(), reservation.keyHash(),
                reservation.accountId(), reservation.amount(), cost, clock.instant()))).get(0);
    }

    /**
     * Settles them all, in as few transactions as the batch size allows: for each, whether it was
     * settled now (false: it was settled already, and nothing changed). A settle that fails fails
     * alone, as in every batch; the first such failure is thrown once all have been answered.
     */
    public List<Boolean> settle(List<Settlement> settlements) {
        List<Change<Boolean>> changes = new ArrayList<>(settlements.size());
        for (Settlement settlement : settlements) {
            if (settlement.cost().compareTo(settlement.reserved()) > 0) {
                log.warn("Generation {} cost {} USD, more than the {} USD reserved for it (the provider reported "
                        + "more tokens than its limit); charging the real cost", settlement.generationId(),
                        settlement.cost(), settlement.reserved());
            }
            changes.add(new Change<>(null, settlement));
        }
        waiting.addAll(changes);
        List<Boolean> settled = new ArrayList<>(changes.size());
        RuntimeException failed = null;
        for (Change<Boolean> change : changes) {   // every one answered before this caller leaves
            try {
                settled.add(await(change));
            } catch (RuntimeException e) {
                failed = failed == null ? e : failed;
            }
        }
        if (failed != null) {
            throw failed;
        }
        return settled;
    }

    /** A reserve or a settle, and the caller waiting for its outcome. */
    private static final class Change<T> {
        final Reservation reservation;
        final Settlement settlement;
        final Thread caller = Thread.currentThread();
        private T value;
        private RuntimeException failure;
        private volatile boolean answered;

        Change(Reservation reservation, Settlement settlement) {
            this.reservation = reservation;
            this.settlement = settlement;
        }

        boolean isSettle() {
            return settlement != null;
        }

        String accountId() {
            return isSettle() ? settlement.accountId() : reservation.accountId();
        }

        void answer(T outcome, RuntimeException failed) {
            value = outcome;
            failure = failed;
            answered = true;
            LockSupport.unpark(caller);
        }
    }

    private <T> T submit(Change<T> change) {
        waiting.add(change);
        return await(change);
    }

    private <T> T await(Change<T> change) {
        while (!change.answered) {
            if (!lead(change)) {
                LockSupport.park(this);   // until answered, or handed the lead
            }
        }
        if (change.failure != null) {
            throw change.failure;
        }
        return change.value;
    }

    /**
     * Commits batches until {@code own} is answered, unless another caller is committing already
     * (false): its commit takes {@code own}, or it hands the lead on. Having let go of the lock, a
     * committer hands it to the first caller still waiting, so no change is left behind.
     */
    private boolean lead(Change<?> own) {
        if (!committing.tryLock()) {
            return false;
        }
        try {
            while (!own.answered && !waiting.isEmpty()) {
                commitBatch();
            }
        } finally {
            committing.unlock();
        }
        Change<?> next = waiting.peek();
        if (next != null) {
            LockSupport.unpark(next.caller);
        }
        return true;
    }

    private void commitBatch() {
        List<Change<?>> batch = new ArrayList<>();
        for (Change<?> change; batch.size() < MAX_BATCH && (change = waiting.poll()) != null; ) {
            batch.add(change);
        }
        if (!batch.isEmpty()) {
            commit(batch);
        }
    }

    /** Tests: commits everything waiting as one batch (they hold {@link #committing} while changes gather). */
    void commitAllWaiting() {
        committing.lock();
        try {
            commitBatch();
        } finally {
            committing.unlock();
        }
    }

    /** How many changes wait for a commit (tests). */
    int waitingChanges() {
        return waiting.size();
    }

    /** Applies the batch in one transaction and answers its callers once it has committed. */
    private void commit(List<Change<?>> batch) {
        List<Runnable> answers;
        try {
            answers = transactions.execute(status -> apply(batch));
        } catch (RuntimeException e) {
            if (batch.size() > 1) {
                batch.forEach(change -> commit(List.of(change)));
            } else {
                batch.get(0).answer(null, e);
            }
            return;
        }
        answers.forEach(Runnable::run);
    }

    private List<Runnable> apply(List<Change<?>> batch) {
        // one instant for the whole batch: its limit windows and its settle times
        Instant now = clock.instant();
        Map<String, Object> window = window(now);
        List<Runnable> answers = new ArrayList<>();
        List<Change<?>> settles = batch.stream().filter(Change::isSettle)
                .sorted(Comparator.comparing(change -> change.settlement.generationId())).toList();
        int[] fresh = markSettled(settles, KeyStore.utc(now));
        List<String> accounts = batch.stream().map(Change::accountId).distinct().sorted().toList();
        if (accounts.size() > 1) {
            accounts.forEach(account -> jdbc.queryForList("SELECT id FROM accounts WHERE id = :account FOR UPDATE",
                    Map.of("account", account)));
        }
        // settles first: what they release may be what a reserve of the same batch needs
        applySettles(settles, fresh, now, window, answers);
        applyReserves(batch.stream().filter(change -> !change.isSettle()).toList(), window, answers);
        return answers;
    }

    /** Marks each reservation charged, once: how many rows each settle changed (0: settled already). */
    @SuppressWarnings("unchecked")
    private int[] markSettled(List<Change<?>> settles, OffsetDateTime now) {
        if (settles.isEmpty()) {
            return new int[0];
        }
        return jdbc.batchUpdate("UPDATE reservations SET charged = :cost, settled_at = :now"
                + " WHERE generation_id = :id AND charged IS NULL", settles.stream()
                .map(s -> Map.<String, Object>of("id", s.settlement.generationId(), "cost", s.settlement.cost(), "now", now))
                .toArray(Map[]::new));
    }

    @SuppressWarnings("unchecked")
    private void applySettles(List<Change<?>> settles, int[] updated, Instant now, Map<String, Object> window,
                              List<Runnable> answers) {
        if (settles.isEmpty()) {
            return;
        }
        Map<String, Totals> byKey = new TreeMap<>();
        Map<String, Totals> byAccount = new TreeMap<>();
        Map<LimitReset, Instant> windowStarts = new EnumMap<>(LimitReset.class);
        for (LimitReset reset : LimitReset.values()) {
            windowStarts.put(reset, reset.start(now).toInstant());
        }
        for (int i = 0; i < settles.size(); i++) {
            Change<Boolean> settle = (Change<Boolean>) settles.get(i);
            if (updated[i] < 0) {
                throw new IllegalStateException("The JDBC driver gave no update count; cannot tell a settle from a repeat");
            }
            boolean fresh = updated[i] > 0;
            if (fresh) {
                Settlement s = settle.settlement;
                byKey.computeIfAbsent(s.keyHash(), k -> new Totals()).add(s, windowStarts);
                byAccount.computeIfAbsent(s.accountId(), k -> new Totals()).add(s, windowStarts);
            }
            answers.add(() -> settle.answer(fresh, null));
        }
        byAccount.forEach((account, totals) -> jdbc.update("UPDATE accounts SET reserved = reserved - :reserved,"
                + " spent = spent + :cost WHERE id = :account", totals.parameters(window, "account", account)));
        byKey.forEach((hash, totals) -> jdbc.update("UPDATE api_keys SET window_spent = " + WINDOW_SPENT
                + " + " + WINDOW_COST + ", " + ROLL_WINDOW + ", reserved = reserved - :reserved, spent = spent + :cost"
                + " WHERE hash = :hash", totals.parameters(window, "hash", hash)));
    }

    /**
     * What a batch's settles charge and release, summed per key or account: one UPDATE each. A
     * generation counts in a key's limit window when it finished within it: one that finished just
     * before the window restarted, and is settled just after, is charged to the window it ran in.
     */
    private static final class Totals {
        BigDecimal cost = BigDecimal.ZERO;
        BigDecimal reserved = BigDecimal.ZERO;
        final Map<LimitReset, BigDecimal> costInWindow = new EnumMap<>(LimitReset.class);

        void add(Settlement settlement, Map<LimitReset, Instant> windowStarts) {
            cost = cost.add(settlement.cost());
            reserved = reserved.add(settlement.reserved());
            windowStarts.forEach((reset, start) -> {
                if (!settlement.finishedAt().isBefore(start)) {
                    costInWindow.merge(reset, settlement.cost(), BigDecimal::add);
                }
            });
        }

        Map<String, Object> parameters(Map<String, Object> window, String name, String value) {
            Map<String, Object> p = new HashMap<>(window);
            p.put(name, value);
            p.put("cost", cost);
            p.put("reserved", reserved);
            for (LimitReset reset : LimitReset.values()) {
                p.put(reset.wire() + "_cost", costInWindow.getOrDefault(reset, BigDecimal.ZERO));
            }
            return p;
        }
    }

    /**
     * Holds each reserve's amount. A key's reserves are first tried together (if their sum fits,
     * each one does); only when the sum does not fit is each tried alone, in order of arrival.
     */
    @SuppressWarnings("unchecked")
    private void applyReserves(List<Change<?>> reserves, Map<String, Object> window, List<Runnable> answers) {
        Map<String, List<Change<?>>> byKey = reserves.stream().collect(
                Collectors.groupingBy(r -> r.reservation.keyHash(), LinkedHashMap::new, Collectors.toList()));
        List<Change<?>> granted = new ArrayList<>();
        byKey.values().forEach(group -> {
            Reservation first = group.get(0).reservation;
            BigDecimal sum = group.stream().map(r -> r.reservation.amount()).reduce(BigDecimal.ZERO, BigDecimal::add);
            if (group.size() > 1 && hold(first, sum, window) == null) {
                granted.addAll(group);
                return;
            }
            for (Change<?> reserve : group) {
                ApiException refused = hold(reserve.reservation, reserve.reservation.amount(), window);
                if (refused == null) {
                    granted.add(reserve);
                } else {
                    answers.add(() -> reserve.answer(null, refused));
                }
            }
        });
        if (granted.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("INSERT INTO reservations (generation_id, key_hash, account_id, amount, model, provider_name, "
                + "streamed, instance_id, created_at, expires_at) VALUES (:id, :hash, :account, :amount, :model, "
                + ":provider, :streamed, :instance, :created, :expires)",
                granted.stream().map(r -> reservationRow(r.reservation)).toArray(Map[]::new));
        granted.forEach(reserve -> answers.add(() -> reserve.answer(null, null)));
    }

    /**
     * Holds {@code amount} on the reservation's account, then its key (the lock order); null, or
     * why not (holding nothing).
     */
    private ApiException hold(Reservation reservation, BigDecimal amount, Map<String, Object> window) {
        Map<String, Object> p = new HashMap<>(window);
        p.put("hash", reservation.keyHash());
        p.put("account", reservation.accountId());
        p.put("amount", amount);
        if (jdbc.update("UPDATE accounts SET reserved = reserved + :amount WHERE id = :account"
                + " AND spent + reserved + :amount <= credits", p) == 0) {
            return paymentRequired("The account's credits are used up; add credits with POST /api/v1/credits/grants",
                    "insufficient_credits");
        }
        if (jdbc.update("UPDATE api_keys SET window_spent = " + WINDOW_SPENT + ", " + ROLL_WINDOW
                + ", reserved = reserved + :amount WHERE hash = :hash AND NOT disabled"
                + " AND (limit_usd IS NULL OR " + WINDOW_SPENT + " + reserved + :amount <= limit_usd)", p) == 0) {
            jdbc.update("UPDATE accounts SET reserved = reserved - :amount WHERE id = :account", p);
            return keyRefusal(p);
        }
        return null;
    }

    /**
     * Why the key's row took no reservation: its limit, or (changed on another instance since this
     * one cached the key) that it is disabled or deleted, which is a 401 as anywhere else.
     */
    private ApiException keyRefusal(Map<String, Object> p) {
        List<Boolean> disabled = jdbc.queryForList("SELECT disabled FROM api_keys WHERE hash = :hash", p, Boolean.class);
        if (disabled.isEmpty()) {
            return KeyAuthenticator.unauthorized("Invalid API key");
        }
        if (disabled.get(0)) {
            return KeyAuthenticator.unauthorized("This API key is disabled");
        }
        return paymentRequired("This key's credit limit is reached for its current window; "
                + "raise it with PATCH /api/v1/keys/{hash} or wait for the window to reset", "key_limit");
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

    private static Map<String, Object> reservationRow(Reservation r) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", r.generationId());
        row.put("hash", r.keyHash());
        row.put("account", r.accountId());
        row.put("amount", r.amount());
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
