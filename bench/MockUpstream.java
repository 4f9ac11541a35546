import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A mock upstream for Caravan's benchmark: OpenAI's POST /v1/chat/completions, and the same answers
 * in Anthropic's and Gemini's native shapes (for bench/translation).
 *
 * <pre>java -Dsun.net.httpserver.nodelay=true bench/MockUpstream.java PORT LATENCY_MS [CHUNKS [INTERVAL_MS]]</pre>
 *
 * JSON: a chat.completion with usage, LATENCY_MS after the request arrived.
 * Body containing "stream":true: SSE, a first chunk (role + first token) after LATENCY_MS, then CHUNKS
 * content chunks (default 20) INTERVAL_MS apart (default 20), a finish_reason "stop" chunk, a usage
 * chunk (choices []) and data: [DONE].
 *
 * The same content, with the same latency and chunk settings, in the other two wire formats:
 * <ul>
 * <li>POST /v1/messages (Anthropic Messages): JSON a {@code message}; with "stream":true the events
 *   message_start, content_block_start and the first content_block_delta ("Hello") together after
 *   LATENCY_MS, then CHUNKS content_block_delta events INTERVAL_MS apart, then content_block_stop,
 *   message_delta (stop_reason end_turn, usage) and message_stop.
 * <li>POST /v1beta/models/{model}:generateContent (Gemini): JSON a GenerateContentResponse;
 *   :streamGenerateContent?alt=sse: one response per event, the first ("Hello") after LATENCY_MS,
 *   then CHUNKS INTERVAL_MS apart, then a last one with finishReason STOP and the final usage.
 * </ul>
 * Every format carries the same text ("Hello" + " token1".." tokenCHUNKS" when streaming, "Hello from
 * the mock upstream." as JSON) and the same token counts.
 *
 * Nothing blocks a thread while "the model thinks": waits are timers on a small scheduler, and the
 * answer is written from the timer thread after the handler has returned (the JDK server keeps the
 * exchange open until it is closed). So 1,000 open streams cost 1,000 sockets, not 1,000 threads.
 * All threads are daemons: the process ends when main's latch is interrupted or the JVM is killed.
 */
public class MockUpstream {

    /** Share of JSON requests answered with a 500 after the same latency (-Dmock.failPercent=30), for bench/failover. */
    static final int FAIL_PERCENT = Integer.getInteger("mock.failPercent", 0);

    static int latencyMs;
    static int chunks;
    static int intervalMs;
    static ScheduledExecutorService timers;

    public static void main(String[] args) throws Exception {
        // Without TCP_NODELAY every small write waits for the peer's delayed ACK (~40 ms).
        // ServerConfig reads this once, when the server classes load, so set it before.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        int port = Integer.parseInt(args[0]);
        latencyMs = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        chunks = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        intervalMs = args.length > 3 ? Integer.parseInt(args[3]) : 20;

        timers = Executors.newScheduledThreadPool(4, daemon("mock-timer"));
        // Handlers only read the request and either answer (0 ms, JSON) or arm a timer, so a modest
        // pool is enough; it is fixed so that a burst cannot create threads without bound.
        ExecutorService handlers = Executors.newFixedThreadPool(64, daemon("mock-handler"));

        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 4096);
        server.createContext("/v1/chat/completions", exchange -> handle(exchange, Format.OPENAI));
        server.createContext("/v1/messages", exchange -> handle(exchange, Format.ANTHROPIC));
        server.createContext("/v1beta/models/", exchange -> handle(exchange, Format.GEMINI));
        server.setExecutor(handlers);
        server.start();
        System.out.println("mock upstream on 127.0.0.1:" + port + " latency=" + latencyMs + "ms chunks=" + chunks
                + " interval=" + intervalMs + "ms");
        Thread.currentThread().join(); // main is the only non-daemon thread: killing the JVM ends it
    }

    /** The wire format a request came in: which shape its answer takes. */
    enum Format { OPENAI, ANTHROPIC, GEMINI }

    static void handle(HttpExchange exchange, Format format) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(405, -1);
            exchange.close();
            return;
        }
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        boolean stream = format == Format.GEMINI
                ? exchange.getRequestURI().getPath().endsWith(":streamGenerateContent")
                : body.contains("\"stream\":true") || body.contains("\"stream\": true");
        boolean fail = FAIL_PERCENT > 0 && java.util.concurrent.ThreadLocalRandom.current().nextInt(100) < FAIL_PERCENT;
        Runnable answer = stream ? () -> startStream(exchange, format) : fail ? () -> fail(exchange)
                : () -> json(exchange, format);
        if (latencyMs <= 0 && !stream) {
            answer.run();
        } else {
            timers.schedule(answer, latencyMs, TimeUnit.MILLISECONDS);
        }
    }

    static void json(HttpExchange exchange, Format format) {
        byte[] body = (switch (format) {
            case OPENAI -> "{\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion\",\"created\":" + now()
                    + ",\"model\":\"mock-model\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                    + "\"content\":\"Hello from the mock upstream.\"},\"finish_reason\":\"stop\"}],"
                    + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":7,\"total_tokens\":17}}";
            case ANTHROPIC -> "{\"id\":\"msg_mock\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"mock-model\","
                    + "\"content\":[{\"type\":\"text\",\"text\":\"Hello from the mock upstream.\"}],"
                    + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
                    + "\"usage\":{\"input_tokens\":10,\"output_tokens\":7}}";
            case GEMINI -> "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hello from the mock upstream.\"}],"
                    + "\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],"
                    + geminiUsage(7) + ",\"modelVersion\":\"mock-model\",\"responseId\":\"mock\"}";
        }).getBytes(StandardCharsets.UTF_8);
        respond(exchange, 200, body);
    }

    static void fail(HttpExchange exchange) {
        respond(exchange, 500, "{\"error\":{\"message\":\"mock failure\",\"code\":500}}".getBytes(StandardCharsets.UTF_8));
    }

    static void respond(HttpExchange exchange, int status, byte[] body) {
        try {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (IOException clientLeft) {
            exchange.close();
        }
    }

    static void startStream(HttpExchange exchange, Format format) {
        try {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            exchange.sendResponseHeaders(200, 0); // 0 = chunked
            // the first event(s) carry the role and the first token, so time to first token = latency
            send(exchange, first(format));
            next(exchange, format, 1);
        } catch (IOException clientLeft) {
            exchange.close();
        }
    }

    /** Sends content chunk i (1..chunks) after the interval, then the end of the stream. */
    static void next(HttpExchange exchange, Format format, int i) {
        timers.schedule(() -> {
            try {
                if (i <= chunks) {
                    send(exchange, token(format, " token" + i));
                    next(exchange, format, i + 1);
                    return;
                }
                OutputStream out = exchange.getResponseBody();
                out.write(last(format));
                out.close();
            } catch (IOException clientLeft) {
                exchange.close();
            }
        }, intervalMs, TimeUnit.MILLISECONDS);
    }

    /** What a stream starts with, up to and including the first token ("Hello"). */
    static byte[] first(Format format) {
        return switch (format) {
            case OPENAI -> chunk("{\"role\":\"assistant\",\"content\":\"Hello\"}", "null");
            case ANTHROPIC -> ("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_mock\","
                    + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"mock-model\",\"content\":[],"
                    + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}\n\n"
                    + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
                    + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
                    + new String(token(format, "Hello"), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            case GEMINI -> gemini("Hello", "", 1);
        };
    }

    /** One content event carrying {@code text}. */
    static byte[] token(Format format, String text) {
        return switch (format) {
            case OPENAI -> chunk("{\"content\":\"" + text + "\"}", "null");
            case ANTHROPIC -> ("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + text + "\"}}\n\n").getBytes(StandardCharsets.UTF_8);
            case GEMINI -> gemini(text, "", text.startsWith(" token") ? Integer.parseInt(text.substring(6)) + 1 : 1);
        };
    }

    /** The end of a stream: the finish reason, the usage and the format's end marker. */
    static byte[] last(Format format) {
        return switch (format) {
            case OPENAI -> (new String(chunk("{}", "\"stop\""), StandardCharsets.UTF_8)
                    + "data: {\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion.chunk\",\"created\":" + now()
                    + ",\"model\":\"mock-model\",\"choices\":[],\"usage\":{\"prompt_tokens\":10,"
                    + "\"completion_tokens\":" + (chunks + 1) + ",\"total_tokens\":" + (chunks + 11) + "}}\n\n"
                    + "data: [DONE]\n\n").getBytes(StandardCharsets.UTF_8);
            case ANTHROPIC -> ("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
                    + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                    + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + (chunks + 1) + "}}\n\n"
                    + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n").getBytes(StandardCharsets.UTF_8);
            case GEMINI -> gemini("", ",\"finishReason\":\"STOP\"", chunks + 1);
        };
    }

    /** One Gemini stream event: a GenerateContentResponse with the usage so far. */
    static byte[] gemini(String text, String finish, int completionTokens) {
        return ("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"" + text + "\"}],\"role\":\"model\"}"
                + finish + ",\"index\":0}]," + geminiUsage(completionTokens)
                + ",\"modelVersion\":\"mock-model\",\"responseId\":\"mock\"}\n\n").getBytes(StandardCharsets.UTF_8);
    }

    static String geminiUsage(int completionTokens) {
        return "\"usageMetadata\":{\"promptTokenCount\":10,\"candidatesTokenCount\":" + completionTokens
                + ",\"totalTokenCount\":" + (completionTokens + 10) + "}";
    }

    static void send(HttpExchange exchange, byte[] event) throws IOException {
        OutputStream out = exchange.getResponseBody();
        out.write(event);
        out.flush(); // one HTTP chunk per event, on the wire now
    }

    static byte[] chunk(String delta, String finishReason) {
        return ("data: {\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion.chunk\",\"created\":" + now()
                + ",\"model\":\"mock-model\",\"choices\":[{\"index\":0,\"delta\":" + delta
                + ",\"finish_reason\":" + finishReason + "}]}\n\n").getBytes(StandardCharsets.UTF_8);
    }

    static long now() {
        return System.currentTimeMillis() / 1000;
    }

    static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
