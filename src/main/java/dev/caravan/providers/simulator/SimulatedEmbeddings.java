package dev.caravan.providers.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.accounting.Usage;
import dev.caravan.embeddings.EmbeddingAnswers;
import dev.caravan.embeddings.EmbeddingRequest;
import dev.caravan.routing.Attempt;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The embeddings-simulator route's bean: a unit vector drawn from a seed that is the hash of the
 * upstream model and the input, so the same input always gets the same vector, of
 * {@code dimensions} numbers ({@value #DEFAULT_DIMENSIONS} by default). Usage is exact by the
 * o200k count, like the simulator's chat.
 */
@Component("simulatedEmbeddings")
public class SimulatedEmbeddings {

    static final int DEFAULT_DIMENSIONS = 256;
    static final int MAX_DIMENSIONS = 8192;

    public void serve(Exchange exchange) throws Exception {
        Attempt attempt = exchange.getProperty(Attempt.PROPERTY, Attempt.class);
        EmbeddingRequest request = exchange.getProperty(EmbeddingRequest.PROPERTY, EmbeddingRequest.class);
        int dimensions = Math.min(request.dimensions() == null ? DEFAULT_DIMENSIONS : request.dimensions(), MAX_DIMENSIONS);
        List<JsonNode> vectors = new ArrayList<>();
        for (JsonNode input : request.inputs()) {
            vectors.add(EmbeddingAnswers.array(vector(attempt.endpoint().upstreamModel(),
                    EmbeddingRequest.text(input), dimensions)));
        }
        long tokens = EmbeddingAnswers.promptTokens(request);
        EmbeddingAnswers.respond(exchange, vectors, new Usage(tokens, 0, 0, 0, 0, false));
    }

    static float[] vector(String model, String text, int dimensions) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest((model + "\n" + text).getBytes(StandardCharsets.UTF_8));
        SplittableRandom random = new SplittableRandom(ByteBuffer.wrap(digest).getLong());
        float[] vector = new float[dimensions];
        double norm = 0;
        for (int i = 0; i < dimensions; i++) {
            vector[i] = (float) (random.nextDouble() * 2 - 1);
            norm += vector[i] * vector[i];
        }
        double length = Math.sqrt(norm);
        for (int i = 0; i < dimensions; i++) {
            vector[i] = (float) (vector[i] / length);
        }
        return vector;
    }
}
