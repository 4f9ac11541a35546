package dev.caravan.reload;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A {@code file:dir/*.yaml} entry of camel.main.routes-include-pattern; classpath entries cannot change. */
record RouteFilePattern(Path directory, String glob) {

    static List<RouteFilePattern> parse(String patterns) {
        List<RouteFilePattern> parsed = new ArrayList<>();
        for (String pattern : patterns.split(",")) {
            String trimmed = pattern.trim();
            if (!trimmed.startsWith("file:")) {
                continue;
            }
            Path path = Path.of(trimmed.substring(5));
            Path directory = path.getParent() == null ? Path.of(".") : path.getParent();
            parsed.add(new RouteFilePattern(directory, path.getFileName().toString()));
        }
        return parsed;
    }
}
