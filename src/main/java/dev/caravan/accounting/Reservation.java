package dev.caravan.accounting;

import java.math.BigDecimal;
import java.time.Instant;

/** Money held for one request until it is settled: at most {@code amount}, by {@code instanceId}. */
public record Reservation(String generationId, String keyHash, String accountId, BigDecimal amount,
                          String model, String providerName, boolean streamed, String instanceId,
                          Instant createdAt, Instant expiresAt) {

    public static final String PROPERTY = "caravan.reservation";
}
