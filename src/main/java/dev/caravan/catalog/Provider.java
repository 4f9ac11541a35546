package dev.caravan.catalog;

import dev.caravan.providers.simulator.SimulatorSettings;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An upstream that serves models. Its key comes from the environment variable the catalog
 * names; a provider that needs a key and has none is not routable.
 */
public record Provider(String slug, String name, String wireFormat, String baseUrl, String apiKeyEnv,
                       ProviderKey key, String privacyPolicyUrl, String statusPageUrl,
                       Timeouts timeouts, SimulatorSettings simulator) {

    public boolean routable() {
        return apiKeyEnv == null || key != null;
    }

    /** Holds the secret so that no record's toString, log line or error can print it. */
    public record ProviderKey(String value) {

        /**
         * Every provider key loaded, for {@link #redact}. Too short a value (a placeholder such as
         * "x" for a local server that checks none) is no secret, and blanking it would garble text.
         */
        private static final Set<String> LOADED = ConcurrentHashMap.newKeySet();
        private static final int SHORTEST_SECRET = 8;

        public ProviderKey {
            if (value.length() >= SHORTEST_SECRET) {
                LOADED.add(value);
            }
        }

        /**
         * The text with every provider key in it blanked: an upstream's own error message, passed on
         * to the client, may quote the credentials Caravan sent it.
         */
        public static String redact(String text) {
            for (String key : LOADED) {
                text = text.replace(key, "***");
            }
            return text;
        }

        @Override
        public String toString() {
            return "ProviderKey[***]";
        }
    }
}
