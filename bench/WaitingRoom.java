import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

/**
 * A crowd in a waiting room, played from one process on one Vert.x event loop (all state on that thread): every
 * shopper joins the queued product, then polls GET …/queue/me; before the sale that is all; the client then opens the
 * sale (the admin's PATCH saleStartsAt = 2 s ahead) and every shopper who reads ADMITTED acts out a part drawn when it is
 * admitted: IGNORE (never reserves: the admission lapses), PAY (reserves, then completes after a think time),
 * CANCEL (reserves, then cancels after a think time) or EXPIRE (reserves and walks away: the hold expires). A shopper
 * stops polling once it has acted, or reads SOLD_OUT, LAPSED or RESERVED. The run ends when no shopper is left
 * polling and no action is pending.
 *
 * At most -Dinflight requests are under way at once (one connection each); shoppers' actions go before polls. A
 * waiting shopper polls again -DpollMillis after its previous answer while it has no estimated wait (before the sale,
 * and until the draw placed it), then after half its estimatedWaitSeconds, at least pollMillis and at most
 * -DmaxPollMillis: the front of the queue asks every pollMillis, the back seldom. When the service answers slower
 * than the crowd asks, polls wait for a free connection and the achieved rate is what the service sustained.
 * Latency is measured from the moment a request is handed to a free connection to its last byte.
 *
 * Usage: java -cp VERTX_CLASSPATH bench/WaitingRoom.java BASE_URL PRODUCT_ID TOKENS_FILE ADMIN_KEY
 *   -Dinflight (256) -DpollMillis (2000) -DmaxPollMillis (30000) -DpresaleSeconds (15: polling before the sale opens) -DthinkMillis (1000:
 *   pay/cancel after 0.5–1.5 × this) -Dignore (0.05) -Dpay (0.70) -Dcancel (0.15): fractions of admitted shoppers;
 *   the rest let the hold expire. -DmaxSeconds (600) -Dseed (1).
 */
public class WaitingRoom {

    enum Part { IGNORE, PAY, CANCEL, EXPIRE }

    static final int INFLIGHT = Integer.getInteger("inflight", 256);
    static final long POLL_MILLIS = Long.getLong("pollMillis", 2000);
    static final long MAX_POLL_MILLIS = Long.getLong("maxPollMillis", 30_000);
    static final long PRESALE_SECONDS = Long.getLong("presaleSeconds", 15);
    static final long THINK_MILLIS = Long.getLong("thinkMillis", 1000);
    static final double IGNORE = Double.parseDouble(System.getProperty("ignore", "0.05"));
    static final double PAY = Double.parseDouble(System.getProperty("pay", "0.70"));
    static final double CANCEL = Double.parseDouble(System.getProperty("cancel", "0.15"));
    static final long MAX_SECONDS = Long.getLong("maxSeconds", 600);

    static final SplittableRandom RANDOM = new SplittableRandom(Long.getLong("seed", 1));
    static final ArrayDeque<Runnable> ACTIONS = new ArrayDeque<>();
    static final ArrayDeque<Runnable> POLLS = new ArrayDeque<>();
    static final Map<String, Long> OUTCOMES = new TreeMap<>();
    static final Map<Part, Long> PARTS = new TreeMap<>();

    static Vertx vertx;
    static HttpClient client;
    static String product;
    static String adminKey;
    static int inflight;
    static int polling;
    static int pendingActions;
    static long started;
    static long saleOpened;
    static long lastSoldOut;
    static final Latency JOIN = new Latency("join");
    static final Latency POLL_WAITING = new Latency("poll before the sale");
    static final Latency POLL_SALE = new Latency("poll during the sale");
    static final Latency RESERVE = new Latency("reserve");
    static final Latency COMPLETE = new Latency("complete");
    static final Latency CANCELS = new Latency("cancel");
    static Latency polls = POLL_WAITING;

    public static void main(String[] args) throws Exception {
        String[] target = args[0].replaceFirst("^http://", "").split(":");
        product = args[1];
        List<String> tokens = Files.readAllLines(Path.of(args[2])).stream().filter(line -> !line.isBlank()).toList();
        adminKey = args[3];
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(target[0])
                .setDefaultPort(Integer.parseInt(target[1])).setKeepAlive(true).setConnectTimeout(30_000),
                new PoolOptions().setHttp1MaxSize(INFLIGHT));
        CountDownLatch done = new CountDownLatch(1);
        vertx.runOnContext(nothing -> join(tokens, done));
        done.await();
        System.exit(0);
    }

    /** Everyone joins, INFLIGHT at a time; then the polling starts and, PRESALE_SECONDS later, the sale. */
    static void join(List<String> tokens, CountDownLatch done) {
        started = System.nanoTime();
        int[] left = { tokens.size() };
        for (String token : tokens) {
            POLLS.add(() -> send(HttpMethod.POST, "/api/products/" + product + "/queue", token, null, JOIN,
                    (status, body) -> {
                        count("join " + status);
                        if (--left[0] == 0) {
                            System.out.printf("joined: %d shoppers in %.2f s = %.0f joins/s%n", tokens.size(),
                                    seconds(started), tokens.size() / seconds(started));
                            startPolling(tokens, done);
                        }
                    }));
        }
        pump();
    }

    static void startPolling(List<String> tokens, CountDownLatch done) {
        for (String token : tokens) {
            polling++;
            vertx.setTimer(1 + RANDOM.nextLong(POLL_MILLIS), id -> poll(token));
        }
        long polledFrom = System.nanoTime();
        long pollsBefore = POLL_WAITING.count;
        vertx.setTimer(PRESALE_SECONDS * 1000, id -> {
            System.out.printf("polling before the sale: %d pollers, %.0f polls/s (asked: %.0f/s)%n", polling,
                    (POLL_WAITING.count - pollsBefore) / seconds(polledFrom), tokens.size() * 1000.0 / POLL_MILLIS);
            openSale(done);
        });
        vertx.setTimer(MAX_SECONDS * 1000, id -> {
            System.out.println("gave up after " + MAX_SECONDS + " s with " + polling + " shoppers still polling");
            finish(done);
        });
    }

    /**
     * Sets saleStartsAt 2 s ahead (so that the PATCH, which may wait for a connection behind the polls, lands before
     * it) and counts the sale as open from then on.
     */
    static void openSale(CountDownLatch done) {
        Instant opens = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.MILLIS);
        ACTIONS.addFirst(() -> send(HttpMethod.PATCH, "/api/admin/products/" + product, adminKey,
                "{\"saleStartsAt\":\"" + opens + "\"}", null, (status, body) -> {
                    if (status != 200) {
                        System.out.println("could not open the sale: " + status + " " + body);
                        finish(done);
                        return;
                    }
                    long untilOpen = Math.max(1, Instant.now().until(opens, ChronoUnit.MILLIS));
                    vertx.setTimer(untilOpen, id -> {
                        polls = POLL_SALE;
                        saleOpened = System.nanoTime();
                        System.out.println("sale opened at " + opens + " (client clock)");
                        vertx.setPeriodic(200, check -> {
                            if (polling == 0 && pendingActions == 0) {
                                finish(done);
                            }
                        });
                    });
                }));
        pump();
    }

    static void poll(String token) {
        POLLS.add(() -> send(HttpMethod.GET, "/api/products/" + product + "/queue/me", token, null, polls,
                (status, body) -> {
                    if (status == 0 || status >= 500) { // unanswered or overloaded: ask again later
                        count("poll " + status);
                        vertx.setTimer(POLL_MILLIS, id -> poll(token));
                        return;
                    }
                    String state = status == 200 ? field(body, "state") : "HTTP " + status;
                    switch (state) {
                        case "WAITING" -> vertx.setTimer(nextPoll(body), id -> poll(token));
                        case "ADMITTED" -> {
                            polling--;
                            admitted(token);
                        }
                        case "SOLD_OUT" -> {
                            polling--;
                            lastSoldOut = System.nanoTime();
                            count("poll SOLD_OUT");
                        }
                        default -> {
                            polling--;
                            count("poll " + state);
                        }
                    }
                }));
        pump();
    }

    static void admitted(String token) {
        double draw = RANDOM.nextDouble();
        Part part = draw < IGNORE ? Part.IGNORE
                : draw < IGNORE + PAY ? Part.PAY
                : draw < IGNORE + PAY + CANCEL ? Part.CANCEL : Part.EXPIRE;
        PARTS.merge(part, 1L, Long::sum);
        if (part == Part.IGNORE) {
            return;
        }
        pendingActions++;
        ACTIONS.add(() -> send(HttpMethod.POST, "/api/reservations", token,
                "{\"productId\":\"" + product + "\",\"quantity\":1}", RESERVE, (status, body) -> {
                    count("reserve " + status + (status == 201 ? "" : " " + field(body, "code")));
                    if (status != 201 || part == Part.EXPIRE) {
                        pendingActions--;
                        return;
                    }
                    String hold = new JsonObject(body).getString("id");
                    long think = THINK_MILLIS / 2 + RANDOM.nextLong(THINK_MILLIS + 1);
                    vertx.setTimer(think, id -> {
                        ACTIONS.add(() -> send(HttpMethod.POST, "/api/reservations/" + hold
                                + (part == Part.PAY ? "/complete" : "/cancel"), token, null,
                                part == Part.PAY ? COMPLETE : CANCELS, (end, answer) -> {
                                    count((part == Part.PAY ? "complete " : "cancel ") + end);
                                    pendingActions--;
                                }));
                        pump();
                    });
                }));
        pump();
    }

    interface Answer {
        void accept(int status, Buffer body);
    }

    /** Starts queued requests while connections are free: actions first, then polls. */
    static void pump() {
        while (inflight < INFLIGHT && !(ACTIONS.isEmpty() && POLLS.isEmpty())) {
            Runnable next = ACTIONS.isEmpty() ? POLLS.poll() : ACTIONS.poll();
            inflight++;
            next.run();
        }
    }

    static void send(HttpMethod method, String uri, String bearer, String json, Latency latency, Answer answer) {
        long began = System.nanoTime();
        RequestOptions options = new RequestOptions().setMethod(method).setURI(uri).setIdleTimeout(60_000)
                .putHeader("Authorization", "Bearer " + bearer);
        if (json != null) {
            options.putHeader("Content-Type", "application/json");
        }
        client.request(options)
                .compose(request -> json == null ? request.send() : request.send(json))
                .compose(response -> response.body().map(body -> new Reply(response.statusCode(), body)))
                .onComplete(result -> {
                    inflight--;
                    if (result.succeeded() && latency != null) {
                        latency.add(System.nanoTime() - began);
                    }
                    if (result.failed()) {
                        count("failed " + method + " " + result.cause().getClass().getSimpleName());
                    }
                    try {
                        Reply reply = result.succeeded() ? result.result() : new Reply(0, Buffer.buffer());
                        answer.accept(reply.status(), reply.body());
                    } catch (RuntimeException e) {
                        count("client error " + e.getClass().getSimpleName());
                    }
                    pump();
                });
    }

    record Reply(int status, Buffer body) {
    }

    /**
     * When a waiting shopper asks again: after half its estimated wait, between POLL_MILLIS and MAX_POLL_MILLIS (a
     * considerate client: the front of the queue asks often, the back seldom); POLL_MILLIS while there is no estimate.
     */
    static long nextPoll(Buffer body) {
        String text = body.toString();
        String key = "\"estimatedWaitSeconds\":";
        int at = text.indexOf(key);
        if (at < 0 || !Character.isDigit(text.charAt(at + key.length()))) {
            return POLL_MILLIS;
        }
        int from = at + key.length();
        int to = from;
        while (to < text.length() && Character.isDigit(text.charAt(to))) {
            to++;
        }
        long halfWait = Long.parseLong(text.substring(from, to)) * 500;
        return Math.max(POLL_MILLIS, Math.min(MAX_POLL_MILLIS, halfWait));
    }

    /** A string field of a small JSON object, found without parsing the whole of it. */
    static String field(Buffer body, String name) {
        String text = body.toString();
        int at = text.indexOf("\"" + name + "\":\"");
        if (at < 0) {
            return "-";
        }
        int from = at + name.length() + 4;
        return text.substring(from, text.indexOf('"', from));
    }

    static void count(String outcome) {
        OUTCOMES.merge(outcome, 1L, Long::sum);
    }

    static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** Reports once, on the event loop (where the tallies live), and lets main exit. */
    static void finish(CountDownLatch done) {
        if (done.getCount() > 0) {
            report();
            done.countDown();
        }
    }

    static void report() {
        System.out.printf("client: sale open to the last SOLD_OUT read: %.2f s%n",
                lastSoldOut == 0 ? Double.NaN : (lastSoldOut - saleOpened) / 1e9);
        if (saleOpened > 0) {
            System.out.printf("polls during the sale: %.0f/s over %.1f s%n", POLL_SALE.count / seconds(saleOpened),
                    seconds(saleOpened));
        }
        System.out.println("parts drawn by admitted shoppers: " + PARTS);
        System.out.println("outcomes: " + OUTCOMES);
        for (Latency latency : List.of(JOIN, POLL_WAITING, POLL_SALE, RESERVE, COMPLETE, CANCELS)) {
            System.out.println(latency);
        }
    }

    /** Latencies in 0.1 ms buckets up to 60 s. */
    static final class Latency {
        static final int BUCKETS = 600_001;
        final String name;
        final long[] tenthsOfMillis = new long[BUCKETS];
        long count;
        long max;

        Latency(String name) {
            this.name = name;
        }

        void add(long nanos) {
            tenthsOfMillis[(int) Math.min(nanos / 100_000, BUCKETS - 1)]++;
            count++;
            max = Math.max(max, nanos);
        }

        double percentile(double p) {
            long want = (long) Math.ceil(p * count);
            long seen = 0;
            for (int i = 0; i < BUCKETS; i++) {
                seen += tenthsOfMillis[i];
                if (seen >= want) {
                    return i / 10.0;
                }
            }
            return Double.NaN;
        }

        @Override
        public String toString() {
            return count == 0 ? name + ": none" : String.format("%s: %d requests, p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                    name, count, percentile(0.5), percentile(0.99), max / 1e6);
        }
    }
}
