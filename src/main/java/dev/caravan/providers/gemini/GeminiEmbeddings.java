package dev.caravan.providers.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;
import dev.caravan.api.ApiException;
import dev.caravan.embeddings.EmbeddingAnswers;
import dev.caravan.embeddings.EmbeddingRequest;
import dev.caravan.providers.WireCalls;
import dev.caravan.routing.Attempt;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The embeddings-gemini route's beans: POST {base_url}/models/{model}:batchEmbedContents, one
 * request per input, {@code dimensions} as {@code outputDimensionality}. Gemini reports no token
 * counts for embeddings, so the inputs are counted here (the usage is marked estimated).
 */
@Component("geminiEmbeddings")
public class GeminiEmbeddings {

    public void prepareRequest(Exchange exchange) throws Exception {
        Attempt attempt = exchange.getProperty(Attempt.PROPERTY, Attempt.class);
        EmbeddingRequest request = exchange.getProperty(EmbeddingRequest.PROPERTY, EmbeddingRequest.class);
        if (request.hasTokenInputs()) {
            throw ApiException.invalidRequest("Gemini embeds text only; send 'input' as strings", "input");
        }
        String model = attempt.endpoint().upstreamModel();
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode requests = body.putArray("requests");
        for (JsonNode input : request.inputs()) {
            ObjectNode one = requests.addObject().put("model", "models/" + model);
            one.putObject("content").putArray("parts").addObject().put("text", input.asText());
            if (request.dimensions() != null) {
                one.put("outputDimensionality", request.dimensions());
            }
        }
        String url = attempt.provider().baseUrl() + "/models/" + model + ":batchEmbedContents";
        WireCalls.prepare(exchange, url, url, false, Json.MAPPER.writeValueAsBytes(body),
                GeminiWire.keyHeader(attempt.provider()));
    }

    public void readResponse(Exchange exchange) throws Exception {
        List<JsonNode> vectors = new ArrayList<>();
        WireCalls.readJson(exchange, GeminiErrors.READER).path("embeddings")
                .forEach(embedding -> vectors.add(embedding.path("values")));
        EmbeddingAnswers.respond(exchange, vectors, null);
    }
}
