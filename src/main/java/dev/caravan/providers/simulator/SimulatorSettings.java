package dev.caravan.providers.simulator;

import java.util.function.UnaryOperator;

/**
 * How the simulator behaves: set per provider in the catalog, overridden per request by the
 * {@code X-Caravan-Sim-*} test headers.
 *
 * @param latencyMs        wait before the first token
 * @param tokensPerSecond  pace of the answer after the first token (0 = all at once)
 * @param errorRate        share of requests answered with a 503 before any token
 * @param failAfterTokens  a stream breaks after this many tokens (null = never)
 * @param completionTokens answer length when max_tokens does not cut it first
 */
public record SimulatorSettings(int latencyMs, double tokensPerSecond, double errorRate, Integer failAfterTokens,
                                int completionTokens) {

    public static final SimulatorSettings DEFAULT = new SimulatorSettings(150, 80, 0, null, 24);

    public static final String HEADER_PREFIX = "X-Caravan-Sim-";

    /** Applies the per-request headers ({@code X-Caravan-Sim-Latency-Ms} and friends) that are present. */
    public SimulatorSettings overriddenBy(UnaryOperator<String> header) {
        String latency = header.apply(HEADER_PREFIX + "Latency-Ms");
        String pace = header.apply(HEADER_PREFIX + "Tokens-Per-Second");
        String errors = header.apply(HEADER_PREFIX + "Error-Rate");
        String failAfter = header.apply(HEADER_PREFIX + "Fail-After-Tokens");
        String length = header.apply(HEADER_PREFIX + "Completion-Tokens");
        return new SimulatorSettings(
                latency == null ? latencyMs : Integer.parseInt(latency.trim()),
                pace == null ? tokensPerSecond : Double.parseDouble(pace.trim()),
                errors == null ? errorRate : Double.parseDouble(errors.trim()),
                failAfter == null ? failAfterTokens : Integer.valueOf(failAfter.trim()),
                length == null ? completionTokens : Integer.parseInt(length.trim()));
    }
}
