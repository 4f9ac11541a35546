package dev.caravan.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible upstream on 127.0.0.1 for tests, played by the JDK's HTTP server. What it
 * does is chosen by the upstream model name the request carries (see {@link #handle}); it
 * records each request and, for streams, whether and when the caller went away.
 */
public final class MockUpstream implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, Recorded> lastByModel = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    /** What one request looked like, and for streams, how it ended. */
    public static final class Recorded {
        public final Map<String, String> headers = new ConcurrentHashMap<>();
        public volatile JsonNode body;
        public volatile long finishedNanos;
        public volatile long brokenNanos;
        /** The caller's port: requests on one kept-alive connection share it. */
        public volatile int callerPort;
        public final CountDownLatch done = new CountDownLatch(1);
    }

    public MockUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "mock-upstream");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/v1/chat/completions", this::handle);
        server.createContext("/v1/embeddings", this::embeddings);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public Recorded last(String model) {
        return lastByModel.get(model);
    }

    /** Makes the {@code flaky} behaviour fail with a 500 (true) or answer (false). */
    public void failing(String model, boolean fail) {
        if (fail) {
            failing.add(model);
        } else {
            failing.remove(model);
        }
    }

    public int calls(String model) {
        return calls.getOrDefault(model, new AtomicInteger()).get();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /**
     * Behaviour by upstream model name: {@code echo} answers JSON (or a stream) with usage;
     * {@code no-usage} omits usage; {@code status-NNN} fails with that status, its message quoting the
 * Authorization header it got; {@code garbage}
     * answers a body that is not JSON; {@code slow} waits 3 s; {@code drip} streams 20 chunks
     * 100 ms apart; {@code late} streams after 1 s of silence; {@code stream-error} sends two chunks
     * then an error event, {@code stream-error-early} only a chunk with the role and empty content, then the error; {@code stall} sends headers, then
     * nothing for 3 s; {@code linger} ends its body 3 s after its {@code [DONE]}; {@code breaker-*}
     * always fails with a 500, {@code flaky} while {@link #failing} says so.
     */
    private void handle(HttpExchange exchange) throws IOException {
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        String model = body.path("model").asText();
        calls.computeIfAbsent(model, m -> new AtomicInteger()).incrementAndGet();
        Recorded recorded = new Recorded();
        exchange.getRequestHeaders().forEach((name, values) -> recorded.headers.put(name.toLowerCase(), values.get(0)));
        recorded.body = body;
        recorded.callerPort = exchange.getRemoteAddress().getPort();
        lastByModel.put(model, recorded);
        try {
            if (model.startsWith("breaker-") || failing.contains(model)) {
                send(exchange, 500, "{\"error\":{\"message\":\"always failing\"}}");
            } else if (model.startsWith("status-")) {
                int status = Integer.parseInt(model.substring(7));
                if (status == 429) {
                    exchange.getResponseHeaders().add("Retry-After", "1");
                }
                // as some upstreams do, the message quotes the credentials it was sent
                send(exchange, status, "{\"error\":{\"message\":\"upstream says no (" + status + ") to "
                        + recorded.headers.get("authorization") + "\",\"code\":" + status + "}}");
            } else if (model.equals("garbage")) {
                send(exchange, 200, "<html>not json</html>");
            } else if (model.equals("slow")) {
                sleep(3000);
                send(exchange, 200, completion(model, true));
            } else if (body.path("stream").asBoolean()) {
                stream(exchange, model, recorded);
            } else {
                send(exchange, 200, completion(model, !model.equals("no-usage")));
            }
        } finally {
            recorded.finishedNanos = System.nanoTime();
            recorded.done.countDown();
            exchange.close();
        }
    }

    /**
     * POST /embeddings: input i gets the vector [i + 1, 0.5, 0.25], listed last input first (an
     * upstream may order them so), as base64 float32s when asked; 5 prompt tokens an input.
     */
    private void embeddings(HttpExchange exchange) throws IOException {
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        Recorded recorded = new Recorded();
        exchange.getRequestHeaders().forEach((name, values) -> recorded.headers.put(name.toLowerCase(), values.get(0)));
        recorded.body = body;
        lastByModel.put(body.path("model").asText(), recorded);
        JsonNode input = body.path("input");
        int count = input.isTextual() || input.path(0).isIntegralNumber() ? 1 : input.size();
        boolean base64 = body.path("encoding_format").asText().equals("base64");
        StringBuilder data = new StringBuilder();
        for (int i = count - 1; i >= 0; i--) {
            float[] vector = {i + 1, 0.5f, 0.25f};
            String embedding;
            if (base64) {
                java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(12).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                for (float value : vector) {
                    bytes.putFloat(value);
                }
                embedding = "\"" + java.util.Base64.getEncoder().encodeToString(bytes.array()) + "\"";
            } else {
                embedding = "[" + vector[0] + "," + vector[1] + "," + vector[2] + "]";
            }
            data.append(data.isEmpty() ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i)
                    .append(",\"embedding\":").append(embedding).append('}');
        }
        try (exchange) {
            send(exchange, 200, "{\"object\":\"list\",\"data\":[" + data + "],\"model\":\"" + body.path("model").asText()
                    + "\",\"usage\":{\"prompt_tokens\":" + 5 * count + ",\"total_tokens\":" + 5 * count + "}}");
        }
    }

    private void stream(HttpExchange exchange, String model, Recorded recorded) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        int chunks = model.equals("drip") ? 20 : 3;
        try {
            if (model.equals("late")) {
                sleep(1000);
            }
            if (model.equals("stall")) {
                sleep(3000);
                return;
            }
            for (int i = 0; i < chunks; i++) {
                if (i == 0 && model.equals("stream-error-early")) {
                    event(out, chunk(model, "", null));   // as real upstreams open: the role, no content yet
                }
                if (model.equals("stream-error") && i == 2 || model.equals("stream-error-early")) {
                    event(out, "{\"error\":{\"code\":502,\"message\":\"upstream broke\"}}");
                    return;
                }
                event(out, chunk(model, (i == 0 ? "" : " ") + "word" + i, null));
                if (model.equals("drip")) {
                    sleep(100);
                }
                if (i == 0 && (model.equals("pause") || model.equals("stall-mid"))) {
                    sleep(model.equals("pause") ? 1000 : 3000);   // silent after the first chunk
                }
            }
            event(out, chunk(model, null, "stop"));
            if (!model.equals("no-usage")) {
                event(out, "{\"id\":\"up-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model
                        + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":" + chunks
                        + ",\"total_tokens\":" + (11 + chunks) + "}}");
            }
            event(out, "[DONE]");
            if (model.equals("linger")) {
                sleep(3000);   // the body ends only 3 s after its last event
            }
        } catch (IOException callerLeft) {
            recorded.brokenNanos = System.nanoTime();
        }
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String chunk(String model, String content, String finish) {
        String delta = content == null ? "{}" : "{\"role\":\"assistant\",\"content\":\"" + content + "\"}";
        return "{\"id\":\"up-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
                + (finish == null ? "null" : "\"" + finish + "\"") + "}]}";
    }

    private static String completion(String model, boolean usage) {
        return "{\"id\":\"up-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"" + model + "\","
                + "\"system_fingerprint\":\"fp_mock\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"Hello from the mock\"},\"finish_reason\":\"stop\"}]"
                + (usage ? ",\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":500,\"total_tokens\":1500,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":200}}" : "") + "}";
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
