/**
 * Talking to upstreams. One package per wire format ({@code openai}, {@code simulator}), each a
 * pure translation between OpenAI's shape and the provider's; the HTTP calls are made by the
 * routes in routes/providers.camel.yaml (JSON, over Camel HTTP) and by {@link
 * dev.caravan.providers.UpstreamStreams} (SSE, which must be cancellable when the client leaves).
 */
package dev.caravan.providers;
