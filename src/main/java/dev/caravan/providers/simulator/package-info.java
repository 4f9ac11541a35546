/**
 * The built-in simulator: a provider served inside Caravan that answers like a real model, so
 * that Caravan runs, demos and tests with no API key. It speaks the OpenAI wire format, calls
 * the tools it is offered, answers JSON to a response_format, reasons when asked to, and makes
 * deterministic embeddings.
 */
package dev.caravan.providers.simulator;
