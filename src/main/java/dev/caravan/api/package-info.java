/**
 * The HTTP face of Caravan: reading and validating requests, the error envelope, and writing
 * JSON and SSE responses. Routes in routes/api.camel.yaml and routes/chat.camel.yaml call these beans.
 */
package dev.caravan.api;
