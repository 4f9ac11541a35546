package dev.caravan.stream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a byte stream into server-sent events. Chunks may split a line, or a UTF-8 character,
 * anywhere: lines are cut on bytes and decoded whole. Comment lines (": ...") are skipped.
 */
public final class SseDecoder {

    /**
     * The most one event (or one line of it) may hold. A chat chunk takes a few kilobytes; an
     * upstream that sends more without ending the event is broken, and would otherwise have this
     * buffer grow until the heap runs out, for every stream at once.
     */
    public static final int MAX_EVENT_BYTES = 16 * 1024 * 1024;

    private byte[] pending = new byte[1024];
    private int length;
    private String event;
    private StringBuilder data;

    public List<SseEvent> feed(byte[] chunk) {
        append(chunk);
        List<SseEvent> events = new ArrayList<>(2);
        int start = 0;
        for (int i = 0; i < length; i++) {
            if (pending[i] == '\n') {
                int end = i > start && pending[i - 1] == '\r' ? i - 1 : i;
                line(new String(pending, start, end - start, StandardCharsets.UTF_8), events);
                start = i + 1;
            }
        }
        System.arraycopy(pending, start, pending, 0, length - start);
        length -= start;
        if (length > MAX_EVENT_BYTES) {
            throw new EventTooLarge();
        }
        return events;
    }

    /** Thrown by {@link #feed} once an event, or a line, passes {@link #MAX_EVENT_BYTES}. */
    public static final class EventTooLarge extends RuntimeException {
        EventTooLarge() {
            super("an event over " + MAX_EVENT_BYTES / (1024 * 1024) + " MiB", null, false, false);
        }
    }

    private void line(String line, List<SseEvent> events) {
        if (line.isEmpty()) {
            if (data != null) {
                events.add(new SseEvent(event, data.toString()));
            }
            event = null;
            data = null;
        } else if (line.startsWith("data:")) {
            String value = value(line, 5);
            data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            if (data.length() > MAX_EVENT_BYTES) {
                throw new EventTooLarge();
            }
        } else if (line.startsWith("event:")) {
            event = value(line, 6);
        }
    }

    private static String value(String line, int from) {
        return line.length() > from && line.charAt(from) == ' ' ? line.substring(from + 1) : line.substring(from);
    }

    private void append(byte[] chunk) {
        if (length + chunk.length > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, length + chunk.length));
        }
        System.arraycopy(chunk, 0, pending, length, chunk.length);
        length += chunk.length;
    }
}
