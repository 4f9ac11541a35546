package dev.caravan.keys;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A key as stored, without its plaintext. What authentication needs and may be cached briefly;
 * its spending is never read from here but from the ledger.
 */
public record ApiKey(String hash, String accountId, String label, String name, boolean management,
                     boolean disabled, Instant expiresAt, BigDecimal limit, String limitReset,
                     Integer rateLimitRpm, Instant createdAt, Instant updatedAt) {

    /** The exchange property that holds the calling key once authenticated. */
    public static final String PROPERTY = "caravan.apiKey";

    public boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
