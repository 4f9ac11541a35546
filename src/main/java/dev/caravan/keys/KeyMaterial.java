package dev.caravan.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** New keys, their SHA-256 hash (the only form stored) and their masked label. */
public final class KeyMaterial {

    public static final String PREFIX = "sk-car-v1-";

    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyMaterial() {
    }

    public static String generate() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return PREFIX + HexFormat.of().formatHex(secret);
    }

    public static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Enough to recognise a key in a list, not enough to use it: {@code sk-car-v1-3f2...a9c}. */
    public static String label(String key) {
        int head = Math.min(key.length() / 3, PREFIX.length() + 3);
        int tail = Math.min(3, key.length() / 4);
        return key.substring(0, head) + "..." + key.substring(key.length() - tail);
    }
}
