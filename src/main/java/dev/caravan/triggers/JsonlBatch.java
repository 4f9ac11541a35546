package dev.caravan.triggers;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Answers one JSONL file into {@code <outbox>/<name>}, one result line per non-blank input line,
 * in input order. The file is streamed: at most {@code 2 × concurrency} lines are held at once,
 * whatever its size. Results are appended to {@code <name>.part} as soon as they are next in
 * order, so that file is the checkpoint a stopped batch resumes from ({@link Checkpoint}); it is
 * renamed to {@code <name>} when the last line is written.
 */
final class JsonlBatch {

    /** Where the batch stands, for the caller and the log. */
    record Outcome(long lines, long answeredNow, boolean alreadyAnswered) {
    }

    /** The batch stopped at a line boundary because Caravan is stopping; its .part file is kept. */
    static final class Interrupted extends RuntimeException {
        Interrupted(String message) {
            super(message, null, false, false);
        }
    }

    private final String inbox;
    private final Path input;
    private final Path outbox;
    private final int concurrency;
    private final Function<BatchLine, String> answer;
    private final BooleanSupplier stopping;
    private final MeterRegistry registry;

    JsonlBatch(String inbox, Path input, Path outbox, int concurrency, Function<BatchLine, String> answer,
               BooleanSupplier stopping, MeterRegistry registry) {
        this.inbox = inbox;
        this.input = input;
        this.outbox = outbox;
        this.concurrency = Math.max(1, concurrency);
        this.answer = answer;
        this.stopping = stopping;
        this.registry = registry;
    }

    Outcome run() throws IOException, InterruptedException {
        String name = input.getFileName().toString();
        Path results = outbox.resolve(name);
        Path partial = outbox.resolve(name + ".part");
        if (Files.exists(results)) {
            // answered before a crash could move the input away: answering it again would charge it twice
            return new Outcome(0, 0, true);
        }
        Files.createDirectories(outbox);
        long total = countLines(input);
        long skip = Checkpoint.answeredLines(partial);
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, daemonThreads(inbox + "-" + name));
        try (BatchProgress progress = new BatchProgress(inbox, name, total, skip, registry);
             BufferedReader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8);
             BufferedWriter writer = Files.newBufferedWriter(partial, StandardCharsets.UTF_8,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            ArrayDeque<Future<String>> window = new ArrayDeque<>();
            long answerable = 0;   // non-blank lines: the checkpoint counts those
            long number = 0;       // the line's number in the file, as an editor shows it
            boolean interrupted = false;
            for (String text = reader.readLine(); text != null; text = reader.readLine()) {
                number++;
                if (text.isBlank() || ++answerable <= skip) {
                    continue;
                }
                if (stopping.getAsBoolean()) {
                    interrupted = true;
                    break;
                }
                if (window.size() >= 2 * concurrency) {
                    writeNext(window, writer, progress);
                }
                BatchLine line = BatchLine.parse(number, text);
                window.add(pool.submit(() -> answer.apply(line)));
            }
            // lines already sent are answered and written even when stopping: each is charged once
            while (!window.isEmpty()) {
                writeNext(window, writer, progress);
            }
            writer.close();
            if (interrupted) {
                throw new Interrupted("Batch " + inbox + "/" + name + " stopped after " + progress.done() + " of " + total
                        + " lines; it resumes from " + partial + " at the next start");
            }
            Files.move(partial, results, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Outcome(total, total - skip, false);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void writeNext(ArrayDeque<Future<String>> window, BufferedWriter writer, BatchProgress progress)
            throws IOException, InterruptedException {
        String result;
        try {
            result = window.removeFirst().get();
        } catch (ExecutionException e) {
            // the answer function never throws; this would be a bug, and the batch must not write a hole
            throw new IOException("A batch line failed unexpectedly", e.getCause());
        }
        writer.write(result);
        writer.write('\n');
        // flushed line by line: what is in the .part file is what a restart skips
        writer.flush();
        progress.lineDone();
    }

    private static long countLines(Path file) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return reader.lines().filter(line -> !line.isBlank()).count();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "batch-" + prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
