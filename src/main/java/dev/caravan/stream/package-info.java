/**
 * Server-sent events end to end: decoding an upstream's SSE bytes, the queue that carries them
 * from the upstream's I/O thread to the response thread, and {@link dev.caravan.stream.ChatStream},
 * the response body that writes OpenAI chunks as they come, keep-alive comments while they do not,
 * and always ends with one usage chunk and {@code data: [DONE]}.
 */
package dev.caravan.stream;
