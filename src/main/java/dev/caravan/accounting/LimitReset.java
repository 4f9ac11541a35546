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

    /** The named parameters the ledger's window SQL reads ({@link Ledger#WINDOW}). */
    public static Map<String, Object> windowParameters(Instant now) {
        return Map.of("daily", DAILY.start(now), "weekly", WEEKLY.start(now), "monthly", MONTHLY.start(now));
    }
}
