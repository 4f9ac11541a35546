package dev.caravan.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.keys.KeyMaterial;
import dev.caravan.support.HttpTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The default inbox of a running Caravan: a JSONL file dropped in it goes through the same chat
 * pipeline as HTTP. Cases: wrapped and bare requests answered in order, with custom ids; an
 * unknown model and a malformed line answered as error lines; a streaming request answered as
 * JSON; the input moved to processed; each answered line charged to the inbox's key; a file with
 * a checkpoint from an earlier run answered from where it stopped only.
 */
class FileInboxTest extends HttpTestBase {

    private static final Path INBOX = TRIGGER_FOLDERS.resolve("inbox");
    private static final Path OUTBOX = TRIGGER_FOLDERS.resolve("outbox");
    private static final Path PROCESSED = TRIGGER_FOLDERS.resolve("processed");

    @Test
    void answersADroppedFileLineByLineThroughTheChatPipeline() throws Exception {
        long charged = generations();
        drop("mixed.jsonl", String.join("\n",
                "{\"custom_id\":\"one\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":" + chat("caravan/sim-small", false) + "}",
                chat("caravan/sim-large", true),
                "{\"custom_id\":\"unknown\",\"body\":" + chat("nobody/no-such-model", false) + "}",
                "{\"custom_id\":\"broken\", \"body\": {",
                "{\"custom_id\":\"last\",\"body\":" + chat("caravan/sim-small", false) + "}") + "\n");

        List<JsonNode> results = awaitResults("mixed.jsonl");

        assertThat(results).extracting(r -> r.path("custom_id").asText(null))
                .containsExactly("one", null, "unknown", null, "last");
        assertThat(results.get(0).path("response").path("status_code").asInt()).isEqualTo(200);
        assertThat(results.get(0).path("response").path("body").path("object").asText()).isEqualTo("chat.completion");
        assertThat(results.get(0).path("response").path("request_id").asText())
                .isEqualTo(results.get(0).path("response").path("body").path("id").asText()).startsWith("gen-");
        assertThat(results.get(1).path("response").path("body").path("model").asText()).isEqualTo("caravan/sim-large");
        assertThat(results.get(1).path("response").path("body").path("usage").path("cost").isNumber()).isTrue();
        assertThat(results.get(2).path("error").path("code").asInt()).isEqualTo(400);
        assertThat(results.get(3).path("error").path("message").asText()).startsWith("Line 4 is not valid JSON");
        assertThat(results.get(4).path("error").isNull()).isTrue();
        assertThat(PROCESSED.resolve("mixed.jsonl")).exists();
        assertThat(INBOX.resolve("mixed.jsonl")).doesNotExist();
        awaitWritten();
        assertThat(generations() - charged).isEqualTo(3);
    }

    @Test
    void aFileStoppedEarlierResumesAfterItsCheckpoint() throws Exception {
        Files.createDirectories(OUTBOX);
        Files.writeString(OUTBOX.resolve("resumed.jsonl.part"),
                "{\"custom_id\":\"a\",\"line\":1,\"from\":\"the first run\"}\n{\"custom_id\":\"b\",\"line\":2,\"from\":\"the first run\"}\n");
        long charged = generations();
        StringBuilder lines = new StringBuilder();
        for (String id : List.of("a", "b", "c", "d")) {
            lines.append("{\"custom_id\":\"").append(id).append("\",\"body\":").append(chat("caravan/sim-small", false)).append("}\n");
        }
        drop("resumed.jsonl", lines.toString());

        List<JsonNode> results = awaitResults("resumed.jsonl");

        assertThat(results).extracting(r -> r.path("custom_id").asText()).containsExactly("a", "b", "c", "d");
        assertThat(results.subList(0, 2)).allMatch(r -> r.path("from").asText().equals("the first run"));
        assertThat(results.subList(2, 4)).allMatch(r -> r.path("response").path("status_code").asInt() == 200);
        awaitWritten();
        assertThat(generations() - charged).isEqualTo(2);
    }

    @Test
    void anEmptyFileIsAnsweredWithAnEmptyResultsFile() throws Exception {
        drop("empty.jsonl", "");

        assertThat(awaitResults("empty.jsonl")).isEmpty();
        assertThat(INBOX.resolve("empty.jsonl")).doesNotExist();
    }

    /** Written beside the inbox and moved in, as the guide asks, so the route never sees half a file. */
    private static void drop(String name, String content) throws Exception {
        Files.createDirectories(INBOX);
        Path staged = TRIGGER_FOLDERS.resolve(name + ".tmp");
        Files.writeString(staged, content);
        Files.move(staged, INBOX.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private static List<JsonNode> awaitResults(String name) throws Exception {
        Path results = OUTBOX.resolve(name);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!(Files.exists(results) && Files.exists(PROCESSED.resolve(name))) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(results).as("results of " + name).exists();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(results)) {
            lines.add(json(line));
        }
        return lines;
    }

    private long generations() {
        return db.queryForObject("SELECT COUNT(*) FROM generations WHERE key_hash = ?", Long.class,
                KeyMaterial.hash(TRIGGER_KEY));
    }
}
