package dev.caravan.routing;

import dev.caravan.api.ChatRequest;
import dev.caravan.api.ChatRequests;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** Puts what the auto router's rules look at on the exchange, as plain properties. */
@Component("routingFacts")
public class RoutingFacts {

    public void describe(Exchange exchange) {
        ChatRequest request = exchange.getProperty(ChatRequests.CHAT_REQUEST, ChatRequest.class);
        exchange.setProperty("promptTokens", RequestFacts.estimatedPromptTokens(request));
        exchange.setProperty("hasTools", RequestFacts.hasTools(request));
        exchange.setProperty("hasImages", RequestFacts.hasImages(request));
        exchange.setProperty("hasResponseFormat", RequestFacts.hasResponseFormat(request));
        exchange.setProperty("lastUserMessage", RequestFacts.lastUserMessage(request));
    }
}
