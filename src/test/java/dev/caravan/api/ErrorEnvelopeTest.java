package dev.caravan.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.support.HttpTestBase;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;

/**
 * Every failure answers with the error envelope and the right 4xx/5xx, never a trace or a default body.
 * Cases: requests Tomcat cannot parse, malformed JSON (also with content after it), JSON past the
 * parser's limits, not an object, wrong types and integers out of range (a 64-bit seed is valid),
 * malformed tools, tool_choice, reasoning, logit_bias, user, parallel_tool_calls, content parts
 * and assistant tool_calls (each shape OpenAI accepts still passes), missing/empty messages, bad
 * roles, missing and unknown model, a model with no key, a prompt plus max_tokens over the
 * context (400 context_length_exceeded; 404 no_endpoints when the model has no endpoint to try
 * anyway), body over the limit (413), wrong content type (415), unknown
 * path (404; 503 with Retry-After while the routes are not up), wrong method (405), and upstream
 * failures: 500, 503, 429 (Retry-After kept), 401 (the operator's key: 502), 400 (the provider's
 * message), an invalid body, a timeout (504) and a refused connection (502), none echoing the
 * upstream body.
 */
class ErrorEnvelopeTest extends HttpTestBase {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "malformed JSON          | {\"model\": | 400 | invalid_request | ",
        "content after the JSON  | {\"model\":\"test/sim\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} xyz | 400 | invalid_request | ",
        "two JSON objects        | {\"model\":\"test/sim\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} {} | 400 | invalid_request | ",
        "not an object           | [1,2]       | 400 | invalid_request | ",
        "missing messages        | {\"model\":\"test/sim\"} | 400 | invalid_request | messages",
        "empty messages          | {\"model\":\"test/sim\",\"messages\":[]} | 400 | invalid_request | messages",
        "messages not an array   | {\"model\":\"test/sim\",\"messages\":\"hi\"} | 400 | invalid_request | messages",
        "unknown role            | {\"model\":\"test/sim\",\"messages\":[{\"role\":\"boss\",\"content\":\"x\"}]} | 400 | invalid_request | messages[0].role",
        "content a number        | {\"model\":\"test/sim\",\"messages\":[{\"role\":\"user\",\"content\":5}]} | 400 | invalid_request | messages[0].content",
        "temperature a string    | {\"model\":\"test/sim\",\"temperature\":\"hot\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_request | temperature",
        "stream a string         | {\"model\":\"test/sim\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_request | stream",
        "max_tokens zero         | {\"model\":\"test/sim\",\"max_tokens\":0,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_request | max_tokens",
        "max_tokens past 32 bits | {\"model\":\"test/sim\",\"max_tokens\":2147483648,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_request | max_tokens",
        "n over OpenAI's 128     | {\"model\":\"test/sim\",\"n\":129,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_request | n",
        "seed past 64 bits       | {\"model\":\"test/sim\",\"seed\":9223372036854775808,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_request | seed",
        "tool an empty object     | {\"model\":\"test/sim\",\"tools\":[{}],\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_request | tools[0].type",
        "tool a number            | {\"model\":\"test/sim\",\"tools\":[1],\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_request | tools[0]",
        "tools an object          | {\"model\":\"test/sim\",\"tools\":{\"type\":\"function\"},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_request | tools",
        "tool without function    | {\"model\":\"test/sim\",\"tools\":[{\"type\":\"function\"}],\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_request | tools[0].function",
        "tool with an empty name  | {\"model\":\"test/sim\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"\"}}],\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_request | tools[0].function.name",
        "tool parameters a string | {\"model\":\"test/sim\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":\"x\"}}],\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_request | tools[0].function.parameters",
        "tool_choice unknown      | {\"model\":\"test/sim\",\"tool_choice\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_request | tool_choice",
        "tool_choice a number     | {\"model\":\"test/sim\",\"tool_choice\":1,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_request | tool_choice",
        "tool_choice without name | {\"model\":\"test/sim\",\"tool_choice\":{\"type\":\"function\",\"function\":{}},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_request | tool_choice.function.name",
        "reasoning a string       | {\"model\":\"test/sim\",\"reasoning\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_request | reasoning",
        "reasoning effort unknown | {\"model\":\"test/sim\",\"reasoning\":{\"effort\":\"max\"},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_request | reasoning.effort",
        "reasoning max_tokens text | {\"model\":\"test/sim\",\"reasoning\":{\"max_tokens\":\"many\"},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_request | reasoning.max_tokens",
        "logit_bias a string      | {\"model\":\"test/sim\",\"logit_bias\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_request | logit_bias",
        "logit_bias value a string | {\"model\":\"test/sim\",\"logit_bias\":{\"50256\":\"x\"},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_request | logit_bias.50256",
        "user a number            | {\"model\":\"test/sim\",\"user\":1,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_request | user",
        "parallel_tool_calls text | {\"model\":\"test/sim\",\"parallel_tool_calls\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_request | parallel_tool_calls",
        "content part a number    | {\"model\":\"test/sim\",\"messages\":[{\"role\":\"user\",\"content\":[1]}]} | 400 | invalid_request | messages[0].content[0]",
        "content part empty       | {\"model\":\"test/sim\",\"messages\":[{\"role\":\"user\",\"content\":[{}]}]} | 400 | invalid_request | messages[0].content[0].type",
        "content part unknown     | {\"model\":\"test/sim\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"video\",\"video\":{}}]}]} | 400 | invalid_request | messages[0].content[0].type",
        "text part a number       | {\"model\":\"test/sim\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":1}]}]} | 400 | invalid_request | messages[0].content[0].text",
        "image part without url   | {\"model\":\"test/sim\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":\"x\"}]}]} | 400 | invalid_request | messages[0].content[0].image_url",
        "tool_calls a number      | {\"model\":\"test/sim\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"assistant\",\"content\":null,\"tool_calls\":1}]} | 400 | invalid_request | messages[1].tool_calls",
        "tool call without name   | {\"model\":\"test/sim\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\",\"function\":{\"arguments\":\"{}\"}}]}]} | 400 | invalid_request | messages[1].tool_calls[0].function.name",
        "tool call args an object | {\"model\":\"test/sim\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":{}}}]}]} | 400 | invalid_request | messages[1].tool_calls[0].function.arguments",
        "model a number          | {\"model\":7,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_request | model",
        "missing model           | {\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_request | model",
        "unknown model           | {\"model\":\"nobody/nothing\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | model_not_found | model",
        "prompt over the context | {\"model\":\"test/sim\",\"max_tokens\":100000,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | 400 | context_length_exceeded | messages",
        "no key, also too long   | {\"model\":\"test/locked\",\"max_tokens\":100000,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 404 | no_endpoints | model",
        "model without a key     | {\"model\":\"test/locked\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 404 | no_endpoints | model",
    })
    void badRequests(String name, String body, int status, String type, String param) {
        HttpResponse<String> response = post("/chat/completions", body);

        JsonNode error = assertEnvelope(response, status, type);
        assertThat(error.path("param").isNull() ? null : error.path("param").asText()).isEqualTo(param);
        if (type.equals("invalid_request") && param != null) {
            assertThat(error.path("message").asText()).contains("'" + param + "'");
        }
        assertThat(response.headers().firstValue("X-Generation-Id")).isPresent();
    }

    @Test
    void aSeedPast32BitsIsAValidSeed() {
        // OpenAI takes any 64-bit seed; SDK users send random or time-based ones
        String body = "{\"model\":\"test/sim\",\"seed\":1796521942123,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
        assertThat(post("/chat/completions", body).statusCode()).isEqualTo(200);
    }

    @Test
    void everyShapeOpenAiAcceptsStillPasses() {
        // the checks above must not refuse what OpenAI takes: a named tool_choice, each part type, an
        // assistant turn of tool calls answered by a tool message, and null wherever OpenAI allows it
        String tools = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"description\":\"d\","
                + "\"parameters\":{\"type\":\"object\"},\"strict\":true}}]";
        String parts = "[{\"type\":\"text\",\"text\":\"x\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/a.png\",\"detail\":\"low\"}},"
                + "{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"AAAA\",\"format\":\"wav\"}},"
                + "{\"type\":\"file\",\"file\":{\"filename\":\"a.pdf\",\"file_data\":\"data:application/pdf;base64,AAAA\"}}]";
        String turns = "[{\"role\":\"user\",\"content\":" + parts + "},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":[{\"type\":\"text\",\"text\":\"done\"}]},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"refusal\",\"refusal\":\"no\"}],\"tool_calls\":null},"
                + "{\"role\":\"user\",\"content\":\"again\"}]";
        String named = "{\"model\":\"test/sim\"," + tools + ",\"tool_choice\":{\"type\":\"function\",\"function\":"
                + "{\"name\":\"f\"}},\"parallel_tool_calls\":false,\"reasoning\":{\"effort\":\"low\",\"exclude\":true},"
                + "\"logit_bias\":{\"50256\":-100,\"13\":2.5},\"user\":\"u-1\",\"messages\":" + turns + "}";
        String nulls = "{\"model\":\"test/sim\",\"tools\":null,\"tool_choice\":null,\"parallel_tool_calls\":null,"
                + "\"reasoning\":null,\"logit_bias\":null,\"user\":null,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";

        HttpResponse<String> answer = post("/chat/completions", named);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        for (String choice : new String[] {"none", "auto", "required"}) {
            String body = "{\"model\":\"test/sim\"," + tools + ",\"tool_choice\":\"" + choice
                    + "\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
            assertThat(post("/chat/completions", body).statusCode()).as(choice).isEqualTo(200);
        }
        assertThat(post("/chat/completions", nulls).statusCode()).isEqualTo(200);
    }

    @Test
    void jsonBeyondTheParsersLimitsIs400() {
        // Jackson refuses nesting deeper than 1,000 and numbers longer than 1,000 digits, with no location
        String deep = "{\"model\":\"test/sim\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"x\":"
                + "[".repeat(2_000) + "]".repeat(2_000) + "}";
        String longNumber = "{\"model\":\"test/sim\",\"seed\":" + "9".repeat(2_000)
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
        assertThat(assertEnvelope(post("/chat/completions", deep), 400, "invalid_request").path("message").asText())
                .startsWith("The request body is not valid JSON");
        assertThat(assertEnvelope(post("/chat/completions", longNumber), 400, "invalid_request").path("message").asText())
                .startsWith("The request body is not valid JSON");
    }

    @Test
    void bodyOverTheLimitIs413() {
        String big = "{\"model\":\"test/sim\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "a".repeat(1_100_000) + "\"}]}";
        assertEnvelope(post("/chat/completions", big), 413, "payload_too_large");
    }

    @Test
    void chunkedBodyOverTheLimitIs413() {
        String big = "{\"model\":\"test/sim\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "a".repeat(1_100_000) + "\"}]}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/chat/completions"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + inferenceKey())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes())))
                .build();
        assertEnvelope(send(request), 413, "payload_too_large");
    }

    @Test
    void wrongContentTypeIs415() {
        HttpResponse<String> response = post("/chat/completions", "model=x", "Content-Type", "application/x-www-form-urlencoded");
        assertEnvelope(response, 415, "invalid_request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "br", "deflate, gzip"})
    void aCompressedBodyIs415(String encoding) {
        // the body is plain JSON: labelled compressed, it must not be read as if it were not
        HttpResponse<String> response = post("/chat/completions", chat("test/sim", false), "Content-Encoding", encoding);
        JsonNode error = assertEnvelope(response, 415, "invalid_request");
        assertThat(error.path("message").asText()).contains("Content-Encoding");
    }

    @Test
    void anIdentityContentEncodingIsPlainJson() {
        assertThat(post("/chat/completions", chat("test/sim", false), "Content-Encoding", "identity").statusCode())
                .isEqualTo(200);
    }

    @Test
    void unknownPathIs404() {
        assertEnvelope(get("/no/such/thing"), 404, "not_found");
        assertEnvelope(post("/chat/completion", chat("test/sim", false)), 404, "not_found");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "a request line that is not HTTP | GARBAGE",
        "a character not allowed in a URI | GET /api/v1/mo<dels HTTP/1.1",
        "a broken percent-encoding        | GET /api/v1/models/%zz/x/endpoints HTTP/1.1",
        "HTTP/1.1 without Host            | GET /api/v1/models HTTP/1.1",
    })
    void requestsTomcatCannotParseGetTheEnvelope(String name, String requestLine) throws Exception {
        assertRawEnvelope(requestLine + "\r\n\r\n", 400, "invalid_request");
    }

    @Test
    void aQueryStringThatCannotBeDecodedIs400() {
        // Tomcat decodes the query string when Camel reads the parameters, before any route runs
        assertEnvelope(get("/generation?id=%00%ff"), 400, "invalid_request");
    }

    @Test
    void headersOverTheLimitAndAnUnreadableContentLengthGetTheEnvelope() throws Exception {
        assertRawEnvelope("GET /api/v1/models HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n",
                400, "invalid_request");
        assertRawEnvelope("POST /api/v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: twelve\r\n\r\n{}", 400, "invalid_request");
    }

    /** Sends raw bytes (what no HTTP client would send) and reads the answer to the end: Tomcat closes after a 400. */
    private void assertRawEnvelope(String request, int status, String type) throws Exception {
        String answer;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase(Locale.ROOT);
        String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
        assertThat(head).as(answer).startsWith("http/1.1 " + status).contains("content-type: application/json");
        JsonNode error = json(body).path("error");
        assertThat(error.path("code").asInt()).as(body).isEqualTo(status);
        assertThat(error.path("type").asText()).isEqualTo(type);
        assertThat(body).doesNotContain("<html", "Tomcat", "Exception");
    }

    @Test
    void routePathBeforeTheRoutesStartIs503WithRetryAfter(@Autowired ApplicationContext context) {
        // a start in progress: the port is open, Camel has not loaded the routes, Spring Boot has not
        // declared the application ready. An existing route is still served here, so an unknown path
        // stands for a route not yet loaded.
        AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
        try {
            HttpResponse<String> response = post("/chat/completion", chat("test/sim", false));
            assertEnvelope(response, 503, "service_unavailable");
            assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        } finally {
            AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
        }
        assertEnvelope(post("/chat/completion", chat("test/sim", false)), 404, "not_found");
    }

    @Test
    void wrongMethodIs405() {
        assertEnvelope(get("/chat/completions"), 405, "invalid_request");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "mock/status-500 | 502 | provider_unavailable",
        "mock/status-503 | 503 | provider_overloaded",
        "mock/status-429 | 429 | rate_limit_exceeded",
        "mock/status-401 | 502 | provider_unavailable",
        "mock/status-400 | 400 | invalid_request",
        "mock/garbage    | 502 | provider_unavailable",
        "mock/slow       | 504 | timeout",
        "test/dead       | 502 | provider_unavailable",
    })
    void upstreamFailures(String model, int status, String type) {
        for (boolean stream : new boolean[] {false, true}) {
            HttpResponse<String> response = post("/chat/completions", chat(model, stream));

            JsonNode error = assertEnvelope(response, status, type);
            assertThat(response.body()).doesNotContain("upstream says no (5", "<html>", UPSTREAM_KEY);
            if (status == 429) {
                assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
            }
            if (model.equals("mock/status-400")) {
                assertThat(error.path("message").asText()).contains("upstream says no (400)");
            }
        }
    }

    private static JsonNode assertEnvelope(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/json"));
        JsonNode error = json(response.body()).path("error");
        assertThat(error.path("code").isInt()).as(response.body()).isTrue();
        assertThat(error.path("code").asInt()).isEqualTo(status);
        assertThat(error.path("type").asText()).isEqualTo(type);
        assertThat(error.path("metadata").path("error_type").asText()).isEqualTo(type);
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception", "\tat ", "Whitelabel", "timestamp");
        return error;
    }
}
