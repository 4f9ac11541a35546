package dev.caravan.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.support.Generations;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/**
 * The usage writer's statement filling gives what Camel SQL's default strategy gives: for its own
 * queries and rows, and, by the default's own way, for a row that lacks a name (found in a header)
 * and for a parameter that is an expression.
 */
class NamedRowParametersTest {

    private final NamedRowParameters strategy = new NamedRowParameters();
    private final DefaultSqlPrepareStatementStrategy camel = new DefaultSqlPrepareStatementStrategy();
    private final Exchange exchange = new DefaultExchange(new DefaultCamelContext());

    @Test
    void fillsTheUsageWritersQueriesAsCamelDoes() throws Exception {
        Map<String, Object> row = Generations.settled("gen-1", new BigDecimal("0.0012"), true).row();
        for (String file : List.of("insert-generation.sql", "delete-settled-reservations.sql")) {
            String query = query(file);
            assertThat(strategy.prepareQuery(query, true, exchange)).isEqualTo(camel.prepareQuery(query, true, exchange));
            List<Object> values = values(strategy, query, row);
            assertThat(values).isEqualTo(values(camel, query, row)).isNotEmpty();
        }
        assertThat(values(strategy, query("insert-generation.sql"), row)).hasSize(30).startsWith("gen-1");
    }

    @Test
    void aNameTheRowLacksIsLookedUpAsCamelDoes() throws Exception {
        String query = "DELETE FROM reservations WHERE generation_id = :?id AND instance_id = :?instance";
        Map<String, Object> row = new HashMap<>(Map.of("id", "gen-2"));
        exchange.getMessage().setHeader("instance", "a");
        assertThat(values(strategy, query, row)).containsExactly("gen-2", "a").isEqualTo(values(camel, query, row));
    }

    @Test
    void anExpressionParameterIsEvaluatedAsCamelDoes() throws Exception {
        String query = "DELETE FROM reservations WHERE generation_id = :?${body[id]}";
        Map<String, Object> row = Map.of("id", "gen-3");
        exchange.getMessage().setBody(row);
        assertThat(values(strategy, query, row)).containsExactly("gen-3").isEqualTo(values(camel, query, row));
    }

    private List<Object> values(DefaultSqlPrepareStatementStrategy s, String query, Object row) throws Exception {
        List<Object> values = new ArrayList<>();
        String prepared = s.prepareQuery(query, true, exchange);
        int expected = (int) prepared.chars().filter(c -> c == '?').count();
        for (Iterator<?> it = s.createPopulateIterator(query, prepared, expected, exchange, row); it.hasNext(); ) {
            values.add(it.next());
        }
        return values;
    }

    /** The query as the SQL component hands it over: its {@code #} placeholders turned into {@code ?}. */
    private static String query(String file) throws Exception {
        try (InputStream in = NamedRowParametersTest.class.getResourceAsStream("/db/sql/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace(":#", ":?");
        }
    }
}
