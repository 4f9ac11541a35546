/**
 * Rankings (reference §9): models by tokens per UTC day, with an {@code other} row beyond the top
 * N and weekly and monthly totals, and apps by the attribution headers, aggregated in SQL over the
 * generation rows.
 */
package dev.caravan.rankings;
