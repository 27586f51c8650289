import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.impl.VertxInternal;

/**
 * Many /ws/stock watchers on one instance, held from one process on Vert.x's Netty client with two event loops.
 * For every stock value a watcher receives inside a measuring window it records the delay from the change (the
 * entry's "at": the database time of the change) to its arrival, and counts per (watcher, product) the distinct
 * values seen (a version newer than the one it last saw) — of today's per-product "stock" frames as of the
 * "batch" frames (one per coalesce tick, a "stock" array of entries).
 *
 * Cheap on purpose, since it shares the cores with the service it measures: frames are scanned as bytes for the few
 * fields it needs ("type", and per stock entry "productId", "version", "at"), never parsed as JSON nor decoded to a
 * String; counters live per event loop (no shared atomics per entry); a watcher's state is one version per product.
 *
 * Usage: java -cp VERTX_CLASSPATH bench/LiveFanout.java URI WATCHERS LOCAL_ADDRESS PRODUCTS_FILE CONTROL_FILE REPORT
 *   LOCAL_ADDRESS: the source address of the connections ("-": the system's choice), of every PER_ADDRESS (2,000)
 *   of them with its second number raised by one more (127.0.x.y, 127.1.x.y, ...): one address has ~28,000
 *   ephemeral ports towards one service address, and binding to one gets slower as they are taken (clients()), so
 *   bench/live-fanout.sh gives each client process its own.
 *   PRODUCTS_FILE: the product ids to count values for, one per line (others count for latency only).
 *   CONTROL_FILE: polled; a line "start N" opens measuring window N, "stop N" closes it and writes REPORT.N,
 *   "quit" ends the process. Prints "connected ..." and READY once every watcher has its snapshot or has failed
 *   (refused, or closed by the server before its snapshot). "storm K": every watcher closes, and once all are
 *   closed they connect again at once from LOCAL_ADDRESS with its third number replaced by K (a storm by a client
 *   whose own code is compiled, from ports no earlier connection holds in TIME_WAIT); then "connected ..." and
 *   READY again. -Dinflight=n: upgrades under way at once (default 200).
 */
public class LiveFanout {

    static final int MAX_MILLIS = 60_000;
    static final int LOOPS = 2;
    static final int PER_ADDRESS = 2_000;
    static final AtomicLong CONNECTED = new AtomicLong();
    static final AtomicLong FAILED = new AtomicLong();
    static final AtomicLong CLOSED = new AtomicLong();
    static final Set<WebSocket> SOCKETS = ConcurrentHashMap.newKeySet();
    static final ThreadLocal<Tally> TALLY = new ThreadLocal<>();
    static final List<Tally> TALLIES = new ArrayList<>();
    static byte[][] products;

    @SuppressWarnings("deprecation") // nettyEventLoopGroup(): the one way to run a task on every event loop
    public static void main(String[] args) throws Exception {
        String[] target = args[0].replaceFirst("^ws://", "").split("[:/]", 3);
        int watchers = Integer.parseInt(args[1]);
        String localAddress = args[2];
        products = Files.readAllLines(Path.of(args[3])).stream().filter(line -> !line.isBlank())
                .map(line -> line.trim().getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
        Path control = Path.of(args[4]);
        String report = args[5];

        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(LOOPS).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        for (EventExecutor loop : vertx.nettyEventLoopGroup()) {
            loop.submit(() -> register(new Tally())).get();
        }
        // A connection lives on the event loop of the context that opens it, and a plain thread's context is sticky:
        // every connect made from this thread would share one loop (one core of the client for every watcher).
        // So the watchers are opened from one context per event loop, in turn.
        // (Vert.x 4 has no public way to ask for a context on a given loop; a new one goes to the next loop in turn,
        // which is checked here.)
        Context[] contexts = new Context[LOOPS];
        Set<String> threads = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < LOOPS; i++) {
            contexts[i] = ((VertxInternal) vertx).createEventLoopContext();
            CompletableFuture<Void> ran = new CompletableFuture<>();
            contexts[i].runOnContext(on -> {
                threads.add(Thread.currentThread().getName());
                ran.complete(null);
            });
            ran.get();
        }
        if (threads.size() != LOOPS) {
            throw new IllegalStateException("the contexts share event loops: " + threads);
        }
        connect(contexts, clients(vertx, localAddress, watchers), Integer.parseInt(target[1]), target[0],
                "/" + target[2], watchers);
        follow(vertx, control, report, storm -> {
            SOCKETS.forEach(WebSocket::close);
            while (CONNECTED.get() > 0) {
                Thread.sleep(100);
            }
            FAILED.set(0);
            CLOSED.set(0); // closed by this client, not by the server
            String[] address = localAddress.split("\\.");
            String again = localAddress.equals("-") ? localAddress
                    : address[0] + "." + address[1] + "." + storm + "." + address[3];
            connect(contexts, clients(vertx, again, watchers), Integer.parseInt(target[1]), target[0],
                    "/" + target[2], watchers);
        });
        System.exit(0);
    }

    interface Storm {
        void again(String third) throws InterruptedException;
    }

    static synchronized void register(Tally tally) {
        TALLY.set(tally);
        TALLIES.add(tally);
    }

    /**
     * The clients the watchers connect through, in turn: one per PER_ADDRESS watchers, each from its own source
     * address (LOCAL_ADDRESS with its second number raised by one per client; "-": one client, the system's choice).
     * Binding a connection to an address makes the kernel search that address's ports for a free one, a search that
     * grows with the ports already taken: 18,000 connections from one address cost the client ~2 ms each, most of it
     * in bind().
     */
    static WebSocketClient[] clients(Vertx vertx, String localAddress, int watchers) {
        int count = localAddress.equals("-") ? 1 : (watchers + PER_ADDRESS - 1) / PER_ADDRESS;
        String[] address = localAddress.split("\\.");
        WebSocketClient[] clients = new WebSocketClient[count];
        for (int i = 0; i < count; i++) {
            WebSocketClientOptions options = new WebSocketClientOptions().setMaxConnections(watchers)
                    .setConnectTimeout(60_000);
            if (!localAddress.equals("-")) {
                options.setLocalAddress(address[0] + "." + (Integer.parseInt(address[1]) + i) + "." + address[2] + "."
                        + address[3]);
            }
            clients[i] = vertx.createWebSocketClient(options);
        }
        return clients;
    }

    /** One connect; a connect that throws at once fails like one that fails later (its permit is given back). */
    static Future<WebSocket> connectOne(WebSocketClient client, int port, String host, String path) {
        try {
            return client.connect(port, host, path);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    static void connect(Context[] contexts, WebSocketClient[] clients, int port, String host, String path,
            int watchers) throws InterruptedException {
        Semaphore connecting = new Semaphore(Integer.getInteger("inflight", 200)); // upgrades under way at once
        long started = System.nanoTime();
        for (int i = 0; i < watchers; i++) {
            connecting.acquire();
            WebSocketClient client = clients[i % clients.length];
            contexts[i % contexts.length].runOnContext(on -> connectOne(client, port, host, path).onComplete(result -> {
                connecting.release();
                if (result.failed()) {
                    if (FAILED.incrementAndGet() == 1) {
                        System.out.println("first failure: " + result.cause());
                    }
                    return;
                }
                WebSocket socket = result.result();
                Watcher watcher = new Watcher(products.length);
                SOCKETS.add(socket);
                socket.frameHandler(watcher::onFrame);
                socket.closeHandler(closed -> {
                    SOCKETS.remove(socket);
                    watcher.onClose(socket);
                });
            }));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
        while (CONNECTED.get() + FAILED.get() < watchers && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        System.out.printf("connected %d of %d watchers in %.1f s (%d failed)%n", CONNECTED.get(), watchers,
                (System.nanoTime() - started) / 1e9, FAILED.get());
        System.out.println("READY");
    }

    /** Runs the measuring windows the control file asks for; each event loop's tally is read on its own thread. */
    static void follow(Vertx vertx, Path control, String report, Storm storm) throws Exception {
        String done = "";
        long started = 0;
        while (true) {
            Thread.sleep(20);
            String command = Files.exists(control) ? Files.readString(control).trim() : "";
            if (command.equals(done) || command.isEmpty()) {
                continue;
            }
            done = command;
            String[] words = command.split(" ");
            if (words[0].equals("quit")) {
                return;
            }
            if (words[0].equals("storm")) {
                storm.again(words[1]);
            }
            if (words[0].equals("start")) {
                onEveryLoop(vertx, Tally::start);
                started = System.nanoTime();
            } else if (words[0].equals("stop")) {
                Tally total = new Tally();
                onEveryLoop(vertx, tally -> {
                    tally.measuring = false;
                    synchronized (total) {
                        total.add(tally);
                    }
                });
                write(Path.of(report + "." + words[1]), total, (System.nanoTime() - started) / 1e9);
            }
        }
    }

    interface TallyAction {
        void run(Tally tally);
    }

    @SuppressWarnings("deprecation")
    static void onEveryLoop(Vertx vertx, TallyAction action) throws Exception {
        for (EventExecutor loop : vertx.nettyEventLoopGroup()) {
            loop.submit(() -> action.run(TALLY.get())).get();
        }
    }

    static void write(Path report, Tally total, double seconds) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append("watchers ").append(CONNECTED.get()).append('\n');
        out.append("seconds ").append(String.format("%.3f", seconds)).append('\n');
        out.append("frames ").append(total.frames).append('\n');
        out.append("entries ").append(total.entries).append('\n');
        out.append("purchases ").append(total.purchases).append('\n');
        out.append("snapshots ").append(total.snapshots).append('\n');
        out.append("repeated ").append(total.repeated).append('\n');
        out.append("older ").append(total.older).append('\n');
        out.append("closed ").append(CLOSED.get()).append('\n');
        out.append("failed ").append(FAILED.get()).append('\n');
        for (int p = 0; p < products.length; p++) {
            out.append("values ").append(new String(products[p], StandardCharsets.US_ASCII)).append(' ')
                    .append(total.values[p]).append('\n');
        }
        for (int ms = 0; ms <= MAX_MILLIS; ms++) {
            if (total.millis[ms] > 0) {
                out.append("latency ").append(ms).append(' ').append(total.millis[ms]).append('\n');
            }
        }
        Path written = Path.of(report + ".tmp");
        Files.writeString(written, out);
        Files.move(written, report, StandardCopyOption.ATOMIC_MOVE);
    }

    /** What one event loop counted in the current window; touched only on that loop's thread. */
    static final class Tally {
        boolean measuring;
        long frames;
        long entries;
        long purchases;
        long snapshots;
        long repeated;
        long older;
        final long[] values = new long[products.length];
        final long[] millis = new long[MAX_MILLIS + 1];
        final IsoInstants instants = new IsoInstants();

        void start() {
            frames = entries = purchases = snapshots = repeated = older = 0;
            Arrays.fill(values, 0);
            Arrays.fill(millis, 0);
            measuring = true;
        }

        void add(Tally other) {
            frames += other.frames;
            entries += other.entries;
            purchases += other.purchases;
            snapshots += other.snapshots;
            repeated += other.repeated;
            older += other.older;
            for (int p = 0; p < values.length; p++) {
                values[p] += other.values[p];
            }
            for (int ms = 0; ms < millis.length; ms++) {
                millis[ms] += other.millis[ms];
            }
        }
    }

    /** One connection: the newest version it has seen per product. */
    static final class Watcher {
        private static final byte[] TYPE = bytes("\"type\":\"");
        private static final byte[] STOCK_ARRAY = bytes("\"stock\":[");
        private static final byte[] PRODUCT_ID = bytes("\"productId\":\"");
        private static final byte[] VERSION = bytes("\"version\":");
        private static final byte[] AT = bytes("\"at\":\"");
        private static final byte[] HANDLE = bytes("\"handle\":\"");

        final long[] seen;
        boolean connected;

        Watcher(int products) {
            seen = new long[products];
        }

        void onClose(WebSocket socket) {
            if (connected) {
                CONNECTED.decrementAndGet();
                CLOSED.incrementAndGet();
            } else if (FAILED.incrementAndGet() == 1) { // closed by the server before its snapshot came
                System.out.println("first failure: closed before the snapshot, status " + socket.closeStatusCode()
                        + " " + socket.closeReason());
            }
        }

        void onFrame(WebSocketFrame frame) {
            if (!frame.isText() && !frame.isContinuation()) {
                return;
            }
            Buffer data = frame.binaryData();
            int type = indexOf(data, TYPE, 0, Math.min(data.length(), 64));
            if (type < 0) {
                return; // the rest of a fragmented message (only a snapshot could be that long)
            }
            type += TYPE.length;
            byte first = data.getByte(type);
            byte second = data.getByte(type + 1);
            Tally tally = TALLY.get();
            if (first == 's' && second == 'n') {
                if (!connected) {
                    connected = true;
                    CONNECTED.incrementAndGet();
                } else if (tally.measuring) {
                    tally.snapshots++; // a resync: the values it carries are not counted as seen
                }
                return;
            }
            if (!tally.measuring) {
                return;
            }
            tally.frames++;
            long now = System.currentTimeMillis();
            if (first == 's') { // today's per-product {"type":"stock",...}: the frame is one entry
                entry(data, type, data.length(), now, tally);
            } else if (first == 'b') {
                int stock = indexOf(data, STOCK_ARRAY, type, data.length());
                if (stock >= 0) {
                    int end = indexOf(data, (byte) ']', stock);
                    for (int from = stock; ; ) {
                        int open = indexOf(data, (byte) '{', from);
                        if (open < 0 || open > end) {
                            break;
                        }
                        int close = indexOf(data, (byte) '}', open);
                        entry(data, open, close, now, tally);
                        from = close;
                    }
                }
                // "handle" is a key of purchase entries only (and a handle's own text may hold any character).
                for (int at = indexOf(data, HANDLE, type, data.length()); at >= 0;
                        at = indexOf(data, HANDLE, at + HANDLE.length, data.length())) {
                    tally.purchases++;
                }
            } else if (first == 'p') {
                tally.purchases++;
            }
        }

        private void entry(Buffer data, int from, int to, long now, Tally tally) {
            tally.entries++;
            int at = indexOf(data, AT, from, to);
            if (at >= 0) {
                long millis = now - tally.instants.epochMillis(data, at + AT.length);
                tally.millis[(int) Math.max(0, Math.min(MAX_MILLIS, millis))]++;
            }
            int product = productIndex(data, indexOf(data, PRODUCT_ID, from, to));
            int version = indexOf(data, VERSION, from, to);
            if (product < 0 || version < 0) {
                return;
            }
            long value = digits(data, version + VERSION.length);
            if (value > seen[product]) {
                seen[product] = value;
                tally.values[product]++;
            } else if (value == seen[product]) {
                tally.repeated++;
            } else {
                tally.older++;
            }
        }

        private static int productIndex(Buffer data, int key) {
            if (key < 0) {
                return -1;
            }
            int id = key + PRODUCT_ID.length;
            for (int p = 0; p < products.length; p++) {
                if (matches(data, id, products[p])) {
                    return p;
                }
            }
            return -1;
        }
    }

    /**
     * ISO-8601 instants as Jackson writes them ("2026-12-01T10:11:12.345678Z") to epoch milliseconds, without a String:
     * the day is computed once and reused while it stays the same.
     */
    static final class IsoInstants {
        private final byte[] day = new byte[10];
        private long dayMillis = Long.MIN_VALUE;

        long epochMillis(Buffer data, int at) {
            if (dayMillis == Long.MIN_VALUE || !matches(data, at, day)) {
                data.getBytes(at, at + 10, day);
                dayMillis = LocalDate.of(number(data, at, 4), number(data, at + 5, 2), number(data, at + 8, 2))
                        .toEpochDay() * 86_400_000L;
            }
            if (data.getByte(at + 19) != '.' && data.getByte(at + 19) != 'Z') {
                int end = indexOf(data, (byte) '"', at);
                return Instant.parse(data.getString(at, end, "US-ASCII")).toEpochMilli(); // an offset: never from Jackson
            }
            long millis = dayMillis + number(data, at + 11, 2) * 3_600_000L + number(data, at + 14, 2) * 60_000L
                    + number(data, at + 17, 2) * 1_000L;
            if (data.getByte(at + 19) == '.') {
                int scale = 100;
                for (int i = at + 20; scale > 0 && Character.isDigit(data.getByte(i)); i++, scale /= 10) {
                    millis += (data.getByte(i) - '0') * scale;
                }
            }
            return millis;
        }

        private static int number(Buffer data, int at, int length) {
            int value = 0;
            for (int i = at; i < at + length; i++) {
                value = value * 10 + (data.getByte(i) - '0');
            }
            return value;
        }
    }

    static long digits(Buffer data, int at) {
        long value = 0;
        for (int i = at; i < data.length() && Character.isDigit(data.getByte(i)); i++) {
            value = value * 10 + (data.getByte(i) - '0');
        }
        return value;
    }

    static boolean matches(Buffer data, int at, byte[] expected) {
        if (at + expected.length > data.length()) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (data.getByte(at + i) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    static int indexOf(Buffer data, byte wanted, int from) {
        for (int i = from; i < data.length(); i++) {
            if (data.getByte(i) == wanted) {
                return i;
            }
        }
        return -1;
    }

    static int indexOf(Buffer data, byte[] wanted, int from, int to) {
        for (int i = from; i <= to - wanted.length; i++) {
            if (data.getByte(i) == wanted[0] && matches(data, i, wanted)) {
                return i;
            }
        }
        return -1;
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
