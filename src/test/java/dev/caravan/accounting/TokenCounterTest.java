package dev.caravan.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Cutting text to a number of tokens, as max_tokens cuts a model's answer.
 * Cases: every cut is a start of the text, of exactly that many tokens while the text is longer;
 * text that fits is whole; no tokens allowed is empty.
 */
class TokenCounterTest {

    private static final String JSON = "{\"city\":\" caravan moves\",\"tags\":[\" désert\"],\"days\":42,\"ok\":true}";

    @Test
    void aPrefixIsTheStartOfTheTextInAtMostThatManyTokens() {
        int whole = TokenCounter.count(JSON);
        for (int tokens = 1; tokens < whole; tokens++) {
            String prefix = TokenCounter.prefix(JSON, tokens);
            assertThat(JSON).startsWith(prefix);
            assertThat(TokenCounter.count(prefix)).as("%d tokens", tokens).isEqualTo(tokens);
        }
        assertThat(TokenCounter.prefix(JSON, whole)).isEqualTo(JSON);
        assertThat(TokenCounter.prefix(JSON, whole + 5)).isEqualTo(JSON);
        assertThat(TokenCounter.prefix(JSON, 0)).isEmpty();
    }
}
