/**
 * Anthropic's Messages API as an inbound endpoint (POST /api/v1/messages): the Anthropic SDK
 * pointed at Caravan reaches any catalog model. Requests are translated into OpenAI chat
 * requests for the one chat pipeline, answers and streams back into Anthropic's shapes.
 */
package dev.caravan.messages;
