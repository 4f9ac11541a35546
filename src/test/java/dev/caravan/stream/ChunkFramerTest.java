package dev.caravan.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.api.ApiException;
import dev.caravan.api.Stamp;
import dev.caravan.catalog.Pricing;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What the framer writes around an upstream's chunks.
 * Cases: every chunk of a stream, the usage and error chunks made here included, carries the
 * created of the stream's first chunk, whether the upstream stamps its chunks or not.
 */
class ChunkFramerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pricing PRICING = new Pricing(new BigDecimal("0.000001"), new BigDecimal("0.000002"),
            BigDecimal.ZERO, BigDecimal.ZERO, null, null);
    /** Caravan's clock when the stream began: a second before the upstream's first chunk. */
    private static final long CARAVAN_CREATED = 1_700_000_000L;

    private static ChunkFramer framer() {
        return new ChunkFramer(new Stamp("gen-1", "test/model", "Test", CARAVAN_CREATED), PRICING, () -> 3);
    }

    private static ObjectNode chunk(Long created, String content) {
        ObjectNode chunk = JSON.createObjectNode();
        if (created != null) {
            chunk.put("created", created);
        }
        chunk.putArray("choices").addObject().put("index", 0).putObject("delta").put("content", content);
        return chunk;
    }

    private static long created(byte[] event) throws Exception {
        String data = new String(event, StandardCharsets.UTF_8);
        JsonNode chunk = JSON.readTree(data.substring("data: ".length()));
        return chunk.path("created").asLong();
    }

    @Test
    void everyChunkCarriesTheCreatedOfTheFirstUpstreamChunk() throws Exception {
        ChunkFramer framer = framer();
        long first = CARAVAN_CREATED + 1;

        assertThat(created(framer.frame(chunk(first, "Hello")))).isEqualTo(first);
        assertThat(created(framer.frame(chunk(first + 1, " there")))).isEqualTo(first);
        assertThat(created(framer.errorChunk(ApiException.invalidRequest("broken", null)))).isEqualTo(first);
        assertThat(created(framer.usageChunk())).isEqualTo(first);
    }

    @Test
    void chunksWithoutACreatedAllGetCaravansOwn() throws Exception {
        ChunkFramer framer = framer();

        assertThat(created(framer.frame(chunk(null, "Hello")))).isEqualTo(CARAVAN_CREATED);
        assertThat(created(framer.usageChunk())).isEqualTo(CARAVAN_CREATED);
    }
}
