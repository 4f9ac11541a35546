package dev.caravan.stream;

/**
 * @param keepAliveMs  silence after which a keep-alive comment goes out
 * @param firstTokenMs how long the upstream may take to send its first event
 * @param idleMs       how long it may then stay silent between two events
 */
public record StreamTimeouts(long keepAliveMs, long firstTokenMs, long idleMs) {
}
