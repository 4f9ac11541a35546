import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Streaming probe for Caravan's benchmark, on the JDK HttpClient (HTTP/1.1, as real SDKs use).
 *
 * <pre>
 * java bench/StreamProbe.java ttft DIRECT_URL CARAVAN_URL MODEL N C ROUNDS
 *     per round: N streams straight to the mock, then N through Caravan, C at a time; the time from
 *     sending to the first data: line carrying content (TTFT) is recorded for each.
 * java bench/StreamProbe.java models URL N C ROUNDS MODEL...
 *     after two warm-up passes of N streams per model, per round: N streams through the same URL for
 *     each MODEL in turn (the order rotating each round), C at a time; records each stream's TTFT and
 *     total time (sending to the end of the body) and checks that every model's streams carry the
 *     same text. One RESULT line per model (bench/translation), with the median over rounds of its
 *     per-round p50 minus the first MODEL's.
 * java bench/StreamProbe.java streams URL MODEL N PID TIMEOUT_S
 *     opens N streams at once, counts those that ended with [DONE] and no error, and samples the
 *     resident memory (VmRSS) and thread count of process PID meanwhile.
 * </pre>
 * Each mode ends with one "RESULT ..." line that bench/run reads.
 */
public class StreamProbe {

    static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)     // not h2c: an upgrade attempt would skew the first request
            .connectTimeout(Duration.ofSeconds(10))
            .executor(Executors.newCachedThreadPool(r -> { Thread t = new Thread(r, "probe-http"); t.setDaemon(true); return t; }))
            .build();

    /**
     * One stream's outcome. ttftNanos is -1 when no content came; error is null for a good stream;
     * totalNanos is sending to the end of the body; text is the content of all chunks, pieces counts them.
     */
    record Result(long ttftNanos, String error, long totalNanos, String text, int pieces) {
        Result(long ttftNanos, String error) {
            this(ttftNanos, error, -1, "", 0);
        }
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "ttft" -> ttft(args[1], args[2], args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5]),
                    Integer.parseInt(args[6]));
            case "models" -> models(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Arrays.copyOfRange(args, 5, args.length));
            case "streams" -> streams(args[1], args[2], Integer.parseInt(args[3]), Long.parseLong(args[4]),
                    Integer.parseInt(args[5]));
            default -> throw new IllegalArgumentException("mode: ttft or streams");
        }
    }

    // ---- time to first token ----------------------------------------------------------------

    static void ttft(String direct, String caravan, String model, int n, int c, int rounds) throws Exception {
        // warm-up, not counted: JIT, connection pools, both sides
        run(direct, model, Math.min(n, 4 * c), c);
        run(caravan, model, Math.min(n, 4 * c), c);
        List<Double> allDirect = new ArrayList<>(), allCaravan = new ArrayList<>();
        int failures = 0;
        for (int round = 1; round <= rounds; round++) {
            // alternate, so that drift on a shared machine hits both sides alike
            List<Result> d = run(direct, model, n, c);
            List<Result> v = run(caravan, model, n, c);
            double[] dm = millis(d), vm = millis(v);
            failures += failed(d) + failed(v);
            System.out.printf("  ttft round %d: direct p50 %.3f p99 %.3f | caravan p50 %.3f p99 %.3f | added p50 %.3f ms%n",
                    round, pct(dm, 50), pct(dm, 99), pct(vm, 50), pct(vm, 99), pct(vm, 50) - pct(dm, 50));
            for (double x : dm) allDirect.add(x);
            for (double x : vm) allCaravan.add(x);
            printErrors(v);
        }
        double[] dm = allDirect.stream().mapToDouble(Double::doubleValue).toArray();
        double[] vm = allCaravan.stream().mapToDouble(Double::doubleValue).toArray();
        System.out.printf("RESULT direct_p50=%.3f direct_p99=%.3f caravan_p50=%.3f caravan_p99=%.3f added_p50=%.3f "
                        + "added_p99=%.3f samples=%d failures=%d%n",
                pct(dm, 50), pct(dm, 99), pct(vm, 50), pct(vm, 99), pct(vm, 50) - pct(dm, 50),
                pct(vm, 99) - pct(dm, 99), vm.length, failures);
    }

    // ---- the same streams through several models (translation overhead) ---------------------

    static void models(String url, int n, int c, int rounds, String[] models) throws Exception {
        for (int pass = 0; pass < 2; pass++) {
            for (String model : models) {
                run(url, model, n, c);                 // warm-up, not counted: the stream path's JIT
            }
        }
        Map<String, List<Result>> all = new java.util.LinkedHashMap<>();
        Map<String, List<double[]>> perRound = new HashMap<>();   // model -> per round {ttft p50, total p50}
        for (int round = 1; round <= rounds; round++) {
            StringBuilder line = new StringBuilder("  streams round " + round + ":");
            Map<String, double[]> p50s = new HashMap<>();
            for (int k = 0; k < models.length; k++) {
                // rotate the order each round, so that no model always runs first (or after the same one)
                String model = models[(k + round - 1) % models.length];
                List<Result> results = run(url, model, n, c);
                all.computeIfAbsent(model, m -> new ArrayList<>()).addAll(results);
                p50s.put(model, new double[] {pct(millis(results), 50), pct(totals(results), 50)});
                printErrors(results);
            }
            for (String model : models) {
                double[] p = p50s.get(model), ref = p50s.get(models[0]);
                perRound.computeIfAbsent(model, m -> new ArrayList<>()).add(new double[] {p[0] - ref[0], p[1] - ref[1]});
                line.append(String.format(" | %s ttft p50 %.3f total p50 %.3f", model, p[0], p[1]));
            }
            System.out.println(line);
        }
        String reference = null;
        for (String model : models) {
            List<Result> results = all.get(model);
            // every good stream of every model must carry the same text, in the same number of pieces
            java.util.Set<String> texts = new java.util.TreeSet<>();
            for (Result r : results) {
                if (r.error() == null) {
                    texts.add(r.pieces() + " pieces: " + r.text());
                }
            }
            String text = texts.size() == 1 ? texts.iterator().next() : texts.size() + " different texts";
            if (reference == null) {
                reference = text;
            }
            double[] ttft = millis(results), total = totals(results);
            double[] addedTtft = perRound.get(model).stream().mapToDouble(d -> d[0]).sorted().toArray();
            double[] addedTotal = perRound.get(model).stream().mapToDouble(d -> d[1]).sorted().toArray();
            // added_*: model minus the first model, per round, median over rounds
            System.out.printf("RESULT model=%s ttft_p50=%.3f ttft_p99=%.3f total_p50=%.3f total_p99=%.3f "
                            + "added_ttft_p50=%.3f added_total_p50=%.3f samples=%d failures=%d same_text=%s%n",
                    model, pct(ttft, 50), pct(ttft, 99), pct(total, 50), pct(total, 99), median(addedTtft),
                    median(addedTotal), results.size(), failed(results), text.equals(reference) && texts.size() == 1);
            System.out.println("  " + model + " text: " + text);
        }
    }

    static double median(double[] sorted) {
        int m = sorted.length;
        return m == 0 ? Double.NaN : m % 2 == 1 ? sorted[m / 2] : (sorted[m / 2 - 1] + sorted[m / 2]) / 2;
    }

    static double[] totals(List<Result> results) {
        return results.stream().filter(r -> r.totalNanos() >= 0).mapToDouble(r -> r.totalNanos() / 1e6).sorted().toArray();
    }

    /** n streams, c at a time: each worker sends its next request once its previous stream ended. */
    static List<Result> run(String url, String model, int n, int c) throws Exception {
        List<Result> results = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger left = new AtomicInteger(n);
        Thread[] workers = new Thread[c];
        for (int i = 0; i < c; i++) {
            workers[i] = new Thread(() -> {
                while (left.getAndDecrement() > 0) {
                    results.add(stream(url, model).join());
                }
            });
            workers[i].start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return results;
    }

    // ---- 1,000 concurrent streams -----------------------------------------------------------

    static void streams(String url, String model, int n, long pid, int timeoutSeconds) throws Exception {
        AtomicLong peakRss = new AtomicLong(), peakThreads = new AtomicLong();
        AtomicInteger open = new AtomicInteger();
        Thread sampler = new Thread(() -> {
            while (true) {
                Map<String, Long> status = procStatus(pid);
                peakRss.accumulateAndGet(status.getOrDefault("VmRSS", 0L), Math::max);
                peakThreads.accumulateAndGet(status.getOrDefault("Threads", 0L), Math::max);
                try { Thread.sleep(100); } catch (InterruptedException e) { return; }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        long rssBefore = procStatus(pid).getOrDefault("VmRSS", 0L);
        long started = System.nanoTime();
        List<CompletableFuture<Result>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(stream(url, model));   // all at once: sendAsync does not wait for the answer
        }
        List<Result> results = new ArrayList<>();
        for (CompletableFuture<Result> f : all) {
            long leftMs = timeoutSeconds * 1000L - (System.nanoTime() - started) / 1_000_000;
            try {
                results.add(f.get(Math.max(1, leftMs), TimeUnit.MILLISECONDS));
            } catch (java.util.concurrent.TimeoutException e) {
                results.add(new Result(-1, "no end within " + timeoutSeconds + " s"));
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        sampler.interrupt();
        int failed = failed(results);
        double[] ttft = millis(results);
        printErrors(results);
        System.out.printf("  %d streams in %.1f s; TTFT p50 %.1f ms p99 %.1f ms; Caravan RSS %d MiB before, "
                        + "peak %d MiB; peak threads %d%n", n, seconds, pct(ttft, 50), pct(ttft, 99),
                rssBefore / 1024, peakRss.get() / 1024, peakThreads.get());
        System.out.printf("RESULT ok=%d failed=%d peak_rss_mib=%d rss_before_mib=%d peak_threads=%d seconds=%.1f "
                        + "ttft_p50=%.1f ttft_p99=%.1f%n", n - failed, failed, peakRss.get() / 1024, rssBefore / 1024,
                peakThreads.get(), seconds, pct(ttft, 50), pct(ttft, 99));
    }

    /** VmRSS (KiB) and Threads from /proc/PID/status. */
    static Map<String, Long> procStatus(long pid) {
        Map<String, Long> values = new HashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:") || line.startsWith("Threads:")) {
                    String[] parts = line.split("\\s+");
                    values.put(parts[0].substring(0, parts[0].length() - 1), Long.parseLong(parts[1]));
                }
            }
        } catch (Exception gone) {
            // the process ended: nothing to sample
        }
        return values;
    }

    // ---- one stream -------------------------------------------------------------------------

    /** Sends one streaming request; completes when the stream ended, with its TTFT and any error. */
    static CompletableFuture<Result> stream(String url, String model) {
        String body = "{\"model\":\"" + model + "\",\"stream\":true,\"max_tokens\":64,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + System.getenv().getOrDefault("BENCH_KEY", "bench"))
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        Lines lines = new Lines(System.nanoTime());
        return CLIENT.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(lines))
                .handle((response, failure) -> {
                    if (failure != null) {
                        return new Result(lines.ttft, "exception: " + rootMessage(failure));
                    }
                    if (response.statusCode() != 200) {
                        return new Result(lines.ttft, "HTTP " + response.statusCode() + " " + lines.head);
                    }
                    if (lines.error != null) {
                        return new Result(lines.ttft, lines.error);
                    }
                    return new Result(lines.ttft, lines.done ? null : "ended without [DONE]", lines.end - lines.sent,
                            lines.text.toString(), lines.pieces);
                });
    }

    /** Reads the SSE lines of one stream as they arrive, timestamping the first one with content. */
    static final class Lines implements Flow.Subscriber<String> {
        final long sent;
        volatile long ttft = -1;
        volatile boolean done;
        volatile String error;
        volatile String head = "";     // the start of the body, to explain an error answer
        volatile long end = -1;        // System.nanoTime() when the body ended
        final StringBuilder text = new StringBuilder();   // the content of all chunks (one subscriber thread at a time)
        int pieces;                    // chunks with non-empty content

        Lines(long sent) {
            this.sent = sent;
        }

        @Override public void onSubscribe(Flow.Subscription s) { s.request(Long.MAX_VALUE); }

        @Override public void onNext(String line) {
            if (head.length() < 300) {
                head = (head + line).substring(0, Math.min(300, head.length() + line.length()));
            }
            if (!line.startsWith("data:")) {
                return;                                   // blank separators, ": PROCESSING" keep-alives
            }
            if (ttft < 0) {
                int at = line.indexOf("\"content\":\"");
                if (at >= 0 && line.charAt(at + 11) != '"') {   // non-empty content
                    ttft = System.nanoTime() - sent;
                }
            }
            int at = line.indexOf("\"content\":\"");
            if (at >= 0 && line.charAt(at + 11) != '"') {
                int close = line.indexOf('"', at + 11);      // the mock's tokens hold no escaped quotes
                text.append(line, at + 11, close < 0 ? line.length() : close);
                pieces++;
            }
            if (line.contains("[DONE]")) {
                done = true;
            } else if (line.contains("\"error\"") && error == null) {
                error = "error chunk: " + (line.length() > 200 ? line.substring(0, 200) : line);
            }
        }

        @Override public void onError(Throwable t) { if (error == null) error = "broken: " + rootMessage(t); }

        @Override public void onComplete() { end = System.nanoTime(); }
    }

    // ---- numbers ----------------------------------------------------------------------------

    static int failed(List<Result> results) {
        return (int) results.stream().filter(r -> r.error() != null).count();
    }

    static double[] millis(List<Result> results) {
        return results.stream().filter(r -> r.ttftNanos() >= 0).mapToDouble(r -> r.ttftNanos() / 1e6).sorted().toArray();
    }

    /** Nearest-rank percentile of sorted values; NaN when there are none. */
    static double pct(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double[] s = sorted.clone();
        Arrays.sort(s);
        int rank = (int) Math.ceil(p / 100.0 * s.length);
        return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
    }

    static void printErrors(List<Result> results) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Result r : results) {
            if (r.error() != null) {
                counts.merge(r.error(), 1, Integer::sum);
            }
        }
        counts.entrySet().stream().limit(10)
                .forEach(e -> System.out.println("  FAILED x" + e.getValue() + ": " + e.getKey()));
    }

    static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : " " + t.getMessage());
    }
}
