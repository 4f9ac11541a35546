package dev.caravan.rankings;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;
import dev.caravan.rankings.RankingsStore.Row;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Folds the per-day, per-model rows of the SQL aggregate into the rankings answer. The top N are
 * chosen over the whole range, so a stacked chart has the same series every day; every other
 * model is summed into {@code other}. Weeks start on Monday and, like months, are UTC calendar
 * periods clipped to the range. The rows are at most days x models, so this is cheap.
 */
public final class Rankings {

    public static final String OTHER = "other";

    private Rankings() {
    }

    private static final class Totals {
        long requests;
        long prompt;
        long completion;

        void add(Row row) {
            requests += row.requests();
            prompt += row.promptTokens();
            completion += row.completionTokens();
        }

        long tokens() {
            return prompt + completion;
        }
    }

    public static ObjectNode models(List<Row> rows, LocalDate from, LocalDate to, int top) {
        Map<String, Totals> byModel = new HashMap<>();
        rows.forEach(row -> byModel.computeIfAbsent(row.name(), m -> new Totals()).add(row));
        List<String> ranked = byModel.entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, Totals>>comparingLong(e -> e.getValue().tokens()).reversed()
                        .thenComparing(Map.Entry::getKey))
                .map(Map.Entry::getKey).toList();
        Set<String> shown = new HashSet<>(ranked.subList(0, Math.min(top, ranked.size())));
        Function<String, String> series = model -> shown.contains(model) ? model : OTHER;

        ObjectNode data = Json.MAPPER.createObjectNode().put("from", from.toString()).put("to", to.toString())
                .put("top", top);
        Map<String, Totals> overall = new HashMap<>();
        rows.forEach(row -> overall.computeIfAbsent(series.apply(row.name()), s -> new Totals()).add(row));
        data.set("models", list(overall, ranked, shown));
        data.set("daily", periods(rows, from, to, d -> d, d -> d.plusDays(1), "date", series, ranked, shown));
        data.set("weekly", periods(rows, from, to, d -> d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)),
                d -> d.plusWeeks(1), "week", series, ranked, shown));
        data.set("monthly", periods(rows, from, to, d -> d.withDayOfMonth(1), d -> d.plusMonths(1), "month", series,
                ranked, shown));
        return Json.MAPPER.createObjectNode().set("data", data);
    }

    /** Apps by tokens (or requests): an app is its HTTP-Referer, or its X-Title when it sent no referer. */
    public static ObjectNode apps(List<Row> rows, LocalDate from, LocalDate to, int top, boolean byRequests) {
        Map<String, Totals> totals = new LinkedHashMap<>();
        Map<String, String> titles = new HashMap<>();
        for (Row row : rows) {
            String app = row.name() != null ? row.name() : row.title();
            totals.computeIfAbsent(app, a -> new Totals()).add(row);
            if (row.title() != null) {
                titles.merge(app, row.title(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
            }
        }
        Comparator<Map.Entry<String, Totals>> order = byRequests
                ? Comparator.comparingLong(e -> e.getValue().requests)
                : Comparator.comparingLong(e -> e.getValue().tokens());
        ObjectNode data = Json.MAPPER.createObjectNode().put("from", from.toString()).put("to", to.toString())
                .put("top", top).put("order", byRequests ? "requests" : "tokens");
        ArrayNode apps = data.putArray("apps");
        totals.entrySet().stream().sorted(order.reversed().thenComparing(Map.Entry::getKey)).limit(top)
                .forEach(e -> {
                    ObjectNode app = apps.addObject().put("app", e.getKey())
                            .put("title", titles.get(e.getKey()))
                            .put("http_referer", e.getKey().equals(titles.get(e.getKey())) ? null : e.getKey());
                    put(app, e.getValue());
                });
        return Json.MAPPER.createObjectNode().set("data", data);
    }

    private static ArrayNode periods(List<Row> rows, LocalDate from, LocalDate to, Function<LocalDate, LocalDate> start,
                                     Function<LocalDate, LocalDate> next, String field,
                                     Function<String, String> series, List<String> ranked, Set<String> shown) {
        Map<LocalDate, Map<String, Totals>> byPeriod = new HashMap<>();
        rows.forEach(row -> byPeriod.computeIfAbsent(start.apply(row.day()), p -> new HashMap<>())
                .computeIfAbsent(series.apply(row.name()), s -> new Totals()).add(row));
        ArrayNode periods = Json.MAPPER.createArrayNode();
        // every period of the range, traffic or not, so a chart's time axis has no holes
        for (LocalDate period = start.apply(from); !period.isAfter(to); period = next.apply(period)) {
            ObjectNode node = periods.addObject()
                    .put(field, field.equals("month") ? period.toString().substring(0, 7) : period.toString());
            Map<String, Totals> here = byPeriod.getOrDefault(period, Map.of());
            node.put("tokens", here.values().stream().mapToLong(Totals::tokens).sum());
            node.set("models", list(here, ranked, shown));
        }
        return periods;
    }

    /** The shown models in rank order, then {@code other}; series without traffic are left out. */
    private static ArrayNode list(Map<String, Totals> bySeries, List<String> ranked, Set<String> shown) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        List<String> order = new ArrayList<>(ranked.stream().filter(shown::contains).toList());
        order.add(OTHER);
        for (String name : order) {
            Totals totals = bySeries.get(name);
            if (totals != null) {
                put(list.addObject().put("model", name), totals);
            }
        }
        return list;
    }

    private static void put(ObjectNode node, Totals totals) {
        node.put("tokens", totals.tokens()).put("prompt_tokens", totals.prompt)
                .put("completion_tokens", totals.completion).put("requests", totals.requests);
    }
}
