package dev.caravan.rankings;

import dev.caravan.accounting.Replies;
import dev.caravan.api.ApiException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * GET /rankings and /rankings/apps. Query: {@code from}, {@code to} (UTC days, inclusive; by default
 * the last 30 days), {@code top} (1-50, default 10); apps also {@code order=tokens|requests}.
 */
@Component("rankingsApi")
public class RankingsApi {

    static final int MAX_DAYS = 366;
    static final int MAX_TOP = 50;

    private final RankingsStore store;
    private final Clock clock;

    public RankingsApi(RankingsStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public void models(Exchange exchange) {
        Range range = range(exchange);
        int top = top(exchange);
        Replies.json(exchange, 200, Rankings.models(store.modelsByDay(range.from, range.to), range.from, range.to, top));
    }

    public void apps(Exchange exchange) {
        Range range = range(exchange);
        String order = exchange.getMessage().getHeader("order", "tokens", String.class);
        if (!order.equals("tokens") && !order.equals("requests")) {
            throw ApiException.invalidRequest("'order' must be 'tokens' or 'requests'", "order");
        }
        Replies.json(exchange, 200, Rankings.apps(store.apps(range.from, range.to), range.from, range.to,
                top(exchange), order.equals("requests")));
    }

    private record Range(LocalDate from, LocalDate to) {
    }

    private Range range(Exchange exchange) {
        LocalDate today = clock.instant().atOffset(ZoneOffset.UTC).toLocalDate();
        LocalDate to = day(exchange, "to", today);
        LocalDate from = day(exchange, "from", to.minusDays(29));
        if (from.isAfter(to)) {
            throw ApiException.invalidRequest("'from' must not be after 'to'", "from");
        }
        if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
            throw ApiException.invalidRequest("The range may span at most " + MAX_DAYS + " days", "from");
        }
        return new Range(from, to);
    }

    private static LocalDate day(Exchange exchange, String name, LocalDate otherwise) {
        String value = exchange.getMessage().getHeader(name, String.class);
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ApiException.invalidRequest("'" + name + "' must be a date as YYYY-MM-DD (UTC)", name);
        }
    }

    private static int top(Exchange exchange) {
        String value = exchange.getMessage().getHeader("top", String.class);
        if (value == null || value.isBlank()) {
            return 10;
        }
        try {
            int top = Integer.parseInt(value.trim());
            if (top >= 1 && top <= MAX_TOP) {
                return top;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.invalidRequest("'top' must be a whole number from 1 to " + MAX_TOP, "top");
    }
}
