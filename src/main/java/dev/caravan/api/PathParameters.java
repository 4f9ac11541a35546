package dev.caravan.api;

import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.springframework.web.util.UriUtils;

/**
 * The path parameters of the REST routes ({@code {author}} in /models/{author}/{slug}/endpoints)
 * as the client meant them. platform-http passes them on as they stood in the request line, still
 * percent-encoded: {@code caravan/sim-small%3Afree} (JavaScript's encodeURIComponent encodes the
 * ':' of a variant) would name no model.
 */
public final class PathParameters {

    private PathParameters() {
    }

    /** The decoded parameter, or null when the route has none of that name. */
    public static String decoded(Exchange exchange, String name) {
        String raw = exchange.getMessage().getHeader(name, String.class);
        if (raw == null) {
            return null;
        }
        try {
            return UriUtils.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notEncodedRight) {
            throw ApiException.invalidRequest("The path segment '" + raw + "' is not valid percent-encoding", null);
        }
    }
}
