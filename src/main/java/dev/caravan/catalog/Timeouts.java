package dev.caravan.catalog;

/** How long to wait for an upstream: to connect, for its first token, and between two chunks. */
public record Timeouts(int connectMs, int firstTokenMs, int idleMs) {

    public static final Timeouts DEFAULT = new Timeouts(5_000, 60_000, 60_000);
}
