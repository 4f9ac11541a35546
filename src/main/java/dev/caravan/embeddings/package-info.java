/**
 * POST /embeddings: the request read and checked, the answer in OpenAI's list shape with its
 * cost. Routing, reservation, attempts and settling are the chat pipeline's own steps
 * (routes/embeddings.camel.yaml); only the wire routes differ.
 */
package dev.caravan.embeddings;
