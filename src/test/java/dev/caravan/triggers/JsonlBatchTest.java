package dev.caravan.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.Json;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch file on its own, with a stand-in for the pipeline. Cases: results in input order with
 * lines answered concurrently in any order; malformed lines and bodies answered as error lines
 * without losing the others; blank lines skipped; a stop between lines leaves a checkpoint, and
 * the next run answers only the rest (every line exactly once); an incomplete last checkpoint
 * line is cut and answered again; a file whose results exist is not answered again; streaming
 * requests are answered unstreamed; the progress gauges exist while the file runs.
 */
class JsonlBatchTest {

    @TempDir
    Path dir;

    private final Map<Long, AtomicInteger> calls = new ConcurrentHashMap<>();

    /** Echoes the line's first message and its stream flag, after a random pause so lines finish out of order. */
    private final Function<BatchLine, String> echo = line -> {
        calls.computeIfAbsent(line.number(), n -> new AtomicInteger()).incrementAndGet();
        if (line.problem() != null) {
            return BatchResult.failed(line, line.problem());
        }
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String content = line.request().path("messages").path(0).path("content").asText();
        String body = "{\"echo\":\"" + content + "\",\"stream\":" + line.request().path("stream").asBoolean() + "}";
        return BatchResult.of(line, new ChatPipeline.Answer(200, body.getBytes(StandardCharsets.UTF_8), "gen-" + line.number()));
    };

    @Test
    void answersEveryLineInInputOrder() throws Exception {
        Path input = write("in.jsonl", lines(200));

        JsonlBatch.Outcome outcome = batch(input, 8, () -> false).run();

        assertThat(outcome.lines()).isEqualTo(200);
        List<JsonNode> results = results("in.jsonl");
        assertThat(results).hasSize(200);
        for (int i = 0; i < 200; i++) {
            assertThat(results.get(i).path("custom_id").asText()).isEqualTo("req-" + (i + 1));
            assertThat(results.get(i).path("line").asLong()).isEqualTo(i + 1);
            assertThat(results.get(i).path("response").path("body").path("echo").asText()).isEqualTo("q" + (i + 1));
            assertThat(results.get(i).path("error").isNull()).isTrue();
        }
        assertThat(calls.values()).allMatch(n -> n.get() == 1);
        assertThat(dir.resolve("out/in.jsonl.part")).doesNotExist();
    }

    @Test
    void malformedLinesBecomeErrorLinesAndTheOthersAreKept() throws Exception {
        Path input = write("mixed.jsonl", String.join("\n",
                "{\"custom_id\":\"a\",\"body\":{\"messages\":[{\"role\":\"user\",\"content\":\"first\"}]}}",
                "not json at all",
                "",
                "[1, 2]",
                "{\"custom_id\":\"b\",\"body\":\"a string\"}",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"bare\"}],\"stream\":true}") + "\n");

        batch(input, 3, () -> false).run();

        List<JsonNode> results = results("mixed.jsonl");
        // numbered as in the file, the blank line 3 included, so an error points at its line
        assertThat(results).extracting(r -> r.path("line").asInt()).containsExactly(1, 2, 4, 5, 6);
        assertThat(results.get(0).path("response").path("body").path("echo").asText()).isEqualTo("first");
        for (int i : List.of(1, 2, 3)) {
            assertThat(results.get(i).path("response").path("status_code").asInt()).isEqualTo(400);
            assertThat(results.get(i).path("error").path("code").asInt()).isEqualTo(400);
            assertThat(results.get(i).path("response").path("body").path("error").path("message").asText())
                    .startsWith("Line " + results.get(i).path("line").asInt());
        }
        assertThat(results.get(3).path("custom_id").asText()).isEqualTo("b");
        assertThat(results.get(4).path("custom_id").isNull()).isTrue();
        assertThat(results.get(4).path("response").path("body").path("stream").asBoolean()).isFalse();
    }

    @Test
    void aLineHoldingMoreThanOneJsonValueIsInvalid() {
        // a line that lost its line break: neither request may be sent, nor the first one alone
        BatchLine joined = BatchLine.parse(7, "{\"custom_id\":\"a\",\"body\":{\"messages\":[]}}"
                + " {\"custom_id\":\"b\",\"body\":{\"messages\":[]}}");

        assertThat(joined.request()).isNull();
        assertThat(joined.problem().getMessage()).startsWith("Line 7 is not valid JSON");
    }

    @Test
    void aStoppedBatchResumesAfterItsLastWrittenLineAndAnswersEachLineOnce() throws Exception {
        Path input = write("long.jsonl", lines(100));
        AtomicInteger sent = new AtomicInteger();

        assertThatThrownBy(() -> batch(input, 4, () -> sent.incrementAndGet() > 30).run())
                .isInstanceOf(JsonlBatch.Interrupted.class);
        long checkpointed = Files.readAllLines(dir.resolve("out/long.jsonl.part")).size();
        assertThat(checkpointed).isBetween(29L, 31L);
        assertThat(dir.resolve("out/long.jsonl")).doesNotExist();

        JsonlBatch.Outcome outcome = batch(input, 4, () -> false).run();

        assertThat(outcome.answeredNow()).isEqualTo(100 - checkpointed);
        assertThat(results("long.jsonl")).extracting(r -> r.path("line").asInt())
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 100).boxed().toList());
        assertThat(calls).hasSize(100);
        assertThat(calls.values()).allMatch(n -> n.get() == 1);
    }

    @Test
    void anIncompleteCheckpointLineIsCutAndAnsweredAgain() throws Exception {
        Path input = write("torn.jsonl", lines(3));
        Files.createDirectories(dir.resolve("out"));
        Files.writeString(dir.resolve("out/torn.jsonl.part"), "{\"custom_id\":\"req-1\",\"line\":1,\"kept\":true}\n{\"custom_id\":\"re");

        batch(input, 2, () -> false).run();

        List<JsonNode> results = results("torn.jsonl");
        assertThat(results).hasSize(3);
        assertThat(results.get(0).path("kept").asBoolean()).isTrue();
        assertThat(calls.keySet()).containsExactlyInAnyOrder(2L, 3L);
    }

    @Test
    void aFileWhoseResultsExistIsNotAnsweredAgain() throws Exception {
        Path input = write("done.jsonl", lines(3));
        Files.createDirectories(dir.resolve("out"));
        Files.writeString(dir.resolve("out/done.jsonl"), "earlier results\n");

        assertThat(batch(input, 2, () -> false).run().alreadyAnswered()).isTrue();

        assertThat(calls).isEmpty();
        assertThat(Files.readString(dir.resolve("out/done.jsonl"))).isEqualTo("earlier results\n");
    }

    @Test
    void progressIsAGaugeWhileTheFileRuns() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<Double> seen = new ArrayList<>();
        Path input = write("gauged.jsonl", lines(20));
        Function<BatchLine, String> watching = line -> {
            seen.add(registry.get("caravan.batch.lines.total").tag("file", "gauged.jsonl").gauge().value());
            return echo.apply(line);
        };

        new JsonlBatch("test", input, dir.resolve("out"), 1, watching, () -> false, registry).run();

        assertThat(seen).containsOnly(20.0);
        assertThat(registry.find("caravan.batch.lines.done").gauges()).isEmpty();
    }

    private JsonlBatch batch(Path input, int concurrency, java.util.function.BooleanSupplier stopping) {
        return new JsonlBatch("test", input, dir.resolve("out"), concurrency, echo, stopping, null);
    }

    private static String lines(int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            text.append("{\"custom_id\":\"req-").append(i).append("\",\"body\":{\"model\":\"caravan/sim-small\",")
                    .append("\"messages\":[{\"role\":\"user\",\"content\":\"q").append(i).append("\"}]}}\n");
        }
        return text.toString();
    }

    private Path write(String name, String content) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    private List<JsonNode> results(String name) throws Exception {
        List<JsonNode> results = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("out").resolve(name))) {
            results.add(Json.MAPPER.readTree(line));
        }
        return results;
    }
}
