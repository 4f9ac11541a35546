/**
 * The {@code anthropic} wire format: Anthropic's Messages API ({@code POST /v1/messages}). A pure
 * request mapper, a response mapper and a stream decoder; the HTTP call is the wire-anthropic route's.
 */
package dev.caravan.providers.anthropic;
