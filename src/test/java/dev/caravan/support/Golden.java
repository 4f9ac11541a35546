package dev.caravan.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;
import dev.caravan.catalog.Endpoint;
import dev.caravan.catalog.Pricing;
import dev.caravan.catalog.Provider;
import dev.caravan.catalog.Timeouts;
import dev.caravan.providers.StreamDecoder;
import dev.caravan.stream.SseDecoder;
import dev.caravan.stream.SseEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Golden files under src/test/resources/providers/: fixtures shaped like real provider traffic,
 * and the translation Caravan is expected to make of them. Run with {@code -Dgolden.update=true}
 * to write missing or changed expectations, then review them in the diff like code.
 */
public final class Golden {

    private static final Path ROOT = Path.of("src/test/resources/providers");

    private Golden() {
    }

    public static byte[] bytes(String path) {
        try {
            return Files.readAllBytes(ROOT.resolve(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode json(String path) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(bytes(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Feeds an SSE fixture, cut into small pieces as a network would, through a decoder until it ends. */
    public static ArrayNode decode(String ssePath, StreamDecoder decoder) {
        ArrayNode chunks = Json.MAPPER.createArrayNode();
        SseDecoder sse = new SseDecoder();
        byte[] all = bytes(ssePath);
        for (int from = 0; from < all.length; from += 37) {
            byte[] piece = java.util.Arrays.copyOfRange(all, from, Math.min(all.length, from + 37));
            for (SseEvent event : sse.feed(piece)) {
                List<ObjectNode> decoded = decoder.decode(event);
                if (decoded == null) {
                    return chunks;
                }
                decoded.forEach(chunks::add);
            }
        }
        return chunks;
    }

    public static void assertMatches(String expectedPath, JsonNode actual) {
        Path file = ROOT.resolve(expectedPath);
        try {
            if (Boolean.getBoolean("golden.update")) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(actual) + "\n");
            }
            assertThat(Files.exists(file)).as("golden file %s (run with -Dgolden.update=true)", file).isTrue();
            // compared as parsed text: a long and an int of one value are different nodes, not different JSON
            assertThat(Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(actual)))
                    .as("translation compared with %s", file).isEqualTo(Json.MAPPER.readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An endpoint of the given wire format supporting the usual parameters, 8192 completion tokens at most. */
    public static Endpoint endpoint(String wireFormat, String upstreamModel) {
        Provider provider = new Provider(wireFormat, wireFormat, wireFormat, "http://127.0.0.1:1", null, null, null,
                null, Timeouts.DEFAULT, null);
        Pricing pricing = new Pricing(new BigDecimal("0.000003"), new BigDecimal("0.000015"), BigDecimal.ZERO,
                BigDecimal.ZERO, null, null);
        return new Endpoint(provider, upstreamModel, pricing, 8192, null, 200000,
                List.of("temperature", "top_p", "top_k", "max_tokens", "stop", "seed", "tools", "tool_choice",
                        "response_format", "reasoning"), null, null);
    }
}
