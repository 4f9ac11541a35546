package dev.caravan.reload;

import dev.caravan.catalog.Catalogs;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Looks at the route files ({@code camel.main.routes-include-pattern}) and the catalog every
 * {@code caravan.reload.interval}, and reloads what changed. Polling a handful of files costs
 * nothing and, unlike a watch service, sees edits on every file system and through symlinks.
 */
@Component
public class ConfigWatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);

    private final Catalogs catalogs;
    private final RouteReloader routes;
    private final List<RouteFilePattern> patterns;
    private final boolean enabled;
    private final Duration interval;
    /** Each file as last loaded, and as seen at the last look. */
    private final Map<Path, FileStamp> stamps = new HashMap<>();
    private final Map<Path, FileStamp> pending = new HashMap<>();
    private ScheduledExecutorService timer;

    /**
     * Camel comes through a provider: a lifecycle bean that depended on the context directly would
     * have Spring start Camel before Camel Spring Boot has added the routes.
     */
    public ConfigWatcher(Catalogs catalogs, ObjectProvider<CamelContext> camel,
                         @Value("${camel.main.routes-include-pattern:file:routes/*.yaml}") String routePatterns,
                         @Value("${caravan.reload.enabled:true}") boolean enabled,
                         @Value("${caravan.reload.interval:1s}") Duration interval) {
        this.catalogs = catalogs;
        this.routes = new RouteReloader(camel::getObject);
        this.patterns = RouteFilePattern.parse(routePatterns);
        this.enabled = enabled;
        this.interval = interval;
    }

    @Override
    public void start() {
        if (!enabled) {
            return;
        }
        stamps.put(catalogs.file(), FileStamp.of(catalogs.file()));
        pending.putAll(stamps);
        for (Path file : routeFiles()) {
            stamps.put(file, FileStamp.of(file));
            pending.put(file, stamps.get(file));
            routes.remember(file);
        }
        timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "config-watcher");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        log.info("Watching {} and {} route files for changes", catalogs.file(), stamps.size() - 1);
    }

    /** One look: whatever changed since the last one is reloaded. */
    synchronized void check() {
        try {
            if (changed(catalogs.file())) {
                catalogs.reload();
            }
            for (Path file : routeFiles()) {
                if (changed(file)) {
                    routes.reload(file);
                }
            }
        } catch (RuntimeException e) {
            log.error("Looking for changed configuration failed", e);
        }
    }

    /**
     * A file counts as changed once it has stayed the same for a whole interval after changing:
     * an editor or a copy still writing it would otherwise be read half-written (and rejected).
     */
    private boolean changed(Path file) {
        FileStamp now = FileStamp.of(file);
        FileStamp seen = pending.put(file, now);
        if (!now.exists() || !now.equals(seen) || now.equals(stamps.get(file))) {
            return false;
        }
        stamps.put(file, now);
        return true;
    }

    private List<Path> routeFiles() {
        List<Path> files = new ArrayList<>();
        for (RouteFilePattern pattern : patterns) {
            if (!Files.isDirectory(pattern.directory())) {
                continue;
            }
            try (DirectoryStream<Path> found = Files.newDirectoryStream(pattern.directory(), pattern.glob())) {
                found.forEach(files::add);
            } catch (IOException e) {
                log.warn("{}: cannot be listed: {}", pattern.directory(), e.getMessage());
            }
        }
        files.sort(null);
        return files;
    }

    @Override
    public void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }

    /** Watches only once Camel has started its routes (a lower phase starts earlier). */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1;
    }

    private record FileStamp(boolean exists, long modified, long size) {
        static FileStamp of(Path file) {
            try {
                return new FileStamp(true, Files.getLastModifiedTime(file).toMillis(), Files.size(file));
            } catch (IOException e) {
                return new FileStamp(false, 0, 0);
            }
        }
    }
}
