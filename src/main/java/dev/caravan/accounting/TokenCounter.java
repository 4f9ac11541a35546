package dev.caravan.accounting;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingResult;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Counts tokens with OpenAI's o200k encoding, for upstreams that report no usage (the count is
 * then marked estimated) and for the simulator, whose token counts are exact by this measure.
 */
public final class TokenCounter {

    private static final Encoding O200K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

    /** Overhead OpenAI's chat format adds per message (role and separators). */
    private static final int PER_MESSAGE = 3;

    private TokenCounter() {
    }

    public static int count(String text) {
        return text == null || text.isEmpty() ? 0 : O200K.countTokensOrdinary(text);
    }

    /**
     * The longest start of {@code text} that is at most {@code maxTokens} tokens: what a model that
     * was stopped by max_tokens had written. Cut on a token boundary, then shortened in the rare case
     * where the cut re-encodes into more tokens, so that counting it never exceeds the limit.
     */
    public static String prefix(String text, int maxTokens) {
        if (maxTokens <= 0 || text == null || text.isEmpty()) {
            return "";
        }
        EncodingResult cut = O200K.encodeOrdinary(text, maxTokens);
        if (!cut.isTruncated()) {
            return text;
        }
        String prefix = O200K.decode(cut.getTokens());
        while (count(prefix) > maxTokens) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        return prefix;
    }

    /** Prompt tokens of an OpenAI {@code messages} array: the text of each message plus its framing. */
    public static int countMessages(JsonNode messages) {
        int total = 0;
        for (JsonNode message : messages) {
            total += PER_MESSAGE + count(message.path("role").asText());
            JsonNode content = message.path("content");
            if (content.isTextual()) {
                total += count(content.asText());
            } else if (content.isArray()) {
                for (JsonNode part : content) {
                    total += count(part.path("text").asText(""));
                }
            }
        }
        return total;
    }
}
