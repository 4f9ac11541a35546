package dev.caravan.stream;

/**
 * @param keepAliveMs  silence after which a keep-alive comment goes out
 * @param firstTokenMs how long the upstream may take to send its first event
 * @param idleMs       how long it may then stay silent between two events
 * @param maxMs        how long a whole stream may last, however lively
 */
public record StreamTimeouts(long keepAliveMs, long firstTokenMs, long idleMs, long maxMs) {
}
