package dev.caravan.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.Set;

/**
 * OpenAI's own JSON Schemas (src/test/resources/spec/chat-schemas.json, copied from shared/spec):
 * every chat response, stream chunk and model list Caravan sends must validate. Formats are
 * annotations only, which covers the spec's custom {@code unixtime}.
 */
public final class ChatSchemas {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(false).build();

    public static final JsonSchema COMPLETION = schema("CreateChatCompletionResponse");
    public static final JsonSchema CHUNK = schema("CreateChatCompletionStreamResponse");
    public static final JsonSchema MODELS = schema("ListModelsResponse");

    private ChatSchemas() {
    }

    public static void assertValid(JsonSchema schema, JsonNode json) {
        Set<ValidationMessage> errors = schema.validate(json);
        assertThat(errors).as("schema errors in %s", json).isEmpty();
    }

    private static JsonSchema schema(String name) {
        return FACTORY.getSchema(SchemaLocation.of("classpath:spec/chat-schemas.json#/$defs/" + name), CONFIG);
    }
}
