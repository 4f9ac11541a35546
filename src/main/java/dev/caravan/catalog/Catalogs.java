package dev.caravan.catalog;

import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Holds the catalog in force. It is loaded when the application starts, so a broken catalog
 * stops start-up with the loader's file:line message instead of serving wrong prices. Reloaded
 * when the file changes (dev.caravan.reload), a broken version is rejected the same way and the
 * catalog in force keeps serving.
 */
@Component
public class Catalogs {

    private static final Logger log = LoggerFactory.getLogger(Catalogs.class);

    private final Path file;
    private final CatalogLoader loader;
    private volatile Catalog current;

    public Catalogs(@Value("${caravan.catalog:config/models.yaml}") String file, Environment environment) {
        this.file = Path.of(file);
        this.loader = new CatalogLoader(environment::resolveRequiredPlaceholders, environment::getProperty);
        this.current = loader.load(this.file);
        log.info("Catalog {}: {} models from {} providers, {} routable ({})", file, current.models().size(),
                current.providers().size(), current.models().stream().filter(Model::routable).count(),
                current.providers().stream().filter(Provider::routable).map(Provider::slug).toList());
    }

    public Catalog current() {
        return current;
    }

    public Path file() {
        return file;
    }

    /** @return true when the file's new version serves now */
    public boolean reload() {
        try {
            current = loader.load(file);
            log.info("Catalog {} reloaded: {} models from {} providers", file, current.models().size(),
                    current.providers().size());
            return true;
        } catch (CatalogException e) {
            log.warn("{}; rejected, the previous catalog keeps serving", e.getMessage());
            return false;
        }
    }
}
