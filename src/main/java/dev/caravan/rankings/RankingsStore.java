package dev.caravan.rankings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The two aggregate queries behind the rankings. They live in db/sql/ so that bench/rankings
 * times exactly what Caravan runs; the V2 migration's indexes cover both.
 */
@Repository
public class RankingsStore {

    static final String MODELS_SQL = read("db/sql/rankings-models.sql");
    static final String APPS_SQL = read("db/sql/rankings-apps.sql");

    /** One row of a day and a model, or of an app over the whole range. */
    public record Row(LocalDate day, String name, String title, long requests, long promptTokens,
                      long completionTokens) {
        public long tokens() {
            return promptTokens + completionTokens;
        }
    }

    private final NamedParameterJdbcTemplate jdbc;

    public RankingsStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Tokens and requests per UTC day and model, {@code from} to {@code to} inclusive. */
    public List<Row> modelsByDay(LocalDate from, LocalDate to) {
        return jdbc.query(MODELS_SQL, Map.of("from", from, "to", to), (rs, n) -> new Row(
                rs.getObject("created_day", LocalDate.class), rs.getString("model"), null, rs.getLong("requests"),
                rs.getLong("prompt_tokens"), rs.getLong("completion_tokens")));
    }

    /** Tokens and requests per (X-Title, HTTP-Referer) pair over the range; unattributed requests are left out. */
    public List<Row> apps(LocalDate from, LocalDate to) {
        return jdbc.query(APPS_SQL, Map.of("from", from, "to", to), (rs, n) -> new Row(null,
                rs.getString("http_referer"), rs.getString("app_title"), rs.getLong("requests"),
                rs.getLong("prompt_tokens"), rs.getLong("completion_tokens")));
    }

    private static String read(String resource) {
        try {
            return new ClassPathResource(resource).getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
