package org.flashsale.inventory.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

import org.flashsale.inventory.support.Api;
import org.flashsale.inventory.support.ErrorLog;
import org.flashsale.inventory.support.RawHttp;
import org.flashsale.testsupport.WithPostgres;

/**
 * What one connection and one client address may hold (flashsale.http.*), with short deadlines and a small cap per
 * address so each limit shows in a second: a header or a body that does not arrive in time loses its connection, and
 * an address at its cap has its next connection closed while another address is served.
 */
@QuarkusTest
@WithPostgres
@TestProfile(ConnectionLimitsTest.Tight.class)
class ConnectionLimitsTest {

    static final int PER_ADDRESS = 5;
    /** Generous: every wait below ends at the server's deadline (1 s) or its refusal, long before this. */
    private static final int READ_TIMEOUT_MILLIS = 30_000;
    private static final String ANSWERED_KEEP_ALIVE = "GET /api/products HTTP/1.1\r\nHost: localhost\r\n\r\n";

    public static class Tight implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("flashsale.http.max-connections-per-address", Integer.toString(PER_ADDRESS),
                    "flashsale.http.header-timeout", "1s",
                    "flashsale.http.body-timeout", "1s");
        }
    }

    @Test
    void aConnectionThatSendsHalfAHeaderIsClosedWithoutAnAnswer() throws Exception {
        served();
        try (ErrorLog log = ErrorLog.capture(); Socket socket = open(InetAddress.getLoopbackAddress())) {
            socket.getOutputStream().write(bytes("GET /api/products HTTP/1.1\r\nHost: localhost\r\n"));

            assertClosed(socket.getInputStream());
            assertEquals(List.of(), log.warningsAndErrors());
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosed() throws Exception {
        served();
        try (Socket socket = open(InetAddress.getLoopbackAddress())) {
            assertClosed(socket.getInputStream());
        }
    }

    @Test
    void aHeaderTrickledAByteAtATimeIsClosedAtItsDeadline() throws Exception {
        served();
        try (ErrorLog log = ErrorLog.capture(); Socket socket = open(InetAddress.getLoopbackAddress())) {
            OutputStream out = socket.getOutputStream();
            out.write(bytes("GET /api/products HTTP/1.1\r\nHost: localhost\r\nX-Slow: "));
            // One byte every 100 ms would keep any idle timeout at bay; the deadline runs from the header's first byte.
            assertThrows(IOException.class, () -> {
                for (int i = 0; i < READ_TIMEOUT_MILLIS / 100; i++) {
                    out.write('a');
                    out.flush();
                    Thread.sleep(100);
                }
            });
            assertEquals(List.of(), log.warningsAndErrors());
        }
    }

    @Test
    void aBodyThatStopsHalfWayIsClosedAtItsDeadline() throws Exception {
        served();
        try (ErrorLog log = ErrorLog.capture(); Socket socket = open(InetAddress.getLoopbackAddress())) {
            // An operation that reads its body: the server waits for the rest, until the deadline.
            socket.getOutputStream().write(bytes("POST /api/admin/products HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + Api.ADMIN_KEY + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{\"sku\":"));

            assertClosed(socket.getInputStream());
            assertEquals(List.of(), log.warningsAndErrors());
        }
    }

    @Test
    void aConnectionIdleBetweenRequestsIsKept() throws Exception {
        try (Socket socket = open(InetAddress.getLoopbackAddress())) {
            answer(socket);
            Thread.sleep(1_500);
            answer(socket);
        }
    }

    @Test
    void anAddressAtItsCapHasItsNextConnectionClosedWhileAnotherAddressIsServed() throws Exception {
        served();
        List<Socket> held = new ArrayList<>();
        try (ErrorLog log = ErrorLog.capture()) {
            for (int i = 0; i < PER_ADDRESS; i++) {
                held.add(servedConnection());
            }
            try (Socket over = open(InetAddress.getLoopbackAddress())) {
                try {
                    over.getOutputStream().write(bytes(ANSWERED_KEEP_ALIVE));
                } catch (IOException alreadyClosed) {
                    // refused before the request was written: refused all the same
                }
                assertClosed(over.getInputStream());
            }
            try (Socket other = open(InetAddress.getByName("127.0.0.2"))) {
                answer(other);
            }
            held.remove(0).close();
            assertTrue(servedAfterAFreedSlot(), "a freed slot is free again");
            assertEquals(List.of(), log.warningsAndErrors());
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    /** The first request the server routes puts its per-connection guard in place (ConnectionGuard). */
    private static void served() {
        assertEquals(200, RawHttp.get("/api/products").status());
    }

    /**
     * A keep-alive connection from 127.0.0.1 that has had one answer. The server learns asynchronously that an earlier
     * test's connection closed, so its slot may take a moment to come free: try a few times.
     */
    private static Socket servedConnection() throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            Socket socket = open(InetAddress.getLoopbackAddress());
            try {
                answer(socket);
                return socket;
            } catch (IOException | AssertionError refused) {
                socket.close();
                Thread.sleep(100);
            }
        }
        throw new AssertionError("127.0.0.1 could not get a connection served");
    }

    private static boolean servedAfterAFreedSlot() throws Exception {
        // The server learns of the close asynchronously: try a few times.
        for (int attempt = 0; attempt < 50; attempt++) {
            try (Socket socket = open(InetAddress.getLoopbackAddress())) {
                socket.getOutputStream().write(bytes(ANSWERED_KEEP_ALIVE));
                if (readStatusLine(socket.getInputStream()).startsWith("HTTP/1.1 200")) {
                    return true;
                }
            } catch (IOException refused) {
                // closed by the server: the slot was not free yet
            }
            Thread.sleep(100);
        }
        return false;
    }

    private static Socket open(InetAddress from) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), RestAssured.port, from, 0);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        return socket;
    }

    /** Sends a keep-alive request on {@code socket} and reads its 200 answer, leaving the connection open. */
    private static void answer(Socket socket) throws IOException {
        socket.getOutputStream().write(bytes(ANSWERED_KEEP_ALIVE));
        InputStream in = socket.getInputStream();
        String head = readStatusLine(in);
        assertTrue(head.startsWith("HTTP/1.1 200"), head);
        int length = -1;
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) != -1;) {
            if (b == '\n') {
                String header = line.toString().trim();
                if (header.isEmpty()) {
                    break;
                }
                if (header.toLowerCase().startsWith("content-length:")) {
                    length = Integer.parseInt(header.substring(15).trim());
                }
                line.setLength(0);
            } else {
                line.append((char) b);
            }
        }
        assertTrue(length >= 0, "a keep-alive answer with a Content-Length");
        in.readNBytes(length);
    }

    private static String readStatusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) != -1 && b != '\n';) {
            line.append((char) b);
        }
        return line.toString();
    }

    /** The server closed the connection: end of stream or a reset, before any answer and before our timeout. */
    private static void assertClosed(InputStream in) throws IOException {
        try {
            assertEquals(-1, in.read(), "closed by the server, with nothing sent");
        } catch (SocketTimeoutException stillOpen) {
            throw new AssertionError("the server kept the connection open", stillOpen);
        } catch (IOException reset) {
            // closed by the server with a reset: closed all the same
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
