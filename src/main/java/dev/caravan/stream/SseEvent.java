package dev.caravan.stream;

/** One server-sent event: its {@code event:} name (null when absent) and its {@code data:} payload. */
public record SseEvent(String event, String data) {
}
