/**
 * Server-sent events end to end: decoding an upstream's SSE bytes as the response's own thread
 * reads them ({@link dev.caravan.stream.UpstreamBody}), {@link dev.caravan.stream.ChatStream}, the
 * response body that writes OpenAI chunks as they come and always ends with one usage chunk and
 * {@code data: [DONE]}, and the {@link dev.caravan.stream.StreamWatch} that sends keep-alive
 * comments while they do not come and enforces each stream's deadlines.
 */
package dev.caravan.stream;
