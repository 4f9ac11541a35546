/**
 * Choosing who serves a request: the model it names, the endpoints that may serve it, and the
 * per-endpoint circuit breakers that take failing endpoints out of the way.
 */
package dev.caravan.routing;
