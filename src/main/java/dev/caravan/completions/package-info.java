/**
 * Legacy POST /completions in front of the chat pipeline: the prompt becomes a user message, the
 * chat answer (or stream, chunk by chunk) comes back in the {@code text_completion} shape.
 */
package dev.caravan.completions;
