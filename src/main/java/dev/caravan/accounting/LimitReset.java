package dev.caravan.accounting;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Map;

/**
 * A key's limit window ({@code limit_reset}): it restarts at UTC midnight every day, every
 * Monday, or on the first of every month; without one the limit is for the key's whole life.
 */
public enum LimitReset {
    DAILY, WEEKLY, MONTHLY;

    private static final long SECONDS_PER_DAY = 86_400;
    /** The last day's window parameters: one immutable pair, so a reader never mixes two days. */
    private static volatile Windows current;

    public static LimitReset parse(String value) {
        if (value == null) {
            return null;
        }
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The start of the window that holds {@code now}. */
    public OffsetDateTime start(Instant now) {
        LocalDate today = now.atOffset(ZoneOffset.UTC).toLocalDate();
        LocalDate first = switch (this) {
            case DAILY -> today;
            case WEEKLY -> today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTHLY -> today.withDayOfMonth(1);
        };
        return first.atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    /**
     * The named parameters the ledger's window SQL reads ({@link Ledger#WINDOW}). Every reserve
     * needs them and they change only at UTC midnight, so they are made once per day.
     */
    public static Map<String, Object> windowParameters(Instant now) {
        long day = Math.floorDiv(now.getEpochSecond(), SECONDS_PER_DAY);
        Windows windows = current;
        if (windows == null || windows.day() != day) {
            windows = new Windows(day, Map.of("daily", DAILY.start(now), "weekly", WEEKLY.start(now),
                    "monthly", MONTHLY.start(now)));
            current = windows;
        }
        return windows.parameters();
    }

    private record Windows(long day, Map<String, Object> parameters) {
    }
}
