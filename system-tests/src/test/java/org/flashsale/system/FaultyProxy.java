package org.flashsale.system;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 proxy in front of the service that forwards every request, each over a connection of its own, and
 * misbehaves on purpose on the reserves ({@code POST /api/reservations}) it is told to: one queued {@link Fault} per
 * reserve, in order.
 */
final class FaultyProxy implements AutoCloseable {

    enum Fault {
        /** Forwards the reserve, reads the service's whole answer (it has committed), then hangs up on the client. */
        LOSE_ANSWER,
        /** Forwards the reserve, reads the whole answer and keeps it: the client hears nothing until it gives up. */
        WITHHOLD_ANSWER,
        /** Answers 503 with {@code Retry-After: 1} itself, as a balancer in front of a busy service would. */
        BUSY
    }

    /** Hop-by-hop headers: the proxy speaks for itself on each side (no h2c upgrade, one request per connection). */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "upgrade", "http2-settings",
            "proxy-connection", "te");
    private static final String BUSY_BODY = "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\","
            + "\"status\":503,\"code\":\"OVERLOADED\"}";

    private final ServerSocket server;
    private final int servicePort;
    private final Queue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final AtomicInteger reservesForwarded = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    FaultyProxy(String serviceBaseUrl) throws IOException {
        this.servicePort = URI.create(serviceBaseUrl).getPort();
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon("faulty-proxy", this::accept);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** The faults for the next reserves, one each. */
    void misbehave(Fault... next) {
        faults.addAll(List.of(next));
    }

    /** How many reserves reached the service through the proxy. */
    int reservesForwarded() {
        return reservesForwarded.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                daemon("faulty-proxy-client", () -> serve(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            for (Request request = Request.read(in); request != null; request = Request.read(in)) {
                Fault fault = request.isReserve() ? faults.poll() : null;
                if (fault == Fault.BUSY) {
                    out.write(("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\n"
                            + "Content-Type: application/problem+json\r\nContent-Length: " + BUSY_BODY.length()
                            + "\r\n\r\n" + BUSY_BODY).getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    continue;
                }
                byte[] answer = forward(request);
                if (fault == Fault.LOSE_ANSWER) {
                    return;
                }
                if (fault == Fault.WITHHOLD_ANSWER) {
                    in.transferTo(OutputStream.nullOutputStream()); // until the client gives up and hangs up
                    return;
                }
                out.write(answer);
                out.flush();
            }
        } catch (IOException clientGone) {
            // the client hung up: nothing to answer
        } finally {
            sockets.remove(client);
        }
    }

    /** Sends the request to the service on a connection of its own and reads its whole answer. */
    private byte[] forward(Request request) throws IOException {
        try (Socket service = new Socket(InetAddress.getLoopbackAddress(), servicePort)) {
            OutputStream out = service.getOutputStream();
            out.write(request.head());
            out.write(request.body());
            out.flush();
            byte[] answer = service.getInputStream().readAllBytes();
            if (request.isReserve()) {
                reservesForwarded.incrementAndGet();
            }
            return answer;
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    /** One request as the service gets it: its line, its end-to-end headers and {@code Connection: close}. */
    private record Request(String line, byte[] head, byte[] body) {

        boolean isReserve() {
            return line.startsWith("POST /api/reservations ");
        }

        /** The next request on the connection; null when the client hung up between requests. */
        static Request read(InputStream in) throws IOException {
            String line = readLine(in);
            if (line == null || line.isEmpty()) {
                return null;
            }
            StringBuilder head = new StringBuilder(line).append("\r\n");
            int length = 0;
            for (String header = readLine(in); header != null && !header.isEmpty(); header = readLine(in)) {
                String name = header.substring(0, Math.max(header.indexOf(':'), 0)).strip().toLowerCase(Locale.ROOT);
                if (name.equals("content-length")) {
                    length = Integer.parseInt(header.substring(header.indexOf(':') + 1).strip());
                }
                if (!HOP_BY_HOP.contains(name)) {
                    head.append(header).append("\r\n");
                }
            }
            head.append("Connection: close\r\n\r\n");
            return new Request(line, head.toString().getBytes(StandardCharsets.ISO_8859_1), in.readNBytes(length));
        }

        private static String readLine(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b == -1) {
                    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
                }
                line.write(b);
            }
            String text = line.toString(StandardCharsets.ISO_8859_1);
            return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        }
    }
}
