package org.flashsale.inventory.rest;

import static io.restassured.RestAssured.given;
import static org.flashsale.inventory.support.Api.newProduct;
import static org.flashsale.inventory.support.Api.newShopper;
import static org.flashsale.inventory.support.Api.reserveOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

import org.flashsale.inventory.contract.DocumentedErrors.DocumentedOperation;
import org.flashsale.inventory.contract.DocumentedErrors;
import org.flashsale.inventory.http.problem.ErrorCode;
import org.flashsale.inventory.http.problem.ErrorContract;
import org.flashsale.inventory.http.problem.ProblemHeader;
import org.flashsale.inventory.support.Api.Shopper;
import org.flashsale.inventory.support.Api;
import org.flashsale.inventory.support.ErrorLog;
import org.flashsale.inventory.support.RawHttp.Reply;
import org.flashsale.inventory.support.RawHttp;
import org.flashsale.testsupport.WithPostgres;

/**
 * A corpus of bad requests, each sent byte for byte. Every one must be refused with its exact 4xx status and stable
 * problem code, as {@code application/problem+json}, and must leave the database exactly as it was.
 */
@QuarkusTest
@WithPostgres
class HostileInputTest {

    private static final String PROBLEM = "application/problem+json";
    private static final String OUR_TEST_SECRET = "dev-only-token-secret-change-me-0123456789";
    private static final String OTHER_SECRET = "somebody-elses-secret-0123456789-0123456789";
    private static final String SQL = "'; DROP TABLE products; --";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BODY_LIMIT = 32 * 1024;

    /** What the corpus aims at, made once through the API before the first case. */
    record World(UUID product, UUID soldOut, UUID nearLimit, String takenSku, Shopper owner, UUID hold,
            Shopper stranger) {
    }

    /** One bad request: what it must get back, and how to send it. {@code field} names the violation, if any. */
    record Case(String name, int status, String code, String field, Function<World, Reply> send) {

        @Override
        public String toString() {
            return name;
        }
    }

    private static World world;
    private static DocumentedErrors document;

    @Inject
    Pool pool;

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void isRefusedWithItsProblemAndChangesNothing(Case hostile) throws Exception {
        Refusal refusal = refuse(hostile);
        Reply reply = refusal.reply();
        String seen = refusal.seen();
        JsonNode problem = refusal.problem();
        assertEquals(hostile.status(), problem.path("status").asInt(), seen);
        assertFalse(problem.path("title").asText().isBlank(), seen);
        if (hostile.field() != null) {
            List<String> fields = new ArrayList<>();
            problem.path("violations").forEach(v -> fields.add(v.path("field").asText()));
            assertTrue(fields.contains(hostile.field()), () -> "expected a violation of " + hostile.field() + ": " + seen);
        }
        assertEquals("nosniff", reply.header("X-Content-Type-Options"), seen);
        for (ProblemHeader header : ErrorCode.valueOf(hostile.code()).headers()) {
            assertTrue(reply.header(header.headerName()) != null, () -> "no " + header.headerName() + ": " + seen);
        }
        assertTheDocumentListsIt(hostile, Request.lastSent);
    }

    /** What a hostile request got, already checked for its status, a problem with its code, no ERROR, no change. */
    private record Refusal(Reply reply, JsonNode problem, String seen) {
    }

    private Refusal refuse(Case hostile) throws Exception {
        World w = world();
        Map<String, String> before = snapshot();

        Reply reply;
        List<String> errors;
        try (ErrorLog log = ErrorLog.capture()) {
            reply = hostile.send().apply(w);
            errors = log.errors();
        }

        String seen = hostile.name() + " -> " + reply.status() + " " + reply.header("Content-Type") + " " + reply.body();
        assertEquals(hostile.status(), reply.status(), seen);
        assertTrue(String.valueOf(reply.header("Content-Type")).startsWith(PROBLEM), seen);
        JsonNode problem = JSON.readTree(reply.body());
        assertEquals(hostile.code(), problem.path("code").asText(), seen);
        assertEquals(List.of(), errors, hostile.name() + " logged an ERROR");
        assertEquals(before, snapshot(), hostile.name() + " changed the database");
        return new Refusal(reply, problem, seen);
    }

    /**
     * The live streams' upgrades are not in the OpenAPI document (the AsyncAPI one describes them), so they are a
     * corpus of their own: every malformed upgrade is a 4xx problem, logs no ERROR and changes nothing.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedUpgrades")
    void aMalformedUpgradeIsA4xxProblemAndLogsNoError(Case hostile) throws Exception {
        refuse(hostile);
    }

    static Stream<Case> malformedUpgrades() {
        List<Case> all = new ArrayList<>();
        for (String path : new String[] { "/ws/stock", "/ws/shopper", "/ws/admin" }) {
            for (String protocols : new String[] { "quarkus-http-upgrade", "quarkus-http-upgrade%23X%23y",
                    "bearer-token-carrier, quarkus-http-upgrade", "bearer-token-carrier, quarkus-http-upgrade%23Authorization",
                    "bearer-token-carrier, quarkus-http-upgrade%ZZ", "bearer-token-carrier, quarkus-http-upgrade%23X%20Y%23y",
                    "bearer-token-carrier, quarkus-http-upgrade%23X%0D%0AY%23y",
                    "bearer-token-carrier, quarkus-http-upgrade%23Host%23evil.example",
                    "bearer-token-carrier, quarkus-http-upgrade%23Authorization%23Bearer%20x%23y",
                    "bearer-token-carrier, quarkus-http-upgrade%23Authorization%23a, quarkus-http-upgrade%23Authorization%23b" }) {
                all.add(hostile(path + " offering " + protocols, 400, "VALIDATION", w -> upgrade(path)
                        .header("Sec-WebSocket-Protocol", protocols).send()));
            }
            all.add(hostile(path + " with the carrier and an Authorization header too", 400, "VALIDATION", w -> upgrade(path)
                    .header("Sec-WebSocket-Protocol", "bearer-token-carrier, " + urlEncode("quarkus-http-upgrade#Authorization#Bearer " + w.owner().token()))
                    .bearer(w.owner().token()).send()));
        }
        return all.stream();
    }

    /** After a successful upgrade, what a broken or hostile client sends is its connection's end, never an ERROR. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "a text frame over 64 KB", "an unmasked frame", "a reserved opcode", "a 200-byte ping",
            "close code 999", "random bytes", "a TCP reset" })
    void aBrokenConnectionAfterTheUpgradeLogsNoError(String kind) throws Exception {
        List<String> errors;
        try (ErrorLog log = ErrorLog.capture(); Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /ws/stock HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            byte[] answer = new byte[12];
            assertEquals(12, socket.getInputStream().readNBytes(answer, 0, 12));
            assertEquals("HTTP/1.1 101", new String(answer, StandardCharsets.ISO_8859_1));
            Thread.sleep(100); // the snapshot is sent; the connection is open
            if (kind.equals("a TCP reset")) {
                socket.setSoLinger(true, 0);
            } else {
                out.write(switch (kind) {
                    case "a text frame over 64 KB" -> frame(0x1, true, new byte[70_000]);
                    case "an unmasked frame" -> frame(0x1, false, "hi".getBytes(StandardCharsets.UTF_8));
                    case "a reserved opcode" -> frame(0x3, true, "hi".getBytes(StandardCharsets.UTF_8));
                    case "a 200-byte ping" -> frame(0x9, true, new byte[200]);
                    case "close code 999" -> frame(0x8, true, new byte[] { 0x03, (byte) 0xE7 });
                    default -> randomBytes();
                });
                out.flush();
                Thread.sleep(200);
            }
            socket.close();
            Thread.sleep(200);
            errors = log.errors();
        }
        assertEquals(List.of(), errors, kind + " logged an ERROR");
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[100];
        new java.util.Random(1).nextBytes(bytes);
        bytes[0] = (byte) 0x83; // a final frame with a reserved opcode, then noise
        return bytes;
    }

    /** One WebSocket frame as a client sends it (masked) or as only a server may ({@code masked} false). */
    private static byte[] frame(int opcode, boolean masked, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x80 | opcode);
        int mask = masked ? 0x80 : 0;
        if (payload.length < 126) {
            out.write(mask | payload.length);
        } else if (payload.length < 65_536) {
            out.write(mask | 126);
            out.write(payload.length >> 8);
            out.write(payload.length);
        } else {
            out.write(mask | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) payload.length >> shift));
            }
        }
        byte[] key = { 1, 2, 3, 4 };
        if (masked) {
            out.write(key, 0, key.length);
        }
        for (int i = 0; i < payload.length; i++) {
            out.write(masked ? payload[i] ^ key[i % 4] : payload[i]);
        }
        return out.toByteArray();
    }

    private static Request upgrade(String path) {
        return request("GET", path).header("Upgrade", "websocket").header("Connection", "Upgrade")
                .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==").header("Sec-WebSocket-Version", "13");
    }

    /**
     * The operation the request was for lists the code in /q/openapi. Paths and methods the document does not have,
     * and the codes that answer them (NOT_FOUND for a path that is not canonical, METHOD_NOT_ALLOWED), are no
     * operation's.
     */
    private static void assertTheDocumentListsIt(Case hostile, Request sent) {
        if (ErrorContract.ROUTING.contains(ErrorCode.valueOf(hostile.code()))) {
            return;
        }
        DocumentedOperation operation = documented().operationFor(sent.method, sent.path).orElseThrow(
                () -> new AssertionError(hostile.name() + ": no operation in the document for " + sent.method + " "
                        + sent.path));
        assertTrue(operation.codes().contains(hostile.code()), hostile.name() + ": " + operation.operationId()
                + " answers " + hostile.code() + " but its document lists only " + operation.codes());
    }

    private static DocumentedErrors documented() {
        if (document == null) {
            document = DocumentedErrors.live();
        }
        return document;
    }

    /** The README says "over 150". */
    @Test
    void theCorpusHasOverAHundredAndFiftyRequestsAsTheReadmeSays() {
        assertTrue(corpus().count() > 150, "corpus size " + corpus().count());
    }

    @Test
    void anotherShoppersHoldLooksExactlyLikeAHoldThatDoesNotExist() {
        World w = world();
        UUID unknown = UUID.randomUUID();
        for (String action : new String[] { "", "/complete", "/cancel" }) {
            String method = action.isEmpty() ? "GET" : "POST";
            Reply theirs = request(method, "/api/reservations/" + w.hold() + action).bearer(w.stranger().token()).send();
            Reply none = request(method, "/api/reservations/" + unknown + action).bearer(w.stranger().token()).send();

            assertEquals(404, theirs.status(), theirs.body());
            assertEquals(none.status(), theirs.status());
            assertEquals(headerNames(none), headerNames(theirs));
            assertEquals(none.header("Content-Type"), theirs.header("Content-Type"));
            assertEquals(none.body().replace(unknown.toString(), "{id}"), theirs.body().replace(w.hold().toString(), "{id}"));
        }
        given().header("Authorization", "Bearer " + w.owner().token()).get("/api/reservations/" + w.hold())
                .then().statusCode(200);
    }

    /**
     * Requests too broken for any route: Netty's decoder fails them and Vert.x's default invalid-request handler answers
     * a bare 4xx with an empty body, before any of our handlers (Quarkus offers no hook on
     * that handler). Exactly these, at exactly these limits (a request line or headers past ours but within Netty's
     * get our problem instead); they log no ERROR and change nothing.
     */
    @Test
    void requestsTheHttpServerRefusesItselfAreBare4xxAtTheDocumentedLimits() {
        World w = world();
        Map<String, String> before = snapshot();
        try (ErrorLog log = ErrorLog.capture()) {
            assertEquals(404, RawHttp.exchangeReply(requestLineOf(4096) + "\r\nHost: x\r\nConnection: close\r\n\r\n").status(),
                    "a request line of 4,096 bytes reaches the API");
            // Past our limits, our guard answers with a problem (WireTest); past Netty's, set above ours, Netty does.
            assertProblem(414, "URI_TOO_LONG", RawHttp.exchangeReply(requestLineOf(4097) + "\r\nHost: x\r\n\r\n"));
            assertBare("HTTP/1.0 414 ", RawHttp.exchange(requestLineOf(12_289) + "\r\nHost: x\r\n\r\n"));
            assertProblem(431, "HEADERS_TOO_LARGE", RawHttp.exchangeReply("GET /api/products HTTP/1.1\r\nHost: x\r\n"
                    + "Connection: close\r\nX-Padding: " + "p".repeat(21_000) + "\r\n\r\n"));
            assertBare("HTTP/1.1 431 ", RawHttp.exchange("GET /api/products HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Padding: "
                    + "p".repeat(41_000) + "\r\n\r\n"));
            assertBare("HTTP/1.1 400 ", RawHttp.exchange("GET /api/products\\..\\..\\q\\health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
            assertBare("HTTP/1.1 400 ", RawHttp.exchange("GET /api/pro\u0001ducts HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
            assertBare("HTTP/1.1 400 ", RawHttp.exchange("GET /api/products HTTP/1.1\r\nHost: x\r\nX Bad: 1\r\n\r\n"));
            assertBare("HTTP/1.1 400 ", RawHttp.exchange("GET /api/products HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n"));
            assertBare("HTTP/1.0 400 ", RawHttp.exchange("HELLO\r\n\r\n"));
            String reserve = "POST /api/reservations HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer " + w.stranger().token()
                    + "\r\nContent-Type: application/json\r\n";
            assertBare("HTTP/1.1 400 ", RawHttp.exchange(reserve + "Content-Length: abc\r\n\r\n" + validReserveText(w)));
            assertBare("HTTP/1.1 400 ", RawHttp.exchange(reserve + "Content-Length: 0\r\nContent-Length: "
                    + validReserveText(w).length() + "\r\n\r\n" + validReserveText(w)));
            // A chunked body whose framing breaks after the headers: the connection is closed, with no answer at all.
            assertEquals("", RawHttp.exchange(reserve + "Transfer-Encoding: chunked\r\n\r\nzz\r\n" + validReserveText(w)
                    + "\r\n0\r\n\r\n"));
            assertEquals(List.of(), log.errors());
        }
        assertEquals(before, snapshot());
    }

    @Test
    void anHttp11RequestWithoutHostIsA400ProblemNotAnError() {
        try (ErrorLog log = ErrorLog.capture()) {
            Reply reply = RawHttp.exchangeReply("GET /api/products HTTP/1.1\r\nConnection: close\r\n\r\n");

            assertEquals(400, reply.status(), reply.body());
            assertEquals("application/problem+json", reply.header("Content-Type"));
            assertTrue(reply.body().contains("\"code\":\"VALIDATION\"") && reply.body().contains("\"field\":\"Host\""),
                    reply.body());
            assertEquals(List.of(), log.errors());
        }
        assertEquals(200, RawHttp.exchangeReply("GET /api/products HTTP/1.0\r\n\r\n").status(), "HTTP/1.0 needs no Host");
    }

    /** {@code GET /api/products/aaa… HTTP/1.1}, exactly {@code length} bytes without its CRLF. */
    private static String requestLineOf(int length) {
        String start = "GET /api/products/";
        String end = " HTTP/1.1";
        return start + "a".repeat(length - start.length() - end.length()) + end;
    }

    private static void assertProblem(int status, String code, Reply reply) {
        assertEquals(status, reply.status(), reply.body());
        assertEquals(PROBLEM, reply.header("Content-Type"));
        assertTrue(reply.body().contains("\"code\":\"" + code + "\""), reply.body());
    }

    private static void assertBare(String statusLine, String answer) {
        assertTrue(answer.startsWith(statusLine), () -> "expected " + statusLine + "…, got " + answer);
        String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase(Locale.ROOT);
        assertTrue(head.contains("content-length: 0"), answer);
        assertEquals("", answer.substring(answer.indexOf("\r\n\r\n") + 4), "no body");
    }

    private static Set<String> headerNames(Reply reply) {
        Set<String> names = new TreeSet<>(reply.headers().keySet());
        names.remove("date");
        return names;
    }

    static Stream<Case> corpus() {
        List<Case> all = new ArrayList<>();

        // Wrong JSON types.
        all.add(invalid("quantity as a string", "quantity", w -> reserve(w, "{\"productId\":\"" + w.product() + "\",\"quantity\":\"1\"}")));
        all.add(invalid("quantity as a boolean", "quantity", w -> reserve(w, "{\"productId\":\"" + w.product() + "\",\"quantity\":true}")));
        all.add(invalid("quantity as an array", "quantity", w -> reserve(w, "{\"productId\":\"" + w.product() + "\",\"quantity\":[1]}")));
        all.add(invalid("quantity as an object", "quantity", w -> reserve(w, "{\"productId\":\"" + w.product() + "\",\"quantity\":{\"n\":1}}")));
        all.add(invalid("quantity null", "quantity", w -> reserve(w, "{\"productId\":\"" + w.product() + "\",\"quantity\":null}")));
        all.add(invalid("productId as a number", "productId", w -> reserve(w, "{\"productId\":42,\"quantity\":1}")));
        all.add(invalid("productId as an object", "productId", w -> reserve(w, "{\"productId\":{\"id\":\"" + w.product() + "\"},\"quantity\":1}")));
        all.add(invalid("body is an array", "body", w -> reserve(w, "[{\"productId\":\"" + w.product() + "\",\"quantity\":1}]")));
        all.add(invalid("body is a string", "body", w -> reserve(w, "\"reserve please\"")));
        all.add(invalid("body is a number", "body", w -> reserve(w, "1")));
        all.add(invalid("body is null", null, w -> reserve(w, "null")));
        all.add(invalid("product name as a number", "name", w -> createProduct("{\"sku\":\"HOSTILE-NAME-NUM\",\"name\":42,\"priceCents\":100,\"totalStock\":1}")));
        all.add(invalid("product name as a boolean", "name", w -> createProduct("{\"sku\":\"HOSTILE-NAME-BOOL\",\"name\":true,\"priceCents\":100,\"totalStock\":1}")));
        all.add(invalid("priceCents as a string", "priceCents", w -> createProduct("{\"sku\":\"HOSTILE-PRICE-STR\",\"name\":\"x\",\"priceCents\":\"100\",\"totalStock\":1}")));
        all.add(invalid("restock quantity as a string", "quantity", w -> restock(w.product(), "{\"quantity\":\"5\"}")));

        // Numbers out of bounds, floats and overflow.
        for (String quantity : new String[] { "0", "-1", "-0" }) {
            all.add(invalid("quantity " + quantity, "quantity", w -> reserve(w, "{\"productId\":\"" + w.product() + "\",\"quantity\":" + quantity + "}")));
        }
        all.add(hostile("quantity above max-per-request", 400, "VALIDATION", w -> reserve(w, "{\"productId\":\"" + w.product() + "\",\"quantity\":11}")));
        for (String quantity : new String[] { "2147483648", "-2147483649", "123456789012345678901234567890", "1e400", "1.5",
                "1.0", "1e1", "-1e400" }) {
            all.add(invalid("quantity " + quantity, "quantity", w -> reserve(w, "{\"productId\":\"" + w.product() + "\",\"quantity\":" + quantity + "}")));
        }
        all.add(invalid("restock 0", "quantity", w -> restock(w.product(), "{\"quantity\":0}")));
        all.add(invalid("restock above 1,000,000", "quantity", w -> restock(w.product(), "{\"quantity\":1000001}")));
        all.add(invalid("restock above int range", "quantity", w -> restock(w.product(), "{\"quantity\":2147483648}")));
        all.add(hostile("restock past the stock limit", 409, "STOCK_LIMIT", w -> restock(w.nearLimit(), "{\"quantity\":1000000}")));
        all.add(invalid("negative price", "priceCents", w -> createProduct("{\"sku\":\"HOSTILE-NEG\",\"name\":\"x\",\"priceCents\":-1,\"totalStock\":1}")));
        all.add(invalid("price 1e400", "priceCents", w -> createProduct("{\"sku\":\"HOSTILE-HUGE\",\"name\":\"x\",\"priceCents\":1e400,\"totalStock\":1}")));
        all.add(invalid("price above long range", "priceCents", w -> createProduct("{\"sku\":\"HOSTILE-LONG\",\"name\":\"x\",\"priceCents\":9223372036854775808,\"totalStock\":1}")));
        all.add(invalid("fractional price", "priceCents", w -> createProduct("{\"sku\":\"HOSTILE-FRAC\",\"name\":\"x\",\"priceCents\":10.5,\"totalStock\":1}")));
        all.add(invalid("negative total stock", "totalStock", w -> createProduct("{\"sku\":\"HOSTILE-NEGSTOCK\",\"name\":\"x\",\"priceCents\":1,\"totalStock\":-5}")));
        all.add(invalid("total stock above int range", "totalStock", w -> createProduct("{\"sku\":\"HOSTILE-BIGSTOCK\",\"name\":\"x\",\"priceCents\":1,\"totalStock\":4294967296}")));

        // Bodies over the limit, however they are sent.
        all.add(hostile("reserve body over the limit", 413, "PAYLOAD_TOO_LARGE", w -> request("POST", "/api/reservations")
                .bearer(w.stranger().token()).json(padded(w, BODY_LIMIT * 4)).send()));
        all.add(hostile("chunked body over the limit", 413, "PAYLOAD_TOO_LARGE", w -> request("POST", "/api/reservations")
                .bearer(w.stranger().token()).json(padded(w, BODY_LIMIT * 4)).chunked().send()));
        all.add(hostile("announced length of a terabyte", 413, "PAYLOAD_TOO_LARGE", w -> request("POST", "/api/reservations")
                .bearer(w.stranger().token()).header("Content-Type", "application/json")
                .header("Content-Length", "1099511627776").body(new byte[0]).send()));
        all.add(hostile("a 1 MB product description", 413, "PAYLOAD_TOO_LARGE", w -> createProduct(
                "{\"sku\":\"HOSTILE-MEGA\",\"name\":\"x\",\"priceCents\":1,\"totalStock\":1,\"description\":\"" + "d".repeat(1 << 20) + "\"}")));
        all.add(invalid("description over 2000 characters, under the body limit", "description", w -> createProduct(
                "{\"sku\":\"HOSTILE-DESC\",\"name\":\"x\",\"priceCents\":1,\"totalStock\":1,\"description\":\"" + "d".repeat(2001) + "\"}")));
        all.add(invalid("name over 200 characters", "name", w -> createProduct(
                "{\"sku\":\"HOSTILE-LONGNAME\",\"name\":\"" + "n".repeat(201) + "\",\"priceCents\":1,\"totalStock\":1}")));

        // Wrong or missing content types.
        for (String type : new String[] { "text/plain", "application/xml", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "not a media type" }) {
            all.add(hostile("reserve as " + type, 415, "UNSUPPORTED_MEDIA_TYPE", w -> request("POST", "/api/reservations")
                    .bearer(w.stranger().token()).header("Content-Type", type).body(validReserve(w)).send()));
        }
        all.add(hostile("reserve without a content type", 415, "UNSUPPORTED_MEDIA_TYPE", w -> request("POST", "/api/reservations")
                .bearer(w.stranger().token()).body(validReserve(w)).send()));
        all.add(hostile("restock as text/plain", 415, "UNSUPPORTED_MEDIA_TYPE", w -> request("POST", "/api/admin/products/" + w.product() + "/restock")
                .bearer(Api.ADMIN_KEY).header("Content-Type", "text/plain").body("{\"quantity\":1}".getBytes(StandardCharsets.UTF_8)).send()));
        all.add(hostile("products asked for as XML", 406, "NOT_ACCEPTABLE", w -> request("GET", "/api/products")
                .header("Accept", "application/xml").send()));

        // Fields nobody asked for.
        all.add(invalid("reserve with an extra field", "extra", w -> reserve(w, "{\"productId\":\"" + w.product() + "\",\"quantity\":1,\"extra\":true}")));
        all.add(invalid("reserve naming the shopper", "shopperId", w -> reserve(w, "{\"productId\":\"" + w.product() + "\",\"quantity\":1,\"shopperId\":\"" + w.owner().id() + "\"}")));
        all.add(invalid("reserve choosing the status", "status", w -> reserve(w, "{\"productId\":\"" + w.product() + "\",\"quantity\":1,\"status\":\"COMPLETED\"}")));
        all.add(invalid("product choosing its id", "id", w -> createProduct("{\"id\":\"" + UUID.randomUUID() + "\",\"sku\":\"HOSTILE-ID\",\"name\":\"x\",\"priceCents\":1,\"totalStock\":1}")));
        all.add(invalid("product choosing its available stock", "availableStock", w -> createProduct("{\"sku\":\"HOSTILE-AVAIL\",\"name\":\"x\",\"priceCents\":1,\"totalStock\":1,\"availableStock\":99}")));
        all.add(invalid("restock setting the total", "totalStock", w -> restock(w.product(), "{\"quantity\":1,\"totalStock\":5}")));

        // Malformed ids, in paths and in bodies.
        for (String id : new String[] { "not-a-uuid", "00000000000000000000000000000000", "1-1-1-1-1",
                "00000000-0000-0000-0000-00000000000g", "%E2%80%AE00000000-0000-0000-0000-000000000000" }) {
            all.add(hostile("product id " + id, 404, "PRODUCT_NOT_FOUND", w -> request("GET", "/api/products/" + id).send()));
        }
        all.add(hostile("product id with one character more", 404, "PRODUCT_NOT_FOUND", w -> request("GET", "/api/products/" + w.product() + "0").send()));
        all.add(hostile("product id in fullwidth digits", 404, "PRODUCT_NOT_FOUND", w -> request("GET", "/api/products/" + urlEncode(fullwidth(w.product().toString()))).send()));
        all.add(hostile("hold id of z's", 404, "HOLD_NOT_FOUND", w -> request("GET", "/api/reservations/zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz").bearer(w.owner().token()).send()));
        all.add(hostile("own hold id in fullwidth digits", 404, "HOLD_NOT_FOUND", w -> request("GET", "/api/reservations/" + urlEncode(fullwidth(w.hold().toString()))).bearer(w.owner().token()).send()));
        all.add(hostile("restock of a malformed product id", 404, "PRODUCT_NOT_FOUND", w -> restock("not-a-uuid", "{\"quantity\":1}")));
        for (String id : new String[] { "not-a-uuid", "", "{00000000-0000-0000-0000-000000000000}", "gggggggg-gggg-gggg-gggg-gggggggggggg",
                "\u200b00000000-0000-0000-0000-000000000000", "\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661-1111-1111-1111-111111111111" }) {
            all.add(invalid("productId \"" + id + "\" in the body", "productId", w -> reserve(w, "{\"productId\":\"" + id + "\",\"quantity\":1}")));
        }
        all.add(hostile("unknown product", 404, "PRODUCT_NOT_FOUND", w -> reserve(w, "{\"productId\":\"" + UUID.randomUUID() + "\",\"quantity\":1}")));
        all.add(hostile("sold-out product", 409, "OUT_OF_STOCK", w -> reserve(w, "{\"productId\":\"" + w.soldOut() + "\",\"quantity\":1}")));
        // Ids in bodies as strict as in paths: the product's own id in any other spelling is not an id.
        Map<String, Function<UUID, String>> spellings = new LinkedHashMap<>();
        spellings.put("as its bytes in base64", id -> base64(id));
        spellings.put("with a space before", id -> " " + id);
        spellings.put("with a space after", id -> id + " ");
        spellings.put("with a tab after", id -> id + "\\t");
        spellings.put("with a newline before", id -> "\\n" + id);
        spellings.put("without hyphens", id -> id.toString().replace("-", ""));
        spellings.put("as a URN", id -> "urn:uuid:" + id);
        spellings.put("in braces", id -> "{" + id + "}");
        spellings.put("in short groups", id -> "1-1-1-1-1");
        for (var spelling : spellings.entrySet()) {
            all.add(invalid("productId " + spelling.getKey(), "productId", w -> reserve(w,
                    "{\"productId\":\"" + spelling.getValue().apply(w.product()) + "\",\"quantity\":1}")));
        }

        // Sale times: ISO-8601 strings in the years 2000 to 9999, on create and on update; never epoch numbers.
        String[] badTimes = { "\"+294277-01-01T00:00:00Z\"", "\"-5000-01-01T00:00:00Z\"", "\"+10000-01-01T00:00:00Z\"",
                "\"1999-12-31T23:59:59Z\"", "\"2026-12-01T18:00:00\"", "\"2026-12-01\"", "\"tomorrow\"", "\"\"",
                "\"2026-12-01T18:00:00.123456789Z\"", "1e15", "-99999999999999", "9.5", "0", "1764612000", "true",
                "[2026,12,1]", "{\"epochSecond\":1}" };
        int sku = 0;
        for (String time : badTimes) {
            String skuSuffix = String.valueOf(++sku);
            all.add(invalid("create with saleStartsAt " + time, "saleStartsAt", w -> createProduct(
                    "{\"sku\":\"HOSTILE-TIME-" + skuSuffix + "\",\"name\":\"x\",\"priceCents\":1,\"totalStock\":1,\"saleStartsAt\":" + time + "}")));
            all.add(invalid("update with saleEndsAt " + time, "saleEndsAt", w -> updateProduct(w.product(),
                    "{\"saleEndsAt\":" + time + "}")));
        }
        all.add(invalid("create with saleEndsAt past year 9999", "saleEndsAt", w -> createProduct(
                "{\"sku\":\"HOSTILE-TIME-END\",\"name\":\"x\",\"priceCents\":1,\"totalStock\":1,\"saleEndsAt\":\"+294277-01-01T00:00:00Z\"}")));
        all.add(invalid("update with saleStartsAt as epoch millis", "saleStartsAt", w -> updateProduct(w.product(),
                "{\"saleStartsAt\":1764612000000}")));

        // Malformed JSON.
        all.add(hostile("truncated JSON", 400, "MALFORMED_JSON", w -> reserve(w, "{\"productId\":\"" + w.product() + "\",\"quan")));
        all.add(hostile("trailing garbage", 400, "MALFORMED_JSON", w -> reserve(w, "{\"productId\":\"" + w.product() + "\",\"quantity\":1}garbage")));
        all.add(hostile("two JSON documents", 400, "MALFORMED_JSON", w -> reserve(w, "{\"productId\":\"" + w.product() + "\",\"quantity\":1}{\"productId\":\"" + w.product() + "\",\"quantity\":1}")));
        all.add(hostile("one closing brace too many", 400, "MALFORMED_JSON", w -> reserve(w, "{\"productId\":\"" + w.product() + "\",\"quantity\":1}}")));
        all.add(hostile("duplicate quantity key", 400, "MALFORMED_JSON", w -> reserve(w, "{\"productId\":\"" + w.product() + "\",\"quantity\":1,\"quantity\":5}")));
        all.add(hostile("duplicate productId key", 400, "MALFORMED_JSON", w -> reserve(w, "{\"productId\":\"" + w.soldOut() + "\",\"productId\":\"" + w.product() + "\",\"quantity\":1}")));
        all.add(hostile("duplicate key in a product", 400, "MALFORMED_JSON", w -> createProduct("{\"sku\":\"HOSTILE-DUP\",\"name\":\"x\",\"priceCents\":1,\"priceCents\":0,\"totalStock\":1}")));
        all.add(invalid("depth bomb at the root", "body", w -> reserve(w, "[".repeat(8000) + "]".repeat(8000))));
        all.add(invalid("depth bomb in a field", "quantity", w -> reserve(w, "{\"productId\":\"" + w.product() + "\",\"quantity\":" + "[".repeat(7000) + "]".repeat(7000) + "}")));
        all.add(hostile("comments", 400, "MALFORMED_JSON", w -> reserve(w, "{/* hi */\"productId\":\"" + w.product() + "\",\"quantity\":1}")));
        all.add(hostile("single quotes", 400, "MALFORMED_JSON", w -> reserve(w, "{'productId':'" + w.product() + "','quantity':1}")));
        all.add(hostile("unquoted keys", 400, "MALFORMED_JSON", w -> reserve(w, "{productId:\"" + w.product() + "\",quantity:1}")));
        all.add(hostile("NaN", 400, "MALFORMED_JSON", w -> reserve(w, "{\"productId\":\"" + w.product() + "\",\"quantity\":NaN}")));
        all.add(hostile("fullwidth digit", 400, "MALFORMED_JSON", w -> reserve(w, "{\"productId\":\"" + w.product() + "\",\"quantity\":\uff11}")));
        all.add(hostile("invalid UTF-8", 400, "MALFORMED_JSON", w -> request("POST", "/api/reservations").bearer(w.stranger().token())
                .header("Content-Type", "application/json").body(concat("{\"productId\":\"".getBytes(StandardCharsets.UTF_8),
                        new byte[] { (byte) 0xC3, (byte) 0x28, (byte) 0xFF }, "\",\"quantity\":1}".getBytes(StandardCharsets.UTF_8))).send()));
        all.add(hostile("raw control character in a string", 400, "MALFORMED_JSON", w -> reserve(w, "{\"productId\":\"\u0001\",\"quantity\":1}")));
        all.add(invalid("empty body", null, w -> reserve(w, "")));
        all.add(invalid("whitespace body", null, w -> reserve(w, "  \n ")));

        // SQL in every string field: refused by validation, or carried as plain data into a statement that fails.
        all.add(invalid("SQL in the sku", "sku", w -> createProduct("{\"sku\":\"" + SQL + "\",\"name\":\"x\",\"priceCents\":1,\"totalStock\":1}")));
        all.add(hostile("SQL in the name", 409, "SKU_TAKEN", w -> createProduct("{\"sku\":\"" + w.takenSku() + "\",\"name\":\"" + SQL + "\",\"priceCents\":1,\"totalStock\":1}")));
        all.add(hostile("SQL in the description", 409, "SKU_TAKEN", w -> createProduct("{\"sku\":\"" + w.takenSku() + "\",\"name\":\"x\",\"description\":\"" + SQL + "\",\"priceCents\":1,\"totalStock\":1}")));
        all.add(hostile("SQL in the image URL", 409, "SKU_TAKEN", w -> createProduct("{\"sku\":\"" + w.takenSku() + "\",\"name\":\"x\",\"imageUrl\":\"https://x.example/';DROP/**/TABLE/**/products;--\",\"priceCents\":1,\"totalStock\":1}")));
        all.add(invalid("SQL in the image URL with spaces", "imageUrl", w -> createProduct("{\"sku\":\"HOSTILE-IMG\",\"name\":\"x\",\"imageUrl\":\"" + SQL + "\",\"priceCents\":1,\"totalStock\":1}")));
        all.add(invalid("SQL in the currency", "currency", w -> createProduct("{\"sku\":\"HOSTILE-CUR\",\"name\":\"x\",\"currency\":\"" + SQL + "\",\"priceCents\":1,\"totalStock\":1}")));
        all.add(invalid("SQL in the productId", "productId", w -> reserve(w, "{\"productId\":\"' OR 1=1 --\",\"quantity\":1}")));
        all.add(hostile("SQL in a product path", 404, "PRODUCT_NOT_FOUND", w -> request("GET", "/api/products/" + urlEncode("' OR '1'='1")).send()));
        all.add(hostile("SQL in a hold path", 404, "HOLD_NOT_FOUND", w -> request("POST", "/api/reservations/" + urlEncode("x' OR status='ACTIVE") + "/cancel").bearer(w.stranger().token()).send()));
        all.add(invalid("SQL in the status filter", "status", w -> listHolds(w, "status=" + urlEncode("ACTIVE' OR '1'='1"))));
        all.add(hostile("SQL-looking Idempotency-Key on a sold-out product", 409, "OUT_OF_STOCK", w -> request("POST", "/api/reservations")
                .bearer(w.stranger().token()).header("Idempotency-Key", "k'OR'1'='1';--")
                .json("{\"productId\":\"" + w.soldOut() + "\",\"quantity\":1}").send()));
        all.add(invalid("SQL with spaces in the Idempotency-Key", "idempotencyKey", w -> request("POST", "/api/reservations")
                .bearer(w.stranger().token()).header("Idempotency-Key", SQL).json(validReserveText(w)).send()));
        all.add(hostile("SQL as the bearer token", 401, "UNAUTHORIZED", w -> request("GET", "/api/reservations").bearer("' OR 1=1 --").send()));

        // Unicode: right-to-left override, zero-width space, emoji, lone surrogates, NUL.
        all.add(invalid("right-to-left override in the sku", "sku", w -> createProduct("{\"sku\":\"HOSTILE\u202eRTL\",\"name\":\"x\",\"priceCents\":1,\"totalStock\":1}")));
        all.add(invalid("zero-width space in the sku", "sku", w -> createProduct("{\"sku\":\"HOSTILE\u200bZW\",\"name\":\"x\",\"priceCents\":1,\"totalStock\":1}")));
        all.add(invalid("emoji in the currency", "currency", w -> createProduct("{\"sku\":\"HOSTILE-EMOJI\",\"name\":\"x\",\"currency\":\"\uD83D\uDCB8\",\"priceCents\":1,\"totalStock\":1}")));
        all.add(hostile("emoji and right-to-left text in a name", 409, "SKU_TAKEN", w -> createProduct("{\"sku\":\"" + w.takenSku() + "\",\"name\":\"\uD83D\uDD25 \u202e\u05e9\u05dc\u05d5\u05dd\",\"priceCents\":1,\"totalStock\":1}")));
        all.add(invalid("lone high surrogate escaped in a name", "name", w -> createProduct("{\"sku\":\"HOSTILE-SURR1\",\"name\":\"a\\ud800b\",\"priceCents\":1,\"totalStock\":1}")));
        all.add(invalid("lone low surrogate escaped in a description", "description", w -> createProduct("{\"sku\":\"HOSTILE-SURR2\",\"name\":\"x\",\"description\":\"\\udc00\",\"priceCents\":1,\"totalStock\":1}")));
        all.add(invalid("reversed surrogate pair escaped in a name", "name", w -> createProduct("{\"sku\":\"HOSTILE-SURR3\",\"name\":\"\\udc3d\\ud83d\",\"priceCents\":1,\"totalStock\":1}")));
        all.add(invalid("escaped NUL in a name", "name", w -> createProduct("{\"sku\":\"HOSTILE-NUL\",\"name\":\"a\\u0000b\",\"priceCents\":1,\"totalStock\":1}")));
        all.add(invalid("lone surrogate escaped in the productId", "productId", w -> reserve(w, "{\"productId\":\"\\ud800\",\"quantity\":1}")));
        all.add(invalid("emoji status filter", "status", w -> listHolds(w, "status=" + urlEncode("\uD83D\uDE00"))));
        all.add(invalid("non-ASCII Idempotency-Key", "idempotencyKey", w -> request("POST", "/api/reservations")
                .bearer(w.stranger().token()).header("Idempotency-Key", "cl\u00e9").json(validReserveText(w)).send()));

        // Forged and misplaced credentials.
        all.add(hostile("token with a flipped signature", 401, "UNAUTHORIZED", w -> listHoldsWith(flipSignature(w.owner().token()))));
        all.add(hostile("truncated token", 401, "UNAUTHORIZED", w -> listHoldsWith(w.owner().token().substring(0, w.owner().token().length() - 6))));
        all.add(hostile("token signed with another secret", 401, "UNAUTHORIZED", w -> listHoldsWith(token(OTHER_SECRET, w.owner().id()))));
        all.add(hostile("token naming another shopper", 401, "UNAUTHORIZED", w -> listHoldsWith(w.owner().token().replace(w.owner().id().toString(), w.stranger().id().toString()))));
        all.add(hostile("token without dots", 401, "UNAUTHORIZED", w -> listHoldsWith("garbage")));
        all.add(hostile("unsigned JWT", 401, "UNAUTHORIZED", w -> listHoldsWith("eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.")));
        all.add(hostile("4000-character token", 401, "UNAUTHORIZED", w -> listHoldsWith(w.owner().token() + "A".repeat(4000))));
        all.add(hostile("empty bearer", 401, "UNAUTHORIZED", w -> request("GET", "/api/reservations").header("Authorization", "Bearer ").send()));
        all.add(hostile("Basic credentials", 401, "UNAUTHORIZED", w -> request("GET", "/api/reservations").header("Authorization", "Basic YWRtaW46YWRtaW4=").send()));
        all.add(hostile("token of a shopper that does not exist", 401, "UNAUTHORIZED", w -> request("POST", "/api/reservations")
                .bearer(token(OUR_TEST_SECRET, UUID.randomUUID())).json(validReserveText(w)).send()));
        all.add(hostile("admin key with one character more", 401, "UNAUTHORIZED", w -> request("POST", "/api/admin/reset").bearer(Api.ADMIN_KEY + "x").send()));
        all.add(hostile("admin key in upper case", 401, "UNAUTHORIZED", w -> request("POST", "/api/admin/reset").bearer(Api.ADMIN_KEY.toUpperCase()).send()));
        all.add(hostile("reset without a key", 401, "UNAUTHORIZED", w -> request("POST", "/api/admin/reset").send()));
        all.add(hostile("shopper creates a product", 403, "FORBIDDEN", w -> request("POST", "/api/admin/products").bearer(w.stranger().token())
                .json("{\"sku\":\"HOSTILE-SHOPPER\",\"name\":\"x\",\"priceCents\":1,\"totalStock\":1}").send()));
        all.add(hostile("shopper restocks", 403, "FORBIDDEN", w -> request("POST", "/api/admin/products/" + w.product() + "/restock")
                .bearer(w.stranger().token()).json("{\"quantity\":5}").send()));
        all.add(hostile("shopper resets the shop", 403, "FORBIDDEN", w -> request("POST", "/api/admin/reset").bearer(w.owner().token()).send()));
        all.add(hostile("admin reserves", 403, "FORBIDDEN", w -> request("POST", "/api/reservations").bearer(Api.ADMIN_KEY).json(validReserveText(w)).send()));
        all.add(hostile("admin lists holds", 403, "FORBIDDEN", w -> request("GET", "/api/reservations").bearer(Api.ADMIN_KEY).send()));
        all.add(hostile("admin cancels a shopper's hold", 403, "FORBIDDEN", w -> request("POST", "/api/reservations/" + w.hold() + "/cancel").bearer(Api.ADMIN_KEY).send()));
        all.add(hostile("another shopper's hold", 404, "HOLD_NOT_FOUND", w -> request("GET", "/api/reservations/" + w.hold()).bearer(w.stranger().token()).send()));
        all.add(hostile("completing another shopper's hold", 404, "HOLD_NOT_FOUND", w -> request("POST", "/api/reservations/" + w.hold() + "/complete").bearer(w.stranger().token()).send()));
        all.add(hostile("cancelling another shopper's hold", 404, "HOLD_NOT_FOUND", w -> request("POST", "/api/reservations/" + w.hold() + "/cancel").bearer(w.stranger().token()).send()));
        all.add(hostile("cancelling another shopper's hold in upper case", 404, "HOLD_NOT_FOUND", w -> request("POST", "/api/reservations/" + w.hold().toString().toUpperCase() + "/cancel").bearer(w.stranger().token()).send()));

        // Path tricks.
        for (String path : new String[] { "/api/../q/health", "/api/%2e%2e/q/health", "/api/products/..%2f..%2fq%2fhealth",
                "/api/products/%00", "/api/products/%2E%2E", "/api/./products",
                "/assets/..%2f..%2fMETA-INF%2fMANIFEST.MF", "/api/reservations/..%5c..%5cadmin%5creset" }) {
            all.add(hostile("path " + path, 404, "NOT_FOUND", w -> request("GET", path).bearer(w.owner().token()).send()));
        }
        all.add(hostile("dot segments into the admin API", 404, "NOT_FOUND", w -> request("POST", "/api/reservations/../admin/reset").bearer(w.owner().token()).send()));
        all.add(hostile("NUL after a product id", 404, "NOT_FOUND", w -> request("GET", "/api/products/" + w.product() + "%00").send()));
        all.add(hostile("no such API path", 404, "NOT_FOUND", w -> request("GET", "/api/nothing-here").send()));
        all.add(hostile("DELETE on products", 405, "METHOD_NOT_ALLOWED", w -> request("DELETE", "/api/products").send()));
        all.add(hostile("GET on reset", 405, "METHOD_NOT_ALLOWED", w -> request("GET", "/api/admin/reset").bearer(Api.ADMIN_KEY).send()));
        all.add(hostile("PUT on a hold's cancel", 405, "METHOD_NOT_ALLOWED", w -> request("PUT", "/api/reservations/" + w.hold() + "/cancel").bearer(w.owner().token()).send()));
        all.add(hostile("OPTIONS under the catalogue with no route", 404, "NOT_FOUND", w -> request("OPTIONS", "/api/products/" + w.product() + "/nothing").send()));
        all.add(hostile("OPTIONS under admin with no route", 404, "NOT_FOUND", w -> request("OPTIONS", "/api/admin/nothing").bearer(Api.ADMIN_KEY).send()));

        // Query parameters.
        for (String query : new String[] { "page=-1", "page=100001", "page=99999999999", "page=abc", "page=1%3BDROP" }) {
            all.add(invalid("holds with " + query, "page", w -> listHolds(w, query)));
        }
        for (String query : new String[] { "size=100000", "size=0", "size=-5", "size=1e3" }) {
            all.add(invalid("holds with " + query, "size", w -> listHolds(w, query)));
        }
        for (String query : new String[] { "status=NOPE", "status=active", "status=ACTIVE%00" }) {
            all.add(invalid("holds with " + query, "status", w -> listHolds(w, query)));
        }

        // Every framing of a body meets the same limit and type checks.
        for (String framing : new String[] { "gzip, chunked", "identity, chunked", "chunked, chunked", "x-custom, chunked" }) {
            all.add(hostile("untyped body framed " + framing, 415, "UNSUPPORTED_MEDIA_TYPE", w -> request("POST", "/api/reservations")
                    .bearer(w.stranger().token()).body(validReserve(w)).chunked(framing).send()));
            all.add(hostile("JSON body framed " + framing, 415, "UNSUPPORTED_MEDIA_TYPE", w -> request("POST", "/api/reservations")
                    .bearer(w.stranger().token()).json(validReserveText(w)).chunked(framing).send()));
            all.add(hostile("JSON body over the limit framed " + framing, 415, "UNSUPPORTED_MEDIA_TYPE", w -> request("POST", "/api/reservations")
                    .bearer(w.stranger().token()).json(padded(w, BODY_LIMIT * 2)).chunked(framing).send()));
        }
        all.add(hostile("chunked and a Content-Length, untyped", 415, "UNSUPPORTED_MEDIA_TYPE", w -> request("POST", "/api/reservations")
                .bearer(w.stranger().token()).header("Content-Length", "5").body(validReserve(w)).chunked("chunked").send()));
        all.add(hostile("a gzip Content-Encoding", 415, "UNSUPPORTED_MEDIA_TYPE", w -> request("POST", "/api/reservations")
                .bearer(w.stranger().token()).header("Content-Encoding", "gzip").json(validReserveText(w)).send()));

        // Only application/json in UTF-8 is JSON.
        for (String type : new String[] { "", "*/*", "application/*", "application/json; charset=utf-16",
                "application/json; charset=UTF-32", "application/json; charset=bogus-xyz", "application/json; charset=iso-8859-1",
                "application/json; foo=bar", "application/json; charset=utf-8; charset=utf-16", "application/json;", "json" }) {
            all.add(hostile("reserve as [" + type + "]", 415, "UNSUPPORTED_MEDIA_TYPE", w -> request("POST", "/api/reservations")
                    .bearer(w.stranger().token()).header("Content-Type", type).body(validReserve(w)).send()));
        }
        for (String charset : new String[] { "UTF-16BE", "UTF-16LE", "UTF-16", "UTF-32BE", "UTF-32LE" }) {
            all.add(hostile("reserve encoded in " + charset, 415, "UNSUPPORTED_MEDIA_TYPE", w -> request("POST", "/api/reservations")
                    .bearer(w.stranger().token()).header("Content-Type", "application/json")
                    .body(validReserveText(w).getBytes(Charset.forName(charset))).send()));
        }
        all.add(hostile("reserve encoded in UTF-16 and sent chunked", 415, "UNSUPPORTED_MEDIA_TYPE", w -> request("POST", "/api/reservations")
                .bearer(w.stranger().token()).header("Content-Type", "application/json")
                .body(validReserveText(w).getBytes(StandardCharsets.UTF_16LE)).chunked("chunked").send()));

        // Headers that carry meaning are sent once; an Idempotency-Key that is sent is not empty.
        all.add(invalid("two Authorization headers", "Authorization", w -> request("POST", "/api/reservations")
                .bearer(w.stranger().token()).twice("Authorization", "Bearer " + w.owner().token()).json(validReserveText(w)).send()));
        all.add(invalid("two Authorization headers on a read", "Authorization", w -> request("GET", "/api/reservations")
                .bearer(w.owner().token()).twice("Authorization", "Bearer " + w.stranger().token()).send()));
        all.add(invalid("two Authorization headers on the catalogue", "Authorization", w -> request("GET", "/api/products")
                .bearer(w.owner().token()).twice("Authorization", "Bearer x").send()));
        all.add(invalid("two Idempotency-Keys", "idempotencyKey", w -> request("POST", "/api/reservations")
                .bearer(w.stranger().token()).header("Idempotency-Key", "a").twice("Idempotency-Key", "b").json(validReserveText(w)).send()));
        all.add(invalid("two Content-Types", "Content-Type", w -> request("POST", "/api/reservations")
                .bearer(w.stranger().token()).json(validReserveText(w)).twice("Content-Type", "text/plain").send()));
        all.add(invalid("two identical Content-Types", "Content-Type", w -> request("POST", "/api/admin/products/" + w.product() + "/restock")
                .bearer(Api.ADMIN_KEY).json("{\"quantity\":1}").twice("Content-Type", "application/json").send()));
        for (String key : new String[] { "", "   ", "\t" }) {
            all.add(invalid("Idempotency-Key [" + key + "]", "idempotencyKey", w -> request("POST", "/api/reservations")
                    .bearer(w.stranger().token()).header("Idempotency-Key", key).json(validReserveText(w)).send()));
        }
        all.add(invalid("Idempotency-Key of 201 characters", "idempotencyKey", w -> request("POST", "/api/reservations")
                .bearer(w.stranger().token()).header("Idempotency-Key", "k".repeat(201)).json(validReserveText(w)).send()));

        // A token is accepted in its one canonical spelling only.
        all.add(hostile("token with the spare bits of its signature set", 401, "UNAUTHORIZED", w -> listHoldsWith(spareBitsSet(w.owner().token()))));
        for (String padding : new String[] { "=", "==", "%3D" }) {
            all.add(hostile("token with " + padding + " appended", 401, "UNAUTHORIZED", w -> listHoldsWith(w.owner().token() + padding)));
        }
        all.add(hostile("token with a standard-base64 signature", 401, "UNAUTHORIZED", w -> listHoldsWith(standardBase64(w.owner().token()))));
        all.add(hostile("renewing the token of an unknown shopper", 401, "UNAUTHORIZED", w -> request("POST", "/api/shoppers/me/token")
                .bearer(token(OUR_TEST_SECRET, UUID.randomUUID())).send()));

        // The management paths are read-only.
        for (String method : new String[] { "PUT", "DELETE", "TRACE", "POST", "PATCH" }) {
            for (String path : new String[] { "/q/health", "/q/metrics", "/q/openapi" }) {
                all.add(hostile(method + " " + path, 405, "METHOD_NOT_ALLOWED", w -> request(method, path).send()));
            }
        }
        return all.stream();
    }

    private World world() {
        if (world == null) {
            UUID product = newProduct(10);
            UUID soldOut = newProduct(0);
            UUID nearLimit = newProduct(1);
            pool.preparedQuery("WITH p AS (UPDATE products SET total_stock = 999999999 WHERE id = $1 RETURNING id) "
                    + "UPDATE stock_stripes s SET available_stock = 999999999 FROM p WHERE s.product_id = p.id")
                    .executeAndAwait(Tuple.of(nearLimit));
            String takenSku = given().get("/api/products/" + product).then().statusCode(200).extract().path("sku");
            Shopper owner = newShopper();
            UUID hold = reserveOk(owner, product, 1);
            world = new World(product, soldOut, nearLimit, takenSku, owner, hold, newShopper());
        }
        return world;
    }

    /** Every row of every table a request could change, as a count and a digest. */
    private Map<String, String> snapshot() {
        Map<String, String> tables = new LinkedHashMap<>();
        for (String table : new String[] { "products", "stock_stripes", "holds", "shoppers", "idempotency_records" }) {
            var row = pool.query("SELECT count(*), coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') FROM "
                    + table + " t").executeAndAwait().iterator().next();
            tables.put(table, row.getLong(0) + " rows, digest " + row.getString(1));
        }
        return tables;
    }

    // The corpus's vocabulary.

    private static Case hostile(String name, int status, String code, Function<World, Reply> send) {
        return new Case(name, status, code, null, send);
    }

    private static Case invalid(String name, String field, Function<World, Reply> send) {
        return new Case(name, 400, "VALIDATION", field, send);
    }

    private static Reply reserve(World w, String json) {
        return request("POST", "/api/reservations").bearer(w.stranger().token()).json(json).send();
    }

    private static Reply createProduct(String json) {
        return request("POST", "/api/admin/products").bearer(Api.ADMIN_KEY).json(json).send();
    }

    private static Reply updateProduct(UUID productId, String json) {
        return request("PATCH", "/api/admin/products/" + productId).bearer(Api.ADMIN_KEY).json(json).send();
    }

    /** The UUID's 16 bytes in base64: what Jackson's UUID reader used to accept as the UUID. */
    private static String base64(UUID id) {
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(16)
                .putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array());
    }

    private static Reply restock(Object productId, String json) {
        return request("POST", "/api/admin/products/" + productId + "/restock").bearer(Api.ADMIN_KEY).json(json).send();
    }

    private static Reply listHolds(World w, String query) {
        return request("GET", "/api/reservations?" + query).bearer(w.owner().token()).send();
    }

    private static Reply listHoldsWith(String token) {
        return request("GET", "/api/reservations").bearer(token).send();
    }

    private static String validReserveText(World w) {
        return "{\"productId\":\"" + w.product() + "\",\"quantity\":1}";
    }

    private static byte[] validReserve(World w) {
        return validReserveText(w).getBytes(StandardCharsets.UTF_8);
    }

    /** A valid reserve made long by whitespace: only its size is wrong. */
    private static String padded(World w, int size) {
        String json = validReserveText(w);
        return json.substring(0, json.length() - 1) + " ".repeat(size) + "}";
    }

    private static String fullwidth(String id) {
        StringBuilder out = new StringBuilder();
        for (char c : id.toCharArray()) {
            out.append(c == '-' ? c : (char) (c + 0xFEE0));
        }
        return out.toString();
    }

    private static String urlEncode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    /** A token in our format for {@code shopperId}, signed with {@code secret}. */
    private static String token(String secret, UUID shopperId) {
        String payload = shopperId + "." + (System.currentTimeMillis() / 1000);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return payload + "." + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same signature bytes: its last character with the spare low bits (which the decoder ignores) set. */
    private static String spareBitsSet(String token) {
        char last = token.charAt(token.length() - 1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        // A 32-byte signature ends in a character carrying 4 bits and 2 spare ones: a multiple of 4 in the alphabet.
        return token.substring(0, token.length() - 1) + alphabet.charAt(alphabet.indexOf(last) | 3);
    }

    private static String standardBase64(String token) {
        int start = token.lastIndexOf('.') + 1;
        byte[] signature = Base64.getUrlDecoder().decode(token.substring(start));
        return token.substring(0, start) + Base64.getEncoder().encodeToString(signature);
    }

    private static String flipSignature(String token) {
        int start = token.lastIndexOf('.') + 1;
        char first = token.charAt(start);
        return token.substring(0, start) + (first == 'A' ? 'B' : 'A') + token.substring(start + 1);
    }

    private static Request request(String method, String path) {
        return new Request(method, path);
    }

    /** A request as bytes on the wire. */
    private static final class Request {

        /** The request the corpus sent last, to find its operation in the document. */
        static Request lastSent;

        private final String method;
        private final String path;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private byte[] body = new byte[0];
        private String chunked;

        Request(String method, String path) {
            this.method = method;
            this.path = path;
        }

        Request header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Request bearer(String token) {
            return header("Authorization", "Bearer " + token);
        }

        Request json(String json) {
            header("Content-Type", "application/json");
            return body(json.getBytes(StandardCharsets.UTF_8));
        }

        Request body(byte[] bytes) {
            body = bytes;
            return this;
        }

        Request chunked() {
            return chunked("chunked");
        }

        /** A chunked body under the given {@code Transfer-Encoding} ("gzip, chunked": chunked last, as HTTP asks). */
        Request chunked(String framing) {
            chunked = framing;
            return this;
        }

        /** The header a second time, after the first (written as two header lines). */
        Request twice(String name, String second) {
            String first = headers.get(name);
            headers.put(name, first == null ? second : first + "\r\n" + name + ": " + second);
            return this;
        }

        Reply send() {
            lastSent = this;
            Map<String, String> all = new LinkedHashMap<>(headers);
            byte[] wire = body;
            if (chunked != null) {
                all.put("Transfer-Encoding", chunked);
                wire = concat(chunks(body), "0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            } else if (!all.containsKey("Content-Length") && (body.length > 0 || !method.equals("GET"))) {
                all.put("Content-Length", String.valueOf(body.length));
            }
            return RawHttp.send(method + " " + path + " HTTP/1.1", all, wire);
        }

        private static byte[] chunks(byte[] body) {
            List<byte[]> parts = new ArrayList<>();
            for (int at = 0; at < body.length; at += 4096) {
                int size = Math.min(4096, body.length - at);
                parts.add((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                byte[] chunk = new byte[size];
                System.arraycopy(body, at, chunk, 0, size);
                parts.add(chunk);
                parts.add("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            return concat(parts.toArray(new byte[0][]));
        }
    }
}
