package dev.caravan.accounting;

import java.math.BigDecimal;

/**
 * What a finished JSON answer costs, as written in its {@code usage}: the settle step charges
 * exactly this, so the response's {@code usage.cost} is the amount charged.
 */
public record Charge(Usage usage, BigDecimal cost, String finishReason, String nativeFinishReason) {

    public static final String PROPERTY = "caravan.charge";
}
