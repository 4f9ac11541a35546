package dev.caravan.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fenced blocks of docs/integration-guide.md between {@code <!-- guide: NAME begin -->} and
 * {@code <!-- guide: NAME end -->}, exactly as a reader copies them.
 */
public final class GuideSnippets {

    public static final Path GUIDE = Path.of("docs/integration-guide.md");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private GuideSnippets() {
    }

    public static String get(String name) {
        String guide;
        try {
            guide = Files.readString(GUIDE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int begin = guide.indexOf("<!-- guide: " + name + " begin -->");
        int end = guide.indexOf("<!-- guide: " + name + " end -->");
        if (begin < 0 || end < begin) {
            throw new IllegalStateException(GUIDE + " has no snippet '" + name + "'");
        }
        String block = guide.substring(begin, end);
        int fence = block.indexOf("```");
        return block.substring(block.indexOf('\n', fence) + 1, block.lastIndexOf("```"));
    }

    /** A settings snippet as the flat properties Spring would read from it. */
    public static Map<String, String> properties(String name) {
        try {
            Map<String, String> flat = new LinkedHashMap<>();
            flatten("", YAML.readTree(get(name)), flat);
            return flat;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> flat) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), flat));
        } else {
            flat.put(prefix, node.asText());
        }
    }
}
