package dev.caravan.triggers;

import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The file inboxes of config/application.yaml ({@code caravan.triggers.inboxes.<name>.*}); each
 * inbox also has a route in routes/triggers.camel.yaml that watches its directory.
 */
@ConfigurationProperties("caravan.triggers")
public record InboxSettings(Map<String, Inbox> inboxes) {

    public InboxSettings {
        inboxes = inboxes == null ? Map.of() : Map.copyOf(inboxes);
    }

    /**
     * @param apiKey      the inference key every line of this inbox is charged to
     * @param concurrency lines of one file in flight at once
     */
    public record Inbox(boolean enabled, Path directory, Path outbox, Path processed, String apiKey, int concurrency) {
    }

    Inbox inbox(String name) {
        Inbox inbox = inboxes.get(name);
        if (inbox == null) {
            throw new IllegalArgumentException("No inbox '" + name + "' under caravan.triggers.inboxes");
        }
        return inbox;
    }
}
