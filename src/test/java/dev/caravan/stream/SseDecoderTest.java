package dev.caravan.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Cases: events split anywhere, even inside a UTF-8 character; CRLF; comments; event names;
 * multi-line data; a line, or an event of many lines, past the size limit.
 */
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

    @Test
    void anEventPastTheLimitStopsTheDecoder() {
        byte[] megabyte = "x".repeat(1024 * 1024).getBytes(StandardCharsets.US_ASCII);
        SseDecoder endlessLine = new SseDecoder();
        endlessLine.feed("data: ".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 15; i++) {
            endlessLine.feed(megabyte);
        }
        assertThatThrownBy(() -> endlessLine.feed(megabyte)).isInstanceOf(SseDecoder.EventTooLarge.class)
                .hasMessage("an event over 16 MiB");

        SseDecoder endlessEvent = new SseDecoder();
        byte[] line = ("data: " + "x".repeat(1024 * 1024) + "\n").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 15; i++) {
            assertThat(endlessEvent.feed(line)).isEmpty();
        }
        assertThatThrownBy(() -> endlessEvent.feed(line)).isInstanceOf(SseDecoder.EventTooLarge.class);
    }
}
