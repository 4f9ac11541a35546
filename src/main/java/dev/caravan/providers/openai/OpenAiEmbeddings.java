package dev.caravan.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;
import dev.caravan.accounting.Usage;
import dev.caravan.catalog.Provider;
import dev.caravan.embeddings.EmbeddingAnswers;
import dev.caravan.embeddings.EmbeddingRequest;
import dev.caravan.providers.UpstreamErrors;
import dev.caravan.providers.UpstreamException;
import dev.caravan.providers.WireCalls;
import dev.caravan.routing.Attempt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The embeddings-openai route's beans: POST {base_url}/embeddings. The client's fields go as they
 * came, but for the upstream's model name and the end user, hashed as for chat.
 */
@Component("openAiEmbeddings")
public class OpenAiEmbeddings {

    public void prepareRequest(Exchange exchange) throws Exception {
        Attempt attempt = exchange.getProperty(Attempt.PROPERTY, Attempt.class);
        EmbeddingRequest request = exchange.getProperty(EmbeddingRequest.PROPERTY, EmbeddingRequest.class);
        Provider provider = attempt.provider();
        ObjectNode body = Json.MAPPER.createObjectNode().put("model", attempt.endpoint().upstreamModel());
        body.set("input", request.body().get("input"));
        body.put("encoding_format", request.encodingFormat());
        if (request.dimensions() != null) {
            body.put("dimensions", request.dimensions());
        }
        if (request.body().path("user").isTextual()) {
            body.put("user", WireCalls.hashUser(request.body().get("user").asText()));
        }
        Map<String, String> headers = provider.key() == null ? Map.of()
                : Map.of("Authorization", "Bearer " + provider.key().value());
        String url = provider.baseUrl() + "/embeddings";
        WireCalls.prepare(exchange, url, url, false, Json.MAPPER.writeValueAsBytes(body), headers);
    }

    /** The vectors in input order (an upstream may list them in any order, each with its index). */
    public void readResponse(Exchange exchange) throws Exception {
        String provider = exchange.getProperty(Attempt.PROPERTY, Attempt.class).provider().name();
        ObjectNode answer = WireCalls.readJson(exchange, UpstreamErrors.DEFAULT);
        JsonNode data = answer.path("data");
        List<JsonNode> vectors = new ArrayList<>();
        data.forEach(item -> vectors.add(null));
        for (JsonNode item : data) {
            int index = item.path("index").asInt(-1);
            if (index < 0 || index >= vectors.size() || vectors.get(index) != null) {
                throw UpstreamException.invalidResponse(provider, "embeddings with missing or repeated indexes");
            }
            vectors.set(index, item.path("embedding"));
        }
        EmbeddingAnswers.respond(exchange, vectors, Usage.fromOpenAi(answer.get("usage")));
    }
}
