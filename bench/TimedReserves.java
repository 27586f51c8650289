import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reserves at a fixed concurrency for a number of seconds, reporting each second: requests answered 2xx, 409, 429,
 * 5xx, and failed (no answer), and the p99 latency of the requests that ended in that second (bench/balancer.sh,
 * during a rolling restart). Usage: java TimedReserves.java URL TOKENS PRODUCT CONCURRENCY SECONDS
 */
public class TimedReserves {

    record Second(AtomicLong ok, AtomicLong conflict, AtomicLong limited, AtomicLong server, AtomicLong failed,
            List<Long> latencies) {
        Second() {
            this(new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong(),
                    new ArrayList<>());
        }
    }

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0] + "/api/reservations");
        List<String> tokens = Files.readAllLines(Path.of(args[1])).stream().filter(t -> !t.isBlank()).toList();
        String body = "{\"productId\":\"" + args[2].strip() + "\",\"quantity\":1}";
        int concurrency = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        ConcurrentHashMap<Integer, Second> perSecond = new ConcurrentHashMap<>();
        Semaphore slots = new Semaphore(concurrency);
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(seconds).toNanos();
        while (System.nanoTime() < end) {
            slots.acquire();
            String token = tokens.get(ThreadLocalRandom.current().nextInt(tokens.size()));
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            long sent = System.nanoTime();
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                long done = System.nanoTime();
                Second second = perSecond.computeIfAbsent((int) ((done - start) / 1_000_000_000L), k -> new Second());
                if (failure != null) {
                    second.failed().incrementAndGet();
                } else {
                    int status = response.statusCode();
                    (status / 100 == 2 ? second.ok() : status == 409 ? second.conflict()
                            : status == 429 ? second.limited() : second.server()).incrementAndGet();
                    synchronized (second.latencies()) {
                        second.latencies().add(done - sent);
                    }
                }
                slots.release();
            });
        }
        slots.acquire(concurrency);
        System.out.println("second 2xx 409 429 5xx failed p99_ms");
        long ok = 0, bad = 0;
        List<Long> all = new ArrayList<>();
        for (int s = 0; s <= seconds; s++) {
            Second second = perSecond.getOrDefault(s, new Second());
            long[] sorted = second.latencies().stream().mapToLong(Long::longValue).sorted().toArray();
            all.addAll(second.latencies());
            String p99 = sorted.length == 0 ? "-" : String.format("%.0f", sorted[(int) Math.min(sorted.length - 1,
                    Math.ceil(sorted.length * 0.99) - 1)] / 1e6);
            System.out.printf("%d %d %d %d %d %d %s%n", s, second.ok().get(), second.conflict().get(),
                    second.limited().get(), second.server().get(), second.failed().get(), p99);
            ok += second.ok().get();
            bad += second.server().get() + second.failed().get();
        }
        long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("total: %d 2xx (%.0f/s), %d 5xx or failed; p99 %.0f ms over the run%n", ok,
                ok / (double) seconds, bad, sorted.length == 0 ? 0 : sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6);
        System.exit(0);
    }
}
