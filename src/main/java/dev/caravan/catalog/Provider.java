package dev.caravan.catalog;

import dev.caravan.providers.simulator.SimulatorSettings;

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
        @Override
        public String toString() {
            return "ProviderKey[***]";
        }
    }
}
