package dev.caravan.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cases: events split anywhere, even inside a UTF-8 character; CRLF; comments; event names; multi-line data. */
class SseDecoderTest {

    @Test
    void eventsSplitAcrossChunksAtEveryByte() {
        byte[] stream = "data: {\"a\":\"héllo ✓\"}\n\n: keep-alive\n\ndata: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);
        SseDecoder decoder = new SseDecoder();
        List<SseEvent> events = new ArrayList<>();
        for (byte b : stream) {
            events.addAll(decoder.feed(new byte[] {b}));
        }

        assertThat(events).extracting(SseEvent::data).containsExactly("{\"a\":\"héllo ✓\"}", "[DONE]");
    }

    @Test
    void crlfEventNamesAndMultiLineData() {
        List<SseEvent> events = new SseDecoder().feed(
                "event: message_start\r\ndata: line one\r\ndata: line two\r\n\r\ndata:x\n\n".getBytes(StandardCharsets.UTF_8));

        assertThat(events).containsExactly(new SseEvent("message_start", "line one\nline two"), new SseEvent(null, "x"));
    }
}
