/**
 * The built-in simulator: a provider served inside Caravan that answers like a real model, so
 * that Caravan runs, demos and tests with no API key. It speaks the OpenAI wire format.
 */
package dev.caravan.providers.simulator;
