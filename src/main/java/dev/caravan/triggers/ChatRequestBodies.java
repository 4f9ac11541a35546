package dev.caravan.triggers;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What the triggers change in a request before the pipeline sees it. */
final class ChatRequestBodies {

    private ChatRequestBodies() {
    }

    /**
     * A batch line or a queue message gets one answer to write or reply with, not a stream of
     * events: a request asking to stream is answered as JSON instead.
     */
    static ObjectNode unstreamed(ObjectNode request) {
        if (request.has("stream")) {
            request.put("stream", false);
        }
        request.remove("stream_options");
        return request;
    }
}
