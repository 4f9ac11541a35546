package dev.caravan.accounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.caravan.api.ApiException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ledger's group commit: changes that wait together are applied in one transaction, with the
 * same outcome as one transaction each. The test holds the commit lock until every change of a
 * case is waiting, then commits them, so each case is exactly one batch.
 * Cases: reserves whose sum does not fit, only the first that fit are granted (account and key
 * both hold exactly what was granted); a key limit inside a batch; a settle frees money for a
 * reserve of the same batch; a settle and its repeat in one batch charge once; a change that fails
 * (a duplicate generation id) fails alone, the rest of its batch commits, nothing held twice;
 * 16 callers reserving and settling at once, with nothing held back, all get their answer (no
 * change is left without a committer) and the totals are exact; a batch of settles from one caller
 * (the usage writer's), settled twice, charges once, and one of them that fails fails alone; and a
 * generation settled after its key's limit window restarted counts in the window it finished in.
 */
class LedgerGroupCommitTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    private final ExecutorService callers = Executors.newCachedThreadPool();
    private NamedParameterJdbcTemplate jdbc;
    private Ledger ledger;

    @BeforeEach
    void database() {
        DriverManagerDataSource data = new DriverManagerDataSource(
                "jdbc:h2:mem:ledger-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(data).locations("classpath:db/migration").load().migrate();
        jdbc = new NamedParameterJdbcTemplate(data);
        jdbc.update("INSERT INTO accounts (id, credits, created_at) VALUES ('acct', 1.00, CURRENT_TIMESTAMP)", Map.of());
        ledger = new Ledger(jdbc, new TransactionTemplate(new DataSourceTransactionManager(data)),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        callers.shutdownNow();
    }

    @Test
    void reservesWhoseSumDoesNotFitAreGrantedUntilTheMoneyEnds() {
        String key = key(null);
        List<CompletableFuture<?>> reserves = batch(5, i -> reserve(reservation(key, "0.30")));
        // in order of arrival: the first three fit, the last two find the money gone
        assertThat(reserves.subList(0, 3)).allMatch(r -> !r.isCompletedExceptionally());
        reserves.subList(3, 5).forEach(r -> assertRefused(r, "insufficient_credits"));
        assertHeld(key, "0.90", "0.90", 3);
    }

    @Test
    void aKeyLimitHoldsInsideABatch() {
        String key = key("0.50");
        List<CompletableFuture<?>> reserves = batch(3, i -> reserve(reservation(key, "0.20")));
        assertThat(reserves.stream().filter(r -> !r.isCompletedExceptionally()).count()).isEqualTo(2);
        assertRefused(reserves.get(2), "key_limit");
        assertHeld(key, "0.40", "0.40", 2);
    }

    @Test
    void aSettleFreesMoneyForAReserveOfTheSameBatch() {
        String key = key(null);
        Reservation first = reservation(key, "0.80");
        batch(1, i -> reserve(first)).get(0).join();
        List<CompletableFuture<?>> both = batch(2, i -> i == 0 ? reserve(reservation(key, "0.50"))
                : CompletableFuture.supplyAsync(() -> ledger.settle(first, new BigDecimal("0.20")), callers));
        both.forEach(CompletableFuture::join);
        assertHeld(key, "0.50", "0.50", 2);
        assertThat(accountSpent()).isEqualByComparingTo("0.20");
    }

    @Test
    void aSettleAndItsRepeatInOneBatchChargeOnce() {
        String key = key(null);
        Reservation r = reservation(key, "0.10");
        batch(1, i -> reserve(r)).get(0).join();
        List<CompletableFuture<?>> settles = batch(2,
                i -> CompletableFuture.supplyAsync(() -> ledger.settle(r, new BigDecimal("0.04")), callers));
        assertThat(settles.stream().<Object>map(CompletableFuture::join)).containsExactlyInAnyOrder(true, false);
        assertHeld(key, "0", "0", 1);
        assertThat(jdbc.queryForObject("SELECT spent FROM api_keys", Map.of(), BigDecimal.class))
                .isEqualByComparingTo("0.04");
        assertThat(accountSpent()).isEqualByComparingTo("0.04");
    }

    @Test
    void aFailingChangeFailsAloneAndNothingIsHeldTwice() {
        String key = key(null);
        Reservation taken = reservation(key, "0.10");
        batch(1, i -> reserve(taken)).get(0).join();
        List<CompletableFuture<?>> reserves = batch(3, i -> reserve(i == 1 ? taken : reservation(key, "0.20")));
        assertThat(reserves.get(0)).isCompleted();
        assertThat(reserves.get(2)).isCompleted();
        assertThatThrownBy(reserves.get(1)::join).hasCauseInstanceOf(DuplicateKeyException.class);
        assertHeld(key, "0.50", "0.50", 3);
    }

    @Test
    void manyCallersAtOnceAreAllAnsweredAndChargedExactly() {
        String key = key(null);
        List<CompletableFuture<?>> callers16 = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            callers16.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 100; i++) {
                    Reservation r = reservation(key, "0.001");
                    ledger.reserve(r);
                    assertThat(ledger.settle(r, new BigDecimal("0.0005"))).isTrue();
                }
            }, callers));
        }
        assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> CompletableFuture.allOf(callers16.toArray(CompletableFuture[]::new)).join());
        assertHeld(key, "0", "0", 1600);
        assertThat(accountSpent()).isEqualByComparingTo("0.8");
    }

    @Test
    void aGenerationSettledAfterItsKeysWindowRestartedIsChargedToTheWindowItFinishedIn() {
        // a daily key whose window last rolled yesterday. The ledger's clock (NOW) is today's noon,
        // so both settles arrive after midnight: only the one that finished today counts today
        String key = key("1.00");
        jdbc.update("UPDATE api_keys SET limit_reset = 'daily', window_start = :yesterday, window_spent = 0.30",
                Map.of("yesterday", OffsetDateTime.parse("2026-12-03T00:00:00Z")));
        Reservation lastNight = reservation(key, "0.10");
        Reservation thisMorning = reservation(key, "0.10");
        batch(2, i -> reserve(i == 0 ? lastNight : thisMorning));

        List<Boolean> settled = ledger.settle(List.of(
                settlement(lastNight, "0.07", Instant.parse("2026-12-03T23:59:59Z")),
                settlement(thisMorning, "0.02", Instant.parse("2026-12-04T00:00:01Z"))));

        assertThat(settled).containsExactly(true, true);
        assertHeld(key, "0", "0", 2);
        Map<String, Object> spending = ledger.keySpending(key);
        assertThat((BigDecimal) spending.get("window_spent")).isEqualByComparingTo("0.02");
        assertThat((BigDecimal) spending.get("spent")).isEqualByComparingTo("0.09");
    }

    @Test
    void aBatchSettledTwiceIsChargedOnce() {
        String key = key(null);
        List<Reservation> reserved = List.of(reservation(key, "0.10"), reservation(key, "0.10"));
        batch(2, i -> reserve(reserved.get(i)));
        List<Settlement> settlements = reserved.stream().map(r -> settlement(r, "0.03", NOW)).toList();

        assertThat(ledger.settle(settlements)).containsExactly(true, true);
        assertThat(ledger.settle(settlements)).containsExactly(false, false);

        assertHeld(key, "0", "0", 2);
        assertThat(accountSpent()).isEqualByComparingTo("0.06");
    }

    @Test
    void aSettleThatFailsInABatchFailsAloneAndTheRestAreSettled() {
        String key = key(null);
        List<Reservation> reserved = List.of(reservation(key, "0.10"), reservation(key, "0.10"), reservation(key, "0.10"));
        batch(3, i -> reserve(reserved.get(i)));
        // a cost beyond the ledger's NUMERIC(30, 12): the database refuses that one settle
        List<Settlement> settlements = List.of(settlement(reserved.get(0), "0.03", NOW),
                settlement(reserved.get(1), "1e20", NOW), settlement(reserved.get(2), "0.03", NOW));

        assertThatThrownBy(() -> ledger.settle(settlements)).isInstanceOf(RuntimeException.class);

        assertThat(ledger.settle(List.of(settlements.get(0), settlements.get(2)))).containsExactly(false, false);
        assertHeld(key, "0.10", "0.10", 3);
        assertThat(accountSpent()).isEqualByComparingTo("0.06");
    }

    private BigDecimal accountSpent() {
        return jdbc.queryForObject("SELECT spent FROM accounts", Map.of(), BigDecimal.class);
    }

    private static Settlement settlement(Reservation r, String cost, Instant finishedAt) {
        return new Settlement(r.generationId(), r.keyHash(), r.accountId(), r.amount(), new BigDecimal(cost), finishedAt);
    }

    /** Starts {@code n} changes, each from its own thread, waits until all wait, then commits them. */
    private List<CompletableFuture<?>> batch(int n, IntFunction<CompletableFuture<?>> change) {
        List<CompletableFuture<?>> started = new ArrayList<>();
        ledger.committing.lock();
        try {
            for (int i = 0; i < n; i++) {
                started.add(change.apply(i));
                awaitWaiting(i + 1);   // in order of arrival
            }
            ledger.commitAllWaiting();
        } finally {
            ledger.committing.unlock();
        }
        started.forEach(f -> f.handle((ok, failed) -> null).join());
        return started;
    }

    private void awaitWaiting(int n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ledger.waitingChanges() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + ledger.waitingChanges() + " of " + n + " changes arrived");
            }
            Thread.onSpinWait();
        }
    }

    private CompletableFuture<Void> reserve(Reservation reservation) {
        return CompletableFuture.runAsync(() -> ledger.reserve(reservation), callers);
    }

    private static void assertRefused(CompletableFuture<?> reserve, String reason) {
        assertThatThrownBy(reserve::join).isInstanceOf(CompletionException.class).cause()
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(402);
                    assertThat(e.metadata()).containsEntry("reason", reason);
                });
    }

    private void assertHeld(String key, String onKey, String onAccount, int reservations) {
        assertThat(jdbc.queryForObject("SELECT reserved FROM api_keys WHERE hash = :h", Map.of("h", key),
                BigDecimal.class)).isEqualByComparingTo(onKey);
        assertThat(jdbc.queryForObject("SELECT reserved FROM accounts", Map.of(), BigDecimal.class))
                .isEqualByComparingTo(onAccount);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM reservations", Map.of(), Integer.class))
                .isEqualTo(reservations);
    }

    private String key(String limit) {
        String hash = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
        jdbc.update("INSERT INTO api_keys (hash, account_id, label, name, limit_usd, window_start, created_at)"
                + " VALUES (:hash, 'acct', 'sk-car-v1-...', 'test', :limit, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
                new MapSqlParameterSource("hash", hash).addValue("limit", limit == null ? null : new BigDecimal(limit)));
        return hash;
    }

    private static Reservation reservation(String key, String amount) {
        return new Reservation("gen-" + UUID.randomUUID(), key, "acct", new BigDecimal(amount), "test/model",
                "test", false, "test", NOW, NOW.plusSeconds(3600));
    }
}
