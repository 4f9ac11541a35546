package dev.caravan.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.support.ChatSchemas;
import dev.caravan.support.HttpTestBase;
import dev.caravan.support.MockUpstream;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Caravan in front of an OpenAI-compatible upstream played by a mock HTTP server on 127.0.0.1.
 * Cases: what the upstream receives (its own model name and key, never the client's key or
 * Caravan's routing fields, a hashed user); the JSON answer (our id and model, pass-through
 * fields, exact cost, X-Generation-Id); usage counted when the upstream reports none; the stream
 * (schema-valid chunks, one usage chunk, [DONE], include_usage asked upstream); incremental
 * delivery; keep-alive comments while the upstream is silent; a mid-stream error; cancellation
 * on client disconnect; and the endpoint's circuit breaker guarding JSON and stream calls alike.
 */
class OpenAiUpstreamTest extends HttpTestBase {

    @Autowired
    private CamelContext camel;

    /** The JSON calls' client is set up by JsonCallConnections (what it does: JsonCallConnectionsTest). */
    @Test
    void jsonCallsGoThroughTheClientJsonCallConnectionsSetsUp() {
        assertThat(post("/chat/completions", chat("mock/echo", false)).statusCode()).isEqualTo(200);

        HttpComponent http = camel.getComponent("http", HttpComponent.class);
        assertThat(http.isAutomaticRetriesDisabled()).isFalse();
        assertThat(http.getHttpClientConfigurer()).isNotNull();
    }

    @Test
    void upstreamGetsItsOwnModelNameAndKeyOnly() {
        post("/chat/completions", "{\"model\":\"mock/echo\",\"user\":\"alice@example.com\",\"session_id\":\"s1\","
                + "\"provider\":{\"sort\":\"price\"},\"models\":[\"mock/echo\"],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "Authorization", "Bearer " + inferenceKey());

        MockUpstream.Recorded request = UPSTREAM.last("echo");
        assertThat(request.headers.get("authorization")).isEqualTo("Bearer " + UPSTREAM_KEY);
        assertThat(request.headers.values()).noneMatch(v -> v.contains(inferenceKey()));
        assertThat(request.body.path("model").asText()).isEqualTo("echo");
        assertThat(request.body.has("provider") || request.body.has("models") || request.body.has("session_id")).isFalse();
        assertThat(request.body.path("user").asText()).hasSize(64).doesNotContain("alice");
    }

    @Test
    void jsonAnswerIsStampedAndPricedExactly() {
        HttpResponse<String> response = post("/chat/completions", chat("mock/echo", false));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response.body());
        ChatSchemas.assertValid(ChatSchemas.COMPLETION, body);
        assertThat(body.path("id").asText()).startsWith("gen-");
        assertThat(response.headers().firstValue("X-Generation-Id")).hasValue(body.path("id").asText());
        // sent with its length, not chunked: one write, and no closing chunk for the client to wait for
        assertThat(response.headers().firstValue("Content-Length"))
                .hasValue(String.valueOf(response.body().getBytes(StandardCharsets.UTF_8).length));
        assertThat(response.headers().firstValue("Transfer-Encoding")).isEmpty();
        assertThat(body.path("model").asText()).isEqualTo("mock/echo");
        assertThat(body.path("provider").asText()).isEqualTo("Mock Upstream");
        assertThat(body.path("system_fingerprint").asText()).isEqualTo("fp_mock");
        assertThat(body.path("choices").get(0).path("native_finish_reason").asText()).isEqualTo("stop");
        // (1000 - 200 cached) x 0.000002 + 200 x 0.0000005 + 500 x 0.00001
        assertThat(body.path("usage").path("cost").decimalValue()).isEqualByComparingTo(new BigDecimal("0.0067"));
        assertThat(response.body()).contains("\"cost\":0.0067");
    }

    @Test
    void usageIsCountedWhenTheUpstreamReportsNone() {
        JsonNode body = json(post("/chat/completions", chat("mock/no-usage", false)).body());

        JsonNode usage = body.path("usage");
        assertThat(usage.path("completion_tokens").asInt()).isEqualTo(4); // "Hello from the mock"
        assertThat(usage.path("prompt_tokens").asInt()).isPositive();
        BigDecimal expected = new BigDecimal("0.000002").multiply(usage.path("prompt_tokens").decimalValue())
                .add(new BigDecimal("0.00004"));
        assertThat(usage.path("cost").decimalValue()).isEqualByComparingTo(expected);
    }

    @Test
    void streamEndsWithOneUsageChunkThenDone() {
        HttpResponse<String> response = post("/chat/completions", chat("mock/echo", true));

        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("text/event-stream"));
        assertThat(UPSTREAM.last("echo").body.path("stream_options").path("include_usage").asBoolean()).isTrue();
        List<String> data = dataLines(response.body());
        assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
        List<JsonNode> chunks = data.subList(0, data.size() - 1).stream().map(HttpTestBase::json).toList();
        chunks.forEach(chunk -> ChatSchemas.assertValid(ChatSchemas.CHUNK, chunk));
        assertThat(chunks).allSatisfy(c -> assertThat(c.path("model").asText()).isEqualTo("mock/echo"));
        assertThat(chunks.stream().filter(c -> c.has("usage"))).hasSize(1);
        JsonNode usage = chunks.get(chunks.size() - 1).path("usage");
        assertThat(chunks.get(chunks.size() - 1).path("choices")).isEmpty();
        // 11 prompt tokens x 0.000002 + 3 completion tokens x 0.00001, as the upstream reported them
        assertThat(usage.path("cost").decimalValue()).isEqualByComparingTo(new BigDecimal("0.000052"));
    }

    @Test
    void consecutiveStreamsShareOneUpstreamConnection() {
        post("/chat/completions", chat("mock/echo", true));
        int first = UPSTREAM.last("echo").callerPort;

        post("/chat/completions", chat("mock/echo", true));

        // the first stream's connection went back to the pool once its body ended, after [DONE]
        assertThat(UPSTREAM.last("echo").callerPort).as("the second stream's connection").isEqualTo(first);
    }

    @Test
    void anUpstreamBodyThatLingersAfterItsLastEventHoldsNeitherTheClientNorItsConnection() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            long started = System.nanoTime();

            send(socket, chat("mock/linger", true));
            assertThat(readUntil(in, "\r\n0\r\n\r\n")).contains("data: [DONE]");
            send(socket, chat("mock/echo", false));   // the next request on the same connection
            readUntil(in, "HTTP/1.1 200");

            // the upstream's body ends 3 s after its [DONE]: that end is awaited only briefly, then
            // the upstream connection is dropped, and the client's connection is free again at once
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(2000);
        }
    }

    @Test
    void firstChunkReachesTheClientBeforeTheUpstreamHasFinished() throws Exception {
        try (Socket socket = openStream("mock/drip")) {
            BufferedReader reader = reader(socket);
            String line = firstContentLine(reader);

            assertThat(line).contains("word");
            assertThat(UPSTREAM.last("drip").done.getCount()).as("upstream still generating").isEqualTo(1);
        }
    }

    @Test
    void keepAliveCommentsWhileTheUpstreamIsSilent() {
        String body = post("/chat/completions", chat("mock/late", true)).body();

        assertThat(body).startsWith(": PROCESSING\n\n");
        assertThat(dataLines(body)).last().isEqualTo("[DONE]");
    }

    @Test
    void keepAliveCommentsBetweenChunksWhenTheUpstreamFallsSilentMidStream() {
        String body = post("/chat/completions", chat("mock/pause", true)).body();

        // the first chunk, then comments while the upstream is silent (1 s, a comment every 300 ms), then the rest
        int firstChunk = body.indexOf("word0");
        int comment = body.indexOf(": PROCESSING", firstChunk);
        assertThat(firstChunk).isPositive();
        assertThat(comment).as(body).isGreaterThan(firstChunk).isLessThan(body.indexOf("word1"));
        List<String> data = dataLines(body);
        assertThat(data).last().isEqualTo("[DONE]");
        data.subList(0, data.size() - 1).forEach(chunk -> ChatSchemas.assertValid(ChatSchemas.CHUNK, json(chunk)));
    }

    @Test
    void anUpstreamSilentMidStreamPastItsIdleTimeoutIsCutOffWithATimeoutChunk() throws Exception {
        // mock-impatient: idle_ms 500; the upstream falls silent for 3 s after its first chunk
        assertCutOffWithATimeoutChunk("stall-mid", "stalled mid-stream");
    }

    @Test
    void midStreamErrorEndsWithAnErrorChunkThenUsageAndDone() {
        HttpResponse<String> response = post("/chat/completions", chat("mock/stream-error", true));

        assertThat(response.statusCode()).isEqualTo(200);
        List<String> data = dataLines(response.body());
        JsonNode error = json(data.get(data.size() - 3));
        assertThat(error.path("error").path("code").isInt()).isTrue();
        assertThat(error.path("choices").get(0).path("finish_reason").asText()).isEqualTo("error");
        assertThat(json(data.get(data.size() - 2)).has("usage")).isTrue();
        assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
    }

    @Test
    void aStreamThatOutlastsTheMaxDurationEndsWithATimeoutAndCancelsTheUpstream() throws Exception {
        // drip streams for 2 s, past caravan.streaming.max-duration (1700 ms here)
        assertCutOffWithATimeoutChunk("drip", "limit of 1700 ms");
    }

    /** The stream ends with a timeout error chunk, usage and [DONE], and the upstream was cut off mid-answer. */
    private void assertCutOffWithATimeoutChunk(String upstreamModel, String why) throws InterruptedException {
        List<String> data = dataLines(post("/chat/completions", chat("mock/" + upstreamModel, true)).body());
        JsonNode error = json(data.get(data.size() - 3));
        assertThat(error.path("error").path("message").asText()).contains(why);
        assertThat(error.path("choices").get(0).path("finish_reason").asText()).isEqualTo("error");
        assertThat(json(data.get(data.size() - 2)).has("usage")).isTrue();
        assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
        MockUpstream.Recorded upstream = UPSTREAM.last(upstreamModel);
        assertThat(upstream.done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(upstream.brokenNanos).as("the upstream saw its caller go before it finished").isPositive();
    }

    @Test
    void clientDisconnectCancelsTheUpstreamWithinOneSecond() throws Exception {
        long left;
        try (Socket socket = openStream("mock/drip")) {
            firstContentLine(reader(socket));
            left = System.nanoTime();
        }
        MockUpstream.Recorded upstream = UPSTREAM.last("drip");
        assertThat(upstream.done.await(5, TimeUnit.SECONDS)).isTrue();

        assertThat(upstream.brokenNanos).as("the upstream saw its caller go").isPositive();
        assertThat(TimeUnit.NANOSECONDS.toMillis(upstream.brokenNanos - left)).isLessThan(1000);
    }

    @Test
    void circuitOpensAfterRepeatedFailuresForJsonAndStreamsAlike() {
        for (boolean stream : new boolean[] {false, true}) {
            String model = stream ? "mock/breaker-stream" : "mock/breaker-json";
            for (int i = 0; i < 5; i++) {
                assertThat(post("/chat/completions", chat(model, stream)).statusCode()).isEqualTo(502);
            }
            HttpResponse<String> refused = post("/chat/completions", chat(model, stream));

            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(json(refused.body()).path("error").path("type").asText()).isEqualTo("provider_overloaded");
            assertThat(UPSTREAM.calls(model.substring(5))).as("the open circuit kept the call away").isEqualTo(5);
        }
        assertThat(post("/chat/completions", chat("mock/echo", false)).statusCode())
                .as("other endpoints keep serving").isEqualTo(200);
    }

    private Socket openStream(String model) throws Exception {
        Socket socket = new Socket("127.0.0.1", port);
        send(socket, chat(model, true));
        return socket;
    }

    private void send(Socket socket, String chat) throws Exception {
        byte[] body = chat.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /api/v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer " + inferenceKey() + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    /** What the socket delivers up to and including the first occurrence of the marker. */
    private static String readUntil(InputStream in, String marker) throws Exception {
        StringBuilder read = new StringBuilder();
        while (read.indexOf(marker) < 0) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("the connection ended before " + marker.strip() + ": " + read);
            }
            read.append((char) b);
        }
        return read.toString();
    }

    private static BufferedReader reader(Socket socket) throws Exception {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    private static String firstContentLine(BufferedReader reader) throws Exception {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.contains("data: ") && line.contains("word1")) {
                return line;
            }
        }
        throw new AssertionError("stream ended without content");
    }
}
