package dev.caravan.catalog;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A YAML mapping that knows where it came from, so that every complaint about the catalog names
 * the file, the line and the field ({@code config/models.yaml:42: models[3].endpoints[0].pricing:
 * missing}). Scalars are kept as text: prices become exact decimals, never doubles.
 */
final class YamlNode {

    private final String file;
    private final String path;
    private final Node node;
    private final Map<String, Node> fields = new LinkedHashMap<>();
    private final UnaryOperator<String> placeholders;

    YamlNode(String file, String path, Node node, UnaryOperator<String> placeholders) {
        this.file = file;
        this.path = path;
        this.node = node;
        this.placeholders = placeholders;
        if (!(node instanceof MappingNode mapping)) {
            throw error(node, path, "expected a mapping");
        }
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode key) {
                fields.put(key.getValue(), tuple.getValueNode());
            }
        }
    }

    void allowOnly(Set<String> names) {
        for (String name : fields.keySet()) {
            if (!names.contains(name)) {
                throw error(fields.get(name), child(name), "unknown field (allowed: " + String.join(", ", names) + ")");
            }
        }
    }

    boolean has(String name) {
        Node value = fields.get(name);
        return value != null && !(value instanceof ScalarNode s && isNull(s));
    }

    String text(String name) {
        String value = optText(name);
        if (value == null || value.isBlank()) {
            throw error(name, "missing");
        }
        return value;
    }

    /**
     * A required text no longer than {@code maxLength}: names and ids every generation record stores,
     * in columns of that width (one too long would fail every record of its requests).
     */
    String text(String name, int maxLength) {
        String value = text(name);
        if (value.length() > maxLength) {
            throw error(name, "at most " + maxLength + " characters, got " + value.length());
        }
        return value;
    }

    String optText(String name) {
        if (!has(name)) {
            return null;
        }
        Node value = fields.get(name);
        if (!(value instanceof ScalarNode scalar)) {
            throw error(value, child(name), "expected a single value");
        }
        try {
            return placeholders.apply(scalar.getValue());
        } catch (IllegalArgumentException unresolved) {
            throw error(value, child(name), unresolved.getMessage());
        }
    }

    int integer(String name, Integer fallback) {
        String value = fallback == null ? text(name) : optText(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw error(fields.get(name), child(name), "expected a whole number, got '" + value + "'");
        }
    }

    BigDecimal decimal(String name, BigDecimal fallback) {
        String value = fallback == null ? text(name) : optText(name);
        if (value == null) {
            return fallback;
        }
        try {
            BigDecimal decimal = new BigDecimal(value.trim());
            if (decimal.signum() < 0) {
                throw error(fields.get(name), child(name), "must not be negative");
            }
            return decimal;
        } catch (NumberFormatException e) {
            throw error(fields.get(name), child(name), "expected a number, got '" + value + "'");
        }
    }

    YamlNode object(String name) {
        if (!has(name)) {
            throw error(name, "missing");
        }
        return new YamlNode(file, child(name), fields.get(name), placeholders);
    }

    List<YamlNode> objects(String name) {
        List<YamlNode> result = new ArrayList<>();
        List<Node> items = sequence(name);
        for (int i = 0; i < items.size(); i++) {
            result.add(new YamlNode(file, child(name) + "[" + i + "]", items.get(i), placeholders));
        }
        return result;
    }

    List<String> strings(String name, List<String> fallback) {
        if (!has(name)) {
            if (fallback == null) {
                throw error(name, "missing");
            }
            return fallback;
        }
        List<String> result = new ArrayList<>();
        for (Node item : sequence(name)) {
            if (!(item instanceof ScalarNode scalar)) {
                throw error(item, child(name), "expected a list of values");
            }
            result.add(scalar.getValue());
        }
        return List.copyOf(result);
    }

    CatalogException error(String field, String problem) {
        return error(fields.getOrDefault(field, node), child(field), problem);
    }

    private List<Node> sequence(String name) {
        Node value = fields.get(name);
        if (value == null) {
            throw error(name, "missing");
        }
        if (!(value instanceof SequenceNode sequence)) {
            throw error(value, child(name), "expected a list");
        }
        return sequence.getValue();
    }

    private String child(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private CatalogException error(Node at, String where, String problem) {
        return new CatalogException(file + ":" + (at.getStartMark().getLine() + 1) + ": " + where + ": " + problem);
    }

    private static boolean isNull(ScalarNode scalar) {
        String value = scalar.getValue();
        return scalar.getTag().getValue().endsWith(":null") || value.equals("~") || value.isEmpty();
    }
}
