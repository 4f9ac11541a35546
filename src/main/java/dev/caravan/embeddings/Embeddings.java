package dev.caravan.embeddings;

import dev.caravan.api.ChatRequests;
import dev.caravan.api.GenerationIds;
import dev.caravan.api.Responses;
import dev.caravan.routing.RoutingNeeds;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The read step of routes/embeddings.camel.yaml, in place of the chat route's: a generation id,
 * the body checked, and the request set where the chat pipeline's later steps (planner, credits)
 * read it, with the needs that send it to embedding models only.
 */
@Component("embeddings")
public class Embeddings {

    private final ChatRequests chatRequests;

    public Embeddings(ChatRequests chatRequests) {
        this.chatRequests = chatRequests;
    }

    public void read(Exchange exchange) {
        exchange.setProperty(Responses.GENERATION_ID, GenerationIds.next());
        EmbeddingRequest request = EmbeddingRequest.of(chatRequests.readJsonObject(exchange));
        exchange.setProperty(EmbeddingRequest.PROPERTY, request);
        exchange.setProperty(ChatRequests.CHAT_REQUEST, request.asChatRequest(request.body().get("model").asText()));
        exchange.setProperty(ChatRequests.STREAM, false);
        exchange.setProperty(RoutingNeeds.PROPERTY, request.needs());
    }
}
