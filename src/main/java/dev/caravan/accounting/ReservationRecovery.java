package dev.caravan.accounting;

import dev.caravan.keys.KeyStore;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Finishes what a dead instance left: reservations nobody will settle. At start, this instance's
 * own reservations from before it started (its previous life ended without settling them) and
 * every expired one; afterwards, on a timer, expired ones only, so a live instance's requests are
 * never touched. An unsettled reservation is charged its generation row's cost when the row made
 * it to the database, else the whole reserved amount; a missing row is written, flagged recovered.
 */
@Component("reservationRecovery")
public class ReservationRecovery implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(ReservationRecovery.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final Ledger ledger;
    private final GenerationStore generations;
    private final Clock clock;
    private final String instanceId;
    private final Instant started;

    public ReservationRecovery(NamedParameterJdbcTemplate jdbc, Ledger ledger, GenerationStore generations,
                               Clock clock, InstanceId instanceId) {
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.generations = generations;
        this.clock = clock;
        this.instanceId = instanceId.value();
        this.started = clock.instant();
    }

    @Override
    public void run(ApplicationArguments args) {
        Map<String, Object> p = new HashMap<>();
        p.put("instance", instanceId);
        p.put("started", KeyStore.utc(started));
        p.put("now", KeyStore.utc(clock.instant()));
        recover("(instance_id = :instance AND created_at < :started) OR expires_at < :now", p);
    }

    /** Called by the reservation-sweep route. */
    public int sweepExpired() {
        return recover("expires_at < :now", Map.of("now", KeyStore.utc(clock.instant())));
    }

    private int recover(String condition, Map<String, Object> p) {
        List<Object[]> found = jdbc.query("SELECT * FROM reservations WHERE " + condition, p, ReservationRecovery::map);
        for (Object[] row : found) {
            recover((Reservation) row[0], (BigDecimal) row[1]);
        }
        return found.size();
    }

    private void recover(Reservation reservation, BigDecimal charged) {
        String id = reservation.generationId();
        BigDecimal charge = charged;
        if (charge == null) {
            charge = generations.find(id).map(Generation::totalCost).orElse(reservation.amount());
            ledger.settle(reservation, charge);
        }
        if (!generations.exists(id)) {
            try {
                generations.insert(Generation.recovered(reservation, charge, instanceId));
            } catch (DuplicateKeyException anotherInstanceWasFaster) {
                // the row is there, which is all that matters
            }
            log.warn("Recovered generation {} of key {} left unsettled by instance {}: charged {} USD",
                    id, reservation.keyHash(), reservation.instanceId(), charge);
        }
        jdbc.update("DELETE FROM reservations WHERE generation_id = :id", Map.of("id", id));
    }

    private static Object[] map(ResultSet rs, int row) throws SQLException {
        Reservation reservation = new Reservation(rs.getString("generation_id"), rs.getString("key_hash"),
                rs.getString("account_id"), rs.getBigDecimal("amount"), rs.getString("model"),
                rs.getString("provider_name"), rs.getBoolean("streamed"), rs.getString("instance_id"),
                KeyStore.instant(rs, "created_at"), KeyStore.instant(rs, "expires_at"));
        return new Object[] {reservation, rs.getBigDecimal("charged")};
    }
}
