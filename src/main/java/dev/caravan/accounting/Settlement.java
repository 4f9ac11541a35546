package dev.caravan.accounting;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * What settling one generation takes: its reservation (key, account, amount held), what it cost,
 * and when it finished (the key limit window it is charged to).
 */
public record Settlement(String generationId, String keyHash, String accountId, BigDecimal reserved,
                         BigDecimal cost, Instant finishedAt) {
}
