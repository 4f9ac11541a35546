/**
 * The {@code gemini} wire format: Google's Gemini API ({@code generateContent},
 * {@code streamGenerateContent?alt=sse}, {@code batchEmbedContents}). Pure mappers and a stream
 * decoder; the HTTP calls are the wire-gemini routes'.
 */
package dev.caravan.providers.gemini;
