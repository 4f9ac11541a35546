package dev.caravan.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * Anthropic's and Gemini's HTTP APIs on 127.0.0.1, answering with the golden fixtures of
 * src/test/resources/providers/: {@code /anthropic/v1/messages} and
 * {@code /gemini/v1beta/models/{model}:generateContent|streamGenerateContent}. The upstream model
 * name picks the fixture: {@code text} answers text.json (or text.sse for a stream);
 * {@code 529-overloaded} answers overloaded.json with status 529. SSE fixtures are sent event by event.
 * Gemini's {@code :batchEmbedContents} is answered the same way ({@code embed} answers embed.json).
 */
public final class FixtureUpstream {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, Recorded> last = new ConcurrentHashMap<>();

    /** One request as the upstream saw it. */
    public record Recorded(String path, Map<String, String> headers, JsonNode body) {
    }

    public FixtureUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "fixture-upstream");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/anthropic/v1/messages", exchange -> {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            String model = body.path("model").asText();
            answer(exchange, "anthropic", model, body, body.path("stream").asBoolean());
        });
        server.createContext("/gemini/v1beta/models/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String model = path.substring(path.lastIndexOf('/') + 1, path.indexOf(':'));
            answer(exchange, "gemini", model, JSON.readTree(exchange.getRequestBody()),
                    path.endsWith(":streamGenerateContent"));
        });
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public Recorded last(String provider, String model) {
        return last.get(provider + "/" + model);
    }

    private void answer(HttpExchange exchange, String provider, String model, JsonNode body, boolean stream)
            throws IOException {
        Map<String, String> headers = new ConcurrentHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
        String query = exchange.getRequestURI().getRawQuery();
        last.put(provider + "/" + model, new Recorded(exchange.getRequestURI().getPath()
                + (query == null ? "" : "?" + query), headers, body));
        int dash = model.indexOf('-');
        boolean failing = dash > 0 && model.substring(0, dash).chars().allMatch(Character::isDigit);
        int status = failing ? Integer.parseInt(model.substring(0, dash)) : 200;
        String fixture = provider + "/" + (failing ? model.substring(dash + 1) : model);
        try (exchange) {
            if (status == 200 && stream) {
                sse(exchange, Golden.bytes(fixture + ".sse"));
            } else {
                byte[] bytes = Golden.bytes(fixture + ".json");
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        }
    }

    private static void sse(HttpExchange exchange, byte[] fixture) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        String[] events = new String(fixture, java.nio.charset.StandardCharsets.UTF_8).split("\n\n");
        for (String event : events) {
            if (!event.isBlank()) {
                out.write((event + "\n\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.flush();
            }
        }
    }
}
