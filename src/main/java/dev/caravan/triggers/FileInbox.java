package dev.caravan.triggers;

import dev.caravan.Json;
import dev.caravan.api.ApiException;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The file inbox routes' step: answers the JSONL file the route picked up ({@link JsonlBatch}),
 * charging the inbox's own key. A file whose batch was stopped fails its exchange, so the file
 * consumer leaves it in the inbox and the next start resumes it.
 * <p>
 * Stopping: this lifecycle stops before Camel does (a higher phase), so running batches stop
 * reading, finish the lines already sent and write them while the chat route still serves.
 */
@Component("fileInbox")
public class FileInbox implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FileInbox.class);
    /** The exchange property the inbox route sets to its inbox's name. */
    public static final String INBOX = "inbox";

    private final InboxSettings settings;
    private final ChatPipeline pipeline;
    private final ObjectProvider<MeterRegistry> registry;
    private final AtomicInteger running = new AtomicInteger();
    private volatile boolean started;
    private volatile boolean stopping;

    public FileInbox(InboxSettings settings, ChatPipeline pipeline, ObjectProvider<MeterRegistry> registry) {
        this.settings = settings;
        this.pipeline = pipeline;
        this.registry = registry;
        settings.inboxes().forEach((name, inbox) -> {
            if (inbox.enabled() && (inbox.apiKey() == null || inbox.apiKey().isBlank())) {
                log.warn("Inbox {} has no key: its lines will be answered 401 until caravan.triggers.inboxes.{}.api-key is set",
                        name, name);
            }
        });
    }

    public void answer(Exchange exchange) throws Exception {
        String name = exchange.getProperty(INBOX, String.class);
        InboxSettings.Inbox inbox = settings.inbox(name);
        Path file = Path.of(exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class));
        running.incrementAndGet();
        try {
            JsonlBatch.Outcome outcome = new JsonlBatch(name, file, inbox.outbox(), inbox.concurrency(),
                    line -> answer(line, inbox.apiKey()), () -> stopping, registry.getIfAvailable()).run();
            if (outcome.alreadyAnswered()) {
                log.warn("Batch {}/{}: its results are already in {}; not answered again", name, file.getFileName(),
                        inbox.outbox());
            } else {
                log.info("Batch {}/{}: done, {} lines ({} answered now) in {}", name, file.getFileName(), outcome.lines(),
                        outcome.answeredNow(), inbox.outbox().resolve(file.getFileName()));
            }
        } finally {
            running.decrementAndGet();
        }
    }

    private String answer(BatchLine line, String apiKey) {
        if (line.problem() != null) {
            return BatchResult.failed(line, line.problem());
        }
        try {
            if (apiKey == null || apiKey.isBlank()) {
                throw new ApiException(401, "authentication", "This inbox has no API key to charge: set its api-key");
            }
            return BatchResult.of(line, pipeline.call(Json.MAPPER.writeValueAsBytes(line.request()), apiKey, Map.of()));
        } catch (ApiException e) {
            return BatchResult.failed(line, e);
        } catch (Exception e) {
            log.error("Batch line {} failed unexpectedly", line.number(), e);
            return BatchResult.failed(line, new ApiException(500, "internal_error", "Caravan failed to process the line"));
        }
    }

    @Override
    public void start() {
        stopping = false;
        started = true;
    }

    @Override
    public void stop() {
        stopping = true;
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (running.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        started = false;
    }

    @Override
    public boolean isRunning() {
        return started;
    }

    /** Stops before Camel (SpringCamelContext's phase is lower), while the chat route still answers. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
