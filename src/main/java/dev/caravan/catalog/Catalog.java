package dev.caravan.catalog;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An immutable snapshot of config/models.yaml; a reload swaps in a new one. */
public final class Catalog {

    private final Map<String, Provider> providers = new LinkedHashMap<>();
    private final Map<String, Model> models = new LinkedHashMap<>();

    Catalog(List<Provider> providers, List<Model> models) {
        providers.forEach(p -> this.providers.put(p.slug(), p));
        models.forEach(m -> this.models.put(m.id(), m));
    }

    public Collection<Provider> providers() {
        return providers.values();
    }

    public Collection<Model> models() {
        return models.values();
    }

    public Model model(String id) {
        return models.get(id);
    }
}
