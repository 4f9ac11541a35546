package dev.caravan.reload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads one edited route file into the running Camel context. Camel's own reload would leave a
 * file's routes removed when their new version fails to start, so this one keeps the text of
 * the last version that loaded and puts it back on any failure: parse errors, unknown EIPs or
 * options, endpoints that cannot be created. Routes deleted from the file are removed.
 */
final class RouteReloader {

    private static final Logger log = LoggerFactory.getLogger(RouteReloader.class);

    private final Supplier<CamelContext> camelContext;
    private final Map<Path, String> loaded = new ConcurrentHashMap<>();

    RouteReloader(Supplier<CamelContext> camelContext) {
        this.camelContext = camelContext;
    }

    /** Remembers the version a file had when Caravan started, the one to go back to. */
    void remember(Path file) {
        try {
            loaded.put(file, Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            log.warn("{}: cannot be read: {}", file, e.getMessage());
        }
    }

    /** @return true when the file's new version serves now */
    boolean reload(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            log.warn("{}: cannot be read: {}; the previous version keeps serving", file, e.getMessage());
            return false;
        }
        String previous = loaded.get(file);
        if (text.equals(previous)) {
            return false;
        }
        CamelContext camel = camelContext.get();
        Set<String> before = routesOf(camel, file);
        try {
            Set<String> now = update(camel, file, text);
            before.removeAll(now);
            for (String gone : before) {
                camel.getRouteController().stopRoute(gone);
                camel.removeRoute(gone);
            }
            loaded.put(file, text);
            log.info("Reloaded {}: routes {}{}", file, now, before.isEmpty() ? "" : ", removed " + before);
            return true;
        } catch (Exception e) {
            log.warn("{}:{}: {}; rejected, the previous version keeps serving", file, LoadProblems.line(e, text),
                    LoadProblems.problem(e));
            restore(camel, file, previous);
            return false;
        }
    }

    private static Set<String> update(CamelContext camel, Path file, String text) throws Exception {
        Resource resource = ResourceHelper.fromString("file:" + file, text);
        return PluginHelper.getRoutesLoader(camel).updateRoutes(Set.of(resource));
    }

    private static void restore(CamelContext camel, Path file, String previous) {
        if (previous == null) {
            return;
        }
        try {
            update(camel, file, previous);
        } catch (Exception e) {
            log.error("{}: its previous version failed to load again", file, e);
        }
    }

    /** The routes that came from this file, by where Camel says each was loaded from. */
    private static Set<String> routesOf(CamelContext camel, Path file) {
        Set<String> ids = new HashSet<>();
        for (Route route : camel.getRoutes()) {
            Resource source = route.getSourceResource();
            if (source != null && sameFile(source.getLocation(), file)) {
                ids.add(route.getRouteId());
            }
        }
        return ids;
    }

    private static boolean sameFile(String location, Path file) {
        String path = location.startsWith("file:") ? location.substring(5) : location;
        return Path.of(path).toAbsolutePath().normalize().equals(file.toAbsolutePath().normalize());
    }
}
