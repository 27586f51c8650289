package org.flashsale.inventory.live;

import static org.flashsale.inventory.support.Api.newShopper;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

import org.flashsale.inventory.support.Api;
import org.flashsale.inventory.support.ErrorLog;
import org.flashsale.testsupport.WithPostgres;

/**
 * A text message over quarkus.websockets-next.server.max-message-size (64 KB), sent as fragments each under the frame
 * cap, finished or never finished: on every stream the connection is closed with 1009 (Message Too Big), and nothing
 * is logged at ERROR (it was 1011 and an ERROR with its stack per connection).
 */
@QuarkusTest
@WithPostgres
class OversizedMessageTest {

    private static final int FRAGMENT = 40_000;

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({ "/ws/stock, finished", "/ws/stock, never finished", "/ws/shopper, finished",
            "/ws/shopper, never finished", "/ws/admin, finished", "/ws/admin, never finished" })
    void aFragmentedMessageOverTheLimitIsClosedWith1009AndNoError(String path, String ending) throws Exception {
        String bearer = switch (path) {
            case "/ws/shopper" -> newShopper().token();
            case "/ws/admin" -> Api.ADMIN_KEY;
            default -> null;
        };
        List<String> errors;
        int closeCode;
        try (ErrorLog log = ErrorLog.capture(); Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + (bearer == null ? "" : "Authorization: Bearer " + bearer + "\r\n") + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            String head = readHead(in);
            assertEquals("HTTP/1.1 101", head.substring(0, 12), head);

            // 40 KB + 40 KB: each fragment under the 64 KB frame cap, the message over the 64 KB message limit.
            out.write(frame(false, 0x1, new byte[FRAGMENT]));
            out.write(frame(ending.equals("finished"), 0x0, new byte[FRAGMENT]));
            out.flush();
            closeCode = closeCode(in);
            errors = log.errors();
        }
        assertEquals(1009, closeCode, path + ": the close code");
        assertEquals(List.of(), errors, path + " logged an ERROR");
    }

    private static String readHead(DataInputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) in.readUnsignedByte());
        }
        return head.toString();
    }

    /** Reads the server's frames (the snapshot, pings) up to its close frame; its status code. */
    private static int closeCode(DataInputStream in) throws IOException {
        while (true) {
            int opcode = in.readUnsignedByte() & 0x0F;
            long length = in.readUnsignedByte() & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            if (opcode == 0x8) {
                return payload.length < 2 ? -1 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
            }
        }
    }

    /** One masked client frame; {@code fin} false leaves the message unfinished. */
    private static byte[] frame(boolean fin, int opcode, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            out.write(0x80 | payload.length);
        } else {
            out.write(0x80 | 126);
            out.write(payload.length >> 8);
            out.write(payload.length);
        }
        byte[] key = { 1, 2, 3, 4 };
        out.write(key, 0, key.length);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ key[i % 4]);
        }
        return out.toByteArray();
    }
}
