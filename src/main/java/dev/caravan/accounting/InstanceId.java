package dev.caravan.accounting;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * This instance's name ({@code caravan.instance-id}) in the reservations and generation records it
 * writes. Checked at start: a name longer than its columns would fail every reserve, and so every
 * request, with a 500.
 */
@Component
public class InstanceId {

    static final int MAX_LENGTH = 100;

    private final String value;

    public InstanceId(@Value("${caravan.instance-id}") String value) {
        if (value.isBlank() || value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("caravan.instance-id must be 1 to " + MAX_LENGTH
                    + " characters (every reservation records it), got " + value.length() + ": '" + value + "'");
        }
        this.value = value;
    }

    public String value() {
        return value;
    }
}
