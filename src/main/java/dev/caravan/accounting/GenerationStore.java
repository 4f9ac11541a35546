package dev.caravan.accounting;

import dev.caravan.keys.KeyStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** Reads the generations table; writes to it only for recovery (the usage writer route does the rest). */
@Repository
public class GenerationStore {

    /** The usage writer's INSERT, in camel-sql's {@code :#name} form, read here too so there is one. */
    private static final String INSERT = read("db/sql/insert-generation.sql").replace(":#", ":");

    private final NamedParameterJdbcTemplate jdbc;

    public GenerationStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Generation> find(String id) {
        return jdbc.query("SELECT * FROM generations WHERE id = :id", Map.of("id", id), GenerationStore::map)
                .stream().findFirst();
    }

    public boolean exists(String id) {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM generations WHERE id = :id", Map.of("id", id),
                Integer.class);
        return count != null && count > 0;
    }

    /** A key's spending in the current UTC day, week (from Monday) and month, from its generation rows. */
    public Map<String, Object> usageWindows(String keyHash, Instant now) {
        Map<String, Object> p = new HashMap<>(LimitReset.windowParameters(now));
        p.put("hash", keyHash);
        return jdbc.queryForMap("SELECT COALESCE(SUM(CASE WHEN created_at >= :daily THEN total_cost END), 0) AS daily,"
                + " COALESCE(SUM(CASE WHEN created_at >= :weekly THEN total_cost END), 0) AS weekly,"
                + " COALESCE(SUM(CASE WHEN created_at >= :monthly THEN total_cost END), 0) AS monthly"
                + " FROM generations WHERE key_hash = :hash AND (created_at >= :weekly OR created_at >= :monthly)", p);
    }

    /** Daily rows by model and provider since {@code since}, optionally for one key (reference §1, /activity). */
    public List<Map<String, Object>> activity(String accountId, LocalDate since, String keyHash) {
        Map<String, Object> p = new HashMap<>();
        p.put("account", accountId);
        p.put("since", since);
        p.put("hash", keyHash);
        return jdbc.queryForList("SELECT created_day, model, provider_name, COUNT(*) AS requests,"
                + " SUM(tokens_prompt) AS prompt_tokens, SUM(tokens_completion) AS completion_tokens,"
                + " SUM(tokens_reasoning) AS reasoning_tokens, SUM(total_cost) AS spent FROM generations"
                + " WHERE account_id = :account AND created_day >= :since"
                + (keyHash == null ? "" : " AND key_hash = :hash")
                + " GROUP BY created_day, model, provider_name ORDER BY created_day DESC, model, provider_name", p);
    }

    public void insert(Generation generation) {
        jdbc.update(INSERT, generation.row());
    }

    private static Generation map(ResultSet rs, int row) throws SQLException {
        int status = rs.getInt("http_status");
        Integer httpStatus = rs.wasNull() ? null : status;
        long latency = rs.getLong("latency_ms");
        Long latencyMs = rs.wasNull() ? null : latency;
        long generationTime = rs.getLong("generation_time_ms");
        Long generationTimeMs = rs.wasNull() ? null : generationTime;
        Usage usage = new Usage(rs.getLong("tokens_prompt"), rs.getLong("tokens_completion"),
                rs.getLong("tokens_cached"), 0, rs.getLong("tokens_reasoning"), rs.getBoolean("usage_estimated"));
        String externalUser = rs.getString("external_user");
        return new Generation(rs.getString("id"), KeyStore.instant(rs, "created_at"), rs.getString("key_hash"),
                rs.getString("account_id"), rs.getString("model"), rs.getString("provider_name"),
                rs.getString("upstream_model"), rs.getString("status"), httpStatus, rs.getString("error_type"),
                rs.getBoolean("streamed"), rs.getBoolean("cancelled"), rs.getString("finish_reason"),
                rs.getString("native_finish_reason"), usage, rs.getBigDecimal("total_cost"),
                rs.getBigDecimal("reserved"), latencyMs, generationTimeMs,
                new Attribution(rs.getString("http_referer"), rs.getString("app_title"),
                        externalUser == null ? null : externalUser.trim(), rs.getString("session_id")),
                rs.getString("instance_id"), rs.getBoolean("recovered"));
    }

    private static String read(String resource) {
        try {
            return new ClassPathResource(resource).getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
