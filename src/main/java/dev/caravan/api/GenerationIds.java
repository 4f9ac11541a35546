package dev.caravan.api;

import java.util.concurrent.ThreadLocalRandom;

/** {@code gen-<unix seconds>-<20 random characters>}, the shape OpenRouter's ids have. */
public final class GenerationIds {

    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private GenerationIds() {
    }

    public static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder id = new StringBuilder(36).append("gen-").append(System.currentTimeMillis() / 1000).append('-');
        for (int i = 0; i < 20; i++) {
            id.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return id.toString();
    }
}
