package dev.caravan.providers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.stream.SseEvent;
import java.util.List;

/** Turns one upstream server-sent event into OpenAI-shaped chunks; one implementation per wire format. */
public interface StreamDecoder {

    /**
     * @return the chunks the event carries (possibly none), or null when the event ends the stream
     * @throws UpstreamException when the event reports a failure or cannot be read
     */
    List<ObjectNode> decode(SseEvent event);
}
