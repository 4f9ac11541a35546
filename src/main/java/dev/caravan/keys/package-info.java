/**
 * API keys: who may call Caravan. Keys are stored as SHA-256 hashes; the plaintext is shown once.
 * Authentication and the per-key rate limit are route steps; the management API lists, creates,
 * changes and deletes keys. Money (limits, usage) is the ledger's, in {@code accounting}.
 */
package dev.caravan.keys;
