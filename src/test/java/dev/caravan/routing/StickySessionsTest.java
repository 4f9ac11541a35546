package dev.caravan.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Cases: a session keeps its endpoint per model; it is forgotten after 10 idle minutes; each use renews it. */
class StickySessionsTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-04T10:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    private void advance(Duration duration) {
        now.set(now.get().plus(duration));
    }

    @Test
    void sessionKeepsItsEndpointUntilTenIdleMinutes() {
        StickySessions sessions = new StickySessions(clock);
        sessions.served("s1", "a/m", "p/x");

        assertThat(sessions.endpointFor("s1", "a/m")).isEqualTo("p/x");
        assertThat(sessions.endpointFor("s1", "a/other")).isNull();
        assertThat(sessions.endpointFor(null, "a/m")).isNull();
        advance(Duration.ofMinutes(9));
        sessions.served("s1", "a/m", "p/x");
        advance(Duration.ofMinutes(9));
        assertThat(sessions.endpointFor("s1", "a/m")).isEqualTo("p/x");
        advance(Duration.ofMinutes(2));
        assertThat(sessions.endpointFor("s1", "a/m")).isNull();
    }
}
