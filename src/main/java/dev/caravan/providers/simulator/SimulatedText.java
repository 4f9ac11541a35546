package dev.caravan.providers.simulator;

import dev.caravan.accounting.TokenCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Deterministic answers: the same model and prompt always give the same words. Each word is
 * exactly one o200k token (checked when the class loads), so the completion's token count is
 * the number of words, exact, however the text is streamed.
 */
final class SimulatedText {

    private static final List<String> WORDS = Stream.of(
                    "the", "caravan", "moves", "across", "open", "desert", "under", "clear", "sky", "and",
                    "every", "camel", "carries", "water", "salt", "silk", "spice", "to", "distant", "markets",
                    "where", "traders", "meet", "at", "dawn", "with", "news", "from", "far", "cities",
                    "route", "maps", "show", "wells", "oasis", "palm", "shade", "night", "stars", "guide",
                    "road", "north", "south", "east", "west", "wind", "sand", "stone", "gate", "city",
                    "model", "answer", "token", "request", "provider", "fast", "cheap", "simple", "test", "data")
            .map(word -> " " + word)
            .filter(word -> TokenCounter.count(word) == 1)
            .toList();

    private SimulatedText() {
    }

    static List<String> words(String model, String prompt, int count) {
        SplittableRandom random = new SplittableRandom((model + '\n' + prompt).hashCode());
        List<String> words = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            words.add(WORDS.get(random.nextInt(WORDS.size())));
        }
        return words;
    }
}
