package dev.caravan.messages;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.Json;
import dev.caravan.api.ChatRequests;
import dev.caravan.api.Responses;
import dev.caravan.stream.ChunkEncoder;
import java.io.InputStream;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * The messages route's beans: POST /messages in Anthropic's shape, served by any catalog model
 * through the same chat pipeline. The request is translated before it, the answer after it
 * (streams on the fly, by {@link MessagesEncoder}), errors into Anthropic's error shape.
 */
@Component("anthropicMessages")
public class AnthropicMessages {

    private final ChatRequests chatRequests;

    public AnthropicMessages(ChatRequests chatRequests) {
        this.chatRequests = chatRequests;
    }

    /** Replaces the Anthropic request body by the equivalent OpenAI chat request. */
    public void toChatRequest(Exchange exchange) throws Exception {
        var chat = MessagesRequests.toChat(chatRequests.readJsonObject(exchange));
        if (chat.path("stream").asBoolean(false)) {
            exchange.setProperty(ChunkEncoder.PROPERTY, new MessagesEncoder());
        }
        exchange.getMessage().setBody(Json.MAPPER.writeValueAsBytes(chat));
    }

    /** Translates the pipeline's JSON answer, success or error envelope; a stream is already Anthropic's. */
    public void toAnthropic(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        if (!Responses.JSON.equals(message.getHeader(Exchange.CONTENT_TYPE))) {
            return;
        }
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
        JsonNode answer;
        try (InputStream in = message.getBody(InputStream.class)) {
            answer = Json.MAPPER.readTree(in);
        }
        byte[] body = Json.MAPPER.writeValueAsBytes(status == 200
                ? MessagesResponses.message(answer) : MessagesResponses.error(answer));
        message.setBody(body);
    }
}
