package dev.caravan.api;

import java.util.Locale;

/** Maps any provider's finish reason onto OpenAI's five; the raw value travels as native_finish_reason. */
public final class FinishReasons {

    private FinishReasons() {
    }

    public static String normalize(String nativeReason) {
        if (nativeReason == null) {
            return null;
        }
        return switch (nativeReason.toLowerCase(Locale.ROOT)) {
            case "stop", "end_turn", "stop_sequence", "eos", "end" -> "stop";
            case "length", "max_tokens", "model_length" -> "length";
            case "tool_calls", "tool_use", "function_call" -> "tool_calls";
            case "content_filter", "safety", "recitation", "blocklist", "prohibited_content", "spii",
                 "refusal" -> "content_filter";
            case "error" -> "error";
            default -> "stop";
        };
    }
}
