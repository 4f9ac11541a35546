package dev.caravan.accounting;

import java.math.BigDecimal;

/** Amounts of USD a client sets (a credit grant, a key's limit), checked against what the ledger can hold. */
public final class UsdAmounts {

    /**
     * A trillion USD. The ledger's columns are NUMERIC(30, 12), 18 digits before the point: a cap
     * far below it leaves room for a million grants to add up, so no sum overflows a column.
     */
    public static final BigDecimal MAX = new BigDecimal("1000000000000");
    /** The ledger's scale: a finer amount would be rounded as it is stored, so a grant of 1e-13 adds nothing. */
    public static final int DECIMAL_PLACES = 12;
    /** The rule, as an error message says it. */
    public static final String RULE = "at most " + MAX.toPlainString() + ", with at most " + DECIMAL_PLACES
            + " decimal places";

    private UsdAmounts() {
    }

    /** Whether the ledger keeps this amount exactly: not above {@link #MAX}, not finer than 12 decimal places. */
    public static boolean fitsTheLedger(BigDecimal amount) {
        return amount.compareTo(MAX) <= 0 && amount.stripTrailingZeros().scale() <= DECIMAL_PLACES;
    }
}
