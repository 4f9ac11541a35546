package dev.caravan.reload;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The line and the problem of a route file that failed to load, from Camel's exception chain:
 * the YAML DSL says "line N" for what it cannot parse; a route that fails to start names its
 * route id, whose line is then looked up in the file.
 */
final class LoadProblems {

    private static final Pattern LINE = Pattern.compile("line (\\d+)");
    private static final Pattern ROUTE = Pattern.compile("route(?::| with id)? \\[?([A-Za-z0-9_.-]+)\\]?");

    private LoadProblems() {
    }

    static int line(Throwable failure, String text) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            Matcher line = LINE.matcher(String.valueOf(t.getMessage()));
            if (line.find()) {
                return Integer.parseInt(line.group(1));
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            Matcher route = ROUTE.matcher(String.valueOf(t.getMessage()));
            while (route.find()) {
                int found = lineOf(text, "id: " + route.group(1));
                if (found > 0) {
                    return found;
                }
            }
        }
        return 1;
    }

    /** The deepest message, which names the problem itself rather than what it broke. */
    static String problem(Throwable failure) {
        Throwable deepest = failure;
        while (deepest.getCause() != null && deepest.getCause() != deepest) {
            deepest = deepest.getCause();
        }
        String message = deepest.getMessage() == null ? deepest.getClass().getSimpleName() : deepest.getMessage();
        return message.replaceAll("\\s+", " ").trim();
    }

    private static int lineOf(String text, String needle) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].trim().equals(needle) || lines[i].trim().equals("- " + needle)) {
                return i + 1;
            }
        }
        return 0;
    }
}
