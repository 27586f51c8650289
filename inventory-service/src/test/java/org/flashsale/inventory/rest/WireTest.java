package org.flashsale.inventory.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;

import org.flashsale.inventory.support.ErrorLog;
import org.flashsale.inventory.support.RawHttp.Reply;
import org.flashsale.inventory.support.RawHttp;
import org.flashsale.testsupport.WithPostgres;

/**
 * The request line and the headers as RFC 9112 reads them: a malformed or repeated {@code Host}, a version other than
 * HTTP/1.0 and 1.1, a request line or header block past our limits — each a problem document, none an ERROR.
 */
@QuarkusTest
@WithPostgres
class WireTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "Host: {0}")
    @ValueSource(strings = { "a b", "x:99999", "a/b", "[::1", "x:-1", "a@b", "[::1]x", "x:8a" })
    void aMalformedHostIsA400ValidationProblemAndNoError(String host) throws Exception {
        try (ErrorLog log = ErrorLog.capture()) {
            Reply reply = RawHttp.exchangeReply("GET /api/products HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");

            assertProblem(reply, 400, "VALIDATION");
            assertTrue(reply.body().contains("\"field\":\"Host\""), reply.body());
            assertEquals(List.of(), log.errors());
        }
    }

    @ParameterizedTest(name = "Host: {0}")
    @ValueSource(strings = { "localhost", "localhost:8080", "127.0.0.1:1", "[::1]", "[::1]:65535", "shop.example.com",
            "xn--bcher-kva.example" })
    void aWellFormedHostIsServed(String host) {
        Reply reply = RawHttp.exchangeReply("GET /api/products HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");

        assertEquals(200, reply.status(), reply.body());
    }

    @Test
    void twoHostHeadersAreA400Problem() throws Exception {
        try (ErrorLog log = ErrorLog.capture()) {
            Reply reply = RawHttp.exchangeReply(
                    "GET /api/products HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\nConnection: close\r\n\r\n");

            assertProblem(reply, 400, "VALIDATION");
            assertTrue(reply.body().contains("\"field\":\"Host\""), reply.body());
            assertEquals(List.of(), log.errors());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "HTTP/2.0", "HTTP/1.2", "HTTP/3.0", "HTTP/9.9", "HTTP/0.9" })
    void aVersionOtherThanHttp10Or11IsA505Problem(String version) throws Exception {
        try (ErrorLog log = ErrorLog.capture()) {
            Reply reply = RawHttp.exchangeReply("GET /api/products " + version + "\r\nHost: localhost\r\nConnection: close\r\n\r\n");

            JsonNode problem = assertProblem(reply, 505, "HTTP_VERSION_NOT_SUPPORTED");
            assertTrue(problem.path("detail").asText().contains("HTTP/1.1"), reply.body());
            assertEquals(List.of(), log.errors());
        }
    }

    @Test
    void aPathOf9000CharactersIsA414Problem() throws Exception {
        try (ErrorLog log = ErrorLog.capture()) {
            Reply reply = RawHttp.exchangeReply("GET /api/products/" + "a".repeat(9_000)
                    + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

            assertProblem(reply, 414, "URI_TOO_LONG");
            assertEquals(List.of(), log.errors());
        }
    }

    @Test
    void headersOf30KilobytesAreA431Problem() throws Exception {
        try (ErrorLog log = ErrorLog.capture()) {
            Reply reply = RawHttp.exchangeReply("GET /api/products HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + "X-Padding: " + "p".repeat(30_000) + "\r\n\r\n");

            assertProblem(reply, 431, "HEADERS_TOO_LARGE");
            assertEquals(List.of(), log.errors());
        }
    }

    @Test
    void manySmallHeadersPastTheLimitAreA431ProblemToo() {
        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < 1_000; i++) {
            headers.append("X-H").append(i).append(": ").append("v".repeat(20)).append("\r\n");
        }
        Reply reply = RawHttp.exchangeReply("GET /api/products HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + headers + "\r\n");

        assertProblem(reply, 431, "HEADERS_TOO_LARGE");
    }

    private static JsonNode assertProblem(Reply reply, int status, String code) {
        assertEquals(status, reply.status(), reply.body());
        assertEquals("application/problem+json", reply.header("Content-Type"));
        try {
            JsonNode problem = JSON.readTree(reply.body());
            assertEquals(code, problem.path("code").asText(), reply.body());
            assertEquals(status, problem.path("status").asInt(), reply.body());
            return problem;
        } catch (IOException e) {
            throw new AssertionError(reply.body(), e);
        }
    }
}
