package dev.caravan.keys;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** The api_keys table, minus the money columns (those are the ledger's). */
@Repository
public class KeyStore {

    private static final String COLUMNS = "hash, account_id, label, name, management, disabled, expires_at, "
            + "limit_usd, limit_reset, rate_limit_rpm, created_at, updated_at";

    private final NamedParameterJdbcTemplate jdbc;

    public KeyStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<ApiKey> find(String hash) {
        return jdbc.query("SELECT " + COLUMNS + " FROM api_keys WHERE hash = :hash", Map.of("hash", hash),
                KeyStore::map).stream().findFirst();
    }

    public List<ApiKey> list(String accountId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM api_keys WHERE account_id = :account ORDER BY created_at, hash",
                Map.of("account", accountId), KeyStore::map);
    }

    public boolean anyManagementKey() {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM api_keys WHERE management",
                Map.of(), Integer.class);
        return count != null && count > 0;
    }

    public void insert(ApiKey key, Instant now) {
        Map<String, Object> row = params(key);
        row.put("window_start", utc(now));
        jdbc.update("INSERT INTO api_keys (" + COLUMNS + ", window_start) VALUES (:hash, :account_id, :label, :name, "
                + ":management, :disabled, :expires_at, :limit_usd, :limit_reset, :rate_limit_rpm, :created_at, "
                + ":updated_at, :window_start)", row);
    }

    /** Writes the fields a PATCH may change; false when there is no such key. */
    public boolean update(ApiKey key) {
        return jdbc.update("UPDATE api_keys SET name = :name, disabled = :disabled, limit_usd = :limit_usd, "
                + "limit_reset = :limit_reset, rate_limit_rpm = :rate_limit_rpm, expires_at = :expires_at, "
                + "updated_at = :updated_at WHERE hash = :hash", params(key)) == 1;
    }

    public boolean delete(String hash) {
        return jdbc.update("DELETE FROM api_keys WHERE hash = :hash", Map.of("hash", hash)) == 1;
    }

    private static Map<String, Object> params(ApiKey key) {
        Map<String, Object> row = new HashMap<>();
        row.put("hash", key.hash());
        row.put("account_id", key.accountId());
        row.put("label", key.label());
        row.put("name", key.name());
        row.put("management", key.management());
        row.put("disabled", key.disabled());
        row.put("expires_at", utc(key.expiresAt()));
        row.put("limit_usd", key.limit());
        row.put("limit_reset", key.limitReset());
        row.put("rate_limit_rpm", key.rateLimitRpm());
        row.put("created_at", utc(key.createdAt()));
        row.put("updated_at", utc(key.updatedAt()));
        return row;
    }

    private static ApiKey map(ResultSet rs, int row) throws SQLException {
        int rpm = rs.getInt("rate_limit_rpm");
        Integer rateLimit = rs.wasNull() ? null : rpm;
        return new ApiKey(rs.getString("hash"), rs.getString("account_id"), rs.getString("label"),
                rs.getString("name"), rs.getBoolean("management"), rs.getBoolean("disabled"),
                instant(rs, "expires_at"), rs.getBigDecimal("limit_usd"), rs.getString("limit_reset"), rateLimit,
                instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    public static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
