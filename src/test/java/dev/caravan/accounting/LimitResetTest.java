package dev.caravan.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LimitResetTest {

    @Test
    void windowStartsAreMidnightMondayAndTheFirstInUtc() {
        Instant wednesday = Instant.parse("2026-12-02T17:30:00Z");

        assertThat(LimitReset.DAILY.start(wednesday)).isEqualTo(OffsetDateTime.parse("2026-12-02T00:00Z"));
        assertThat(LimitReset.WEEKLY.start(wednesday)).isEqualTo(OffsetDateTime.parse("2026-11-30T00:00Z"));
        assertThat(LimitReset.MONTHLY.start(wednesday)).isEqualTo(OffsetDateTime.parse("2026-12-01T00:00Z"));
    }

    /** They are made once per day: each call must still answer for the day it is asked about. */
    @Test
    void windowParametersFollowTheDayAskedAboutForwardAndBack() {
        Instant lastOfNovember = Instant.parse("2026-11-30T23:59:59.999Z");
        Instant firstOfDecember = Instant.parse("2026-12-01T00:00:00Z");

        for (Instant now : new Instant[] {lastOfNovember, firstOfDecember, firstOfDecember.plusSeconds(3600),
                lastOfNovember, Instant.parse("2027-01-04T12:00:00Z")}) {
            assertThat(LimitReset.windowParameters(now)).as(now.toString()).isEqualTo(Map.of(
                    "daily", LimitReset.DAILY.start(now),
                    "weekly", LimitReset.WEEKLY.start(now),
                    "monthly", LimitReset.MONTHLY.start(now)));
        }
        assertThat(LimitReset.windowParameters(firstOfDecember).get("monthly"))
                .isEqualTo(OffsetDateTime.parse("2026-12-01T00:00Z"));
        assertThat(LimitReset.windowParameters(lastOfNovember).get("monthly"))
                .isEqualTo(OffsetDateTime.parse("2026-11-01T00:00Z"));
    }
}
