package dev.caravan.accounting;

import java.math.BigDecimal;

/** Amounts of USD a client sets (a credit grant, a key's limit), checked against what the ledger can hold. */
public final class UsdAmounts {

    /**
     * A trillion USD. The ledger's columns are NUMERIC(30, 12), 18 digits before the point: a cap
     * far below it leaves room for a million grants to add up, so no sum overflows a column.
     */
    public static final BigDecimal MAX = new BigDecimal("1000000000000");

    private UsdAmounts() {
    }

    public static boolean withinMax(BigDecimal amount) {
        return amount.compareTo(MAX) <= 0;
    }
}
