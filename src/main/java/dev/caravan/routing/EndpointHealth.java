package dev.caravan.routing;

import dev.caravan.catalog.Endpoint;

/** What the planner knows of an endpoint's recent behaviour (from {@link EndpointStats} and its circuit). */
public interface EndpointHealth {

    /** A significant outage: its circuit is open, or at least half of its last calls in 30 s (3 or more) failed. */
    boolean inOutage(Endpoint endpoint);

    /** It failed at least once in the last 30 s. */
    boolean recentlyFailing(Endpoint endpoint);

    /** Median tokens per second over the last 30 minutes, or null without data. */
    Double throughput(Endpoint endpoint);

    /** Median milliseconds to the first token over the last 30 minutes, or null without data. */
    Double latency(Endpoint endpoint);

    EndpointHealth UNKNOWN = new EndpointHealth() {
        @Override
        public boolean inOutage(Endpoint endpoint) {
            return false;
        }

        @Override
        public boolean recentlyFailing(Endpoint endpoint) {
            return false;
        }

        @Override
        public Double throughput(Endpoint endpoint) {
            return null;
        }

        @Override
        public Double latency(Endpoint endpoint) {
            return null;
        }
    };
}
