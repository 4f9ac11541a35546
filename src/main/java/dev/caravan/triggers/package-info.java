/**
 * Ways into the chat pipeline other than HTTP: JSONL batch files dropped in an inbox folder, and
 * request/reply over a JMS queue (ActiveMQ by default, RabbitMQ by configuration). Each request
 * is sent to {@code direct:chat-completions} like an HTTP one, so routing, limits and accounting
 * are the same whatever the trigger. The routes are in routes/triggers.camel.yaml.
 */
package dev.caravan.triggers;
