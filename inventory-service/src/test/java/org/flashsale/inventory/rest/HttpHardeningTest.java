package org.flashsale.inventory.rest;

import static io.restassured.RestAssured.given;
import static org.flashsale.inventory.support.Api.as;
import static org.flashsale.inventory.support.Api.newProduct;
import static org.flashsale.inventory.support.Api.newShopper;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import org.flashsale.inventory.live.shared.LiveConfig;
import org.flashsale.inventory.support.Api.Shopper;
import org.flashsale.inventory.support.Api;
import org.flashsale.inventory.support.ErrorLog;
import org.flashsale.inventory.support.RawHttp.Reply;
import org.flashsale.inventory.support.RawHttp;
import org.flashsale.inventory.support.TaggedRequests;
import org.flashsale.testsupport.WithPostgres;

/** The HTTP edge: body size limit, CORS, and the security headers the shop page and the API carry. */
@QuarkusTest
@WithPostgres
class HttpHardeningTest {

    private static final String PROBLEM = "application/problem+json";
    private static final String VITE = "http://localhost:5173";
    private static final int BODY_LIMIT = 32 * 1024;

    @Test
    void aBodyOverTheLimitSentByAnOrdinaryClientIsA413Problem() {
        UUID product = newProduct(5);
        Shopper shopper = newShopper();
        String body = "{\"productId\":\"" + product + "\",\"quantity\":1" + " ".repeat(2 * BODY_LIMIT) + "}";

        as(shopper).contentType(ContentType.JSON).body(body).post("/api/reservations")
                .then().statusCode(413).contentType(PROBLEM)
                .body("code", equalTo("PAYLOAD_TOO_LARGE"))
                .body("status", equalTo(413))
                .header("X-Content-Type-Options", "nosniff");
        given().get("/api/products/" + product).then().body("availableStock", equalTo(5));
    }

    @Test
    void aBodyAtTheLimitIsReadAndOneByteMoreIsNot() {
        String atLimit = productWithDescriptionOfTotalSize(BODY_LIMIT);
        String overLimit = productWithDescriptionOfTotalSize(BODY_LIMIT + 1);

        // At the limit the body is read: it fails validation (description over 2,000 characters), not the size.
        admin(atLimit).then().statusCode(400).contentType(PROBLEM).body("code", equalTo("VALIDATION"))
                .body("violations[0].field", equalTo("description"));
        admin(overLimit).then().statusCode(413).contentType(PROBLEM).body("code", equalTo("PAYLOAD_TOO_LARGE"));
    }

    @Test
    void theLargestValidProductFitsTheLimitEvenWithEveryCharacterEscaped() {
        String e = "\\u00e9";
        String json = "{\"sku\":\"" + "S".repeat(28) + UUID.randomUUID() + "\",\"name\":\"" + e.repeat(200)
                + "\",\"priceCents\":10000000000,\"totalStock\":1000000,\"currency\":\"EUR\",\"description\":\""
                + e.repeat(2000) + "\",\"imageUrl\":\"https://x.example/" + e.repeat(2000 - 18) + "\"}";
        assertTrue(json.length() > 24 * 1024 && json.length() <= BODY_LIMIT, "size " + json.length());

        admin(json).then().statusCode(201).body("description", equalTo("\u00e9".repeat(2000)));
    }

    @Test
    void aChunkedBodyWithinTheLimitIsReadAsUsual() {
        UUID product = newProduct(5);
        Shopper shopper = newShopper();
        byte[] json = ("{\"productId\":\"" + product + "\",\"quantity\":2}").getBytes(StandardCharsets.UTF_8);
        byte[] chunked = (Integer.toHexString(json.length) + "\r\n" + new String(json, StandardCharsets.UTF_8) + "\r\n0\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);

        Reply reply = RawHttp.send("POST /api/reservations HTTP/1.1", Map.of("Authorization", "Bearer " + shopper.token(),
                "Content-Type", "application/json", "Transfer-Encoding", "chunked"), chunked);

        assertEquals(201, reply.status(), reply.body());
        assertTrue(reply.body().contains("\"quantity\":2"), reply.body());
        given().get("/api/products/" + product).then().body("availableStock", equalTo(3));
    }

    /**
     * A client writes 20,000 pipelined requests, reads one answer and goes away. The server reads a connection's
     * requests only {@code flashsale.http.max-pipelined} ahead of its answers, and drops what it had queued for a
     * connection that is gone: it works through a few of them, not all, and logs nothing above DEBUG (Vert.x logged a
     * NullPointerException per closed connection).
     */
    @Test
    void anAbandonedPipelineIsNotWorkedThroughAndLogsNothing() throws Exception {
        String tag = "pipeline-" + UUID.randomUUID();
        int requests = 20_000;
        byte[] one = ("GET /api/products HTTP/1.1\r\nHost: localhost\r\n" + TaggedRequests.HEADER + ": " + tag
                + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
        for (int i = 0; i < requests; i++) {
            pipeline.write(one);
        }
        try (ErrorLog log = ErrorLog.capture()) {
            Socket socket = new Socket("localhost", RestAssured.port);
            socket.setSoTimeout(20_000);
            Thread writer = new Thread(() -> {
                try {
                    socket.getOutputStream().write(pipeline.toByteArray());
                } catch (IOException closed) {
                    // the socket was closed while the server was not reading: as intended
                }
            });
            writer.start();
            assertTrue(socket.getInputStream().read() > 0, "the server answers the first");
            socket.close();
            writer.join();

            given().get("/api/products").then().statusCode(200);
            int worked = settled(() -> TaggedRequests.seen(tag));
            assertTrue(worked < requests / 4, worked + " of " + requests + " requests of a closed connection were served");
            assertEquals(List.of(), log.warningsAndErrors());
        }
    }

    /** The value of {@code count} once it has stopped changing for half a second. */
    private static int settled(IntSupplier count) throws InterruptedException {
        int last = -1;
        int now = count.getAsInt();
        while (now != last) {
            Thread.sleep(500);
            last = now;
            now = count.getAsInt();
        }
        return now;
    }

    @Test
    void aPreflightFromTheConfiguredOriginIsAllowed() {
        preflight(VITE).statusCode(200)
                .header("Access-Control-Allow-Origin", VITE)
                .header("Access-Control-Allow-Methods", containsString("POST"))
                .header("Access-Control-Allow-Headers", containsString("authorization"));
    }

    @Test
    void aPreflightFromAnotherOriginIsRefused() {
        // Without Access-Control-Allow-Origin the browser does not send the request (Quarkus may still list methods).
        // https://localhost:<port> is our host under another scheme: what a TLS-terminating proxy would make of it.
        for (String origin : new String[] { "https://evil.example", "http://localhost:5174", "null",
                VITE + ".evil.example", "https://localhost:" + RestAssured.port }) {
            preflight(origin).statusCode(403)
                    .header("Access-Control-Allow-Origin", nullValue())
                    .header("Access-Control-Allow-Credentials", nullValue());
        }
    }

    @Test
    void aCrossOriginReadIsSharedOnlyWithTheConfiguredOrigin() {
        given().header("Origin", VITE).get("/api/products").then().statusCode(200)
                .header("Access-Control-Allow-Origin", VITE);
        given().header("Origin", "https://evil.example").get("/api/products").then().statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void theShopsOwnOriginNeedsNoCorsConfiguration() {
        String self = "http://localhost:" + RestAssured.port;
        given().header("Origin", self).post("/api/shoppers").then().statusCode(201);
        given().header("Origin", self).get("/api/products").then().statusCode(200);
    }

    @Test
    void prodAllowsNoOtherOriginUnlessConfigured() throws Exception {
        URL properties = getClass().getClassLoader().getResource("application.properties");
        SmallRyeConfig prod = new SmallRyeConfigBuilder().withProfile("prod")
                .withSources(new PropertiesConfigSource(properties)).build();

        assertEquals(Boolean.TRUE, prod.getOptionalValue("quarkus.http.cors.enabled", Boolean.class).orElse(false));
        assertTrue(prod.getOptionalValue("quarkus.http.cors.origins", String.class).isEmpty(),
                "prod must not allow cross origins by default");
    }

    /**
     * The connection limits as prod runs them (README, Connections and timeouts): well below the 20,000 files the
     * process may open, room for the API beside the watchers, idle connections not kept for half an hour, no h2c.
     */
    @Test
    void prodCapsTheConnectionsBelowTheOpenFileLimit() throws Exception {
        URL properties = getClass().getClassLoader().getResource("application.properties");
        SmallRyeConfig prod = new SmallRyeConfigBuilder().withProfile("prod").withMapping(LiveConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter()).withSources(new PropertiesConfigSource(properties)).build();

        int connections = prod.getValue("quarkus.http.limits.max-connections", Integer.class);
        int watchers = prod.getConfigMapping(LiveConfig.class).maxWatchers();
        assertEquals(10_000, connections);
        assertTrue(watchers > 0 && watchers <= connections - 2_000, "watchers leave the API 2,000: " + watchers);
        assertEquals("2M", prod.getValue("quarkus.http.idle-timeout", String.class));
        assertEquals(Boolean.FALSE, prod.getValue("quarkus.http.http2", Boolean.class));
        assertTrue(prod.getOptionalValue("flashsale.http.max-connections-per-address", Integer.class).isEmpty(),
                "prod keeps HttpConfig's default cap per address (200); only the test profile turns it off");
    }

    @Test
    void theShopPageCarriesTheSecurityHeaders() {
        String csp = securityHeaders(given().get("/").then().statusCode(200).contentType(containsString("text/html")))
                .extract().header("Content-Security-Policy");
        for (String directive : new String[] { "default-src 'self'", "script-src 'self'", "style-src 'self'",
                "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'" }) {
            assertTrue(csp.contains(directive), () -> "missing " + directive + " in " + csp);
        }
        assertFalse(csp.contains("unsafe"), csp);
    }

    @Test
    void apiAnswersAndProblemsCarryTheSecurityHeadersToo() {
        securityHeaders(given().get("/api/products").then().statusCode(200));
        securityHeaders(given().get("/api/products/" + UUID.randomUUID()).then().statusCode(404).contentType(PROBLEM));
        securityHeaders(given().get("/api/reservations").then().statusCode(401).contentType(PROBLEM));
    }

    @Test
    void theBuiltShopRunsUnderItsCspWithoutInlineScriptOrStyle() {
        String page = given().get("/").then().statusCode(200).extract().asString();

        assertFalse(page.contains("<style"), "inline <style> would be blocked by style-src 'self'");
        assertFalse(Pattern.compile("\\son[a-z]+=", Pattern.CASE_INSENSITIVE).matcher(page).find(), "inline event handler");
        assertFalse(page.contains(" style="), "inline style attribute");
        Matcher scripts = Pattern.compile("<script([^>]*)>([^<]*)</script>").matcher(page);
        int external = 0;
        while (scripts.find()) {
            assertTrue(scripts.group(1).contains("src=\"/"), () -> "script not from our origin: " + scripts.group());
            assertTrue(scripts.group(2).isBlank(), () -> "inline script: " + scripts.group());
            external++;
        }
        assertTrue(external > 0, "the page loads its bundle");
        // With nosniff a browser runs a script only if it is served as JavaScript, and applies CSS only as text/css.
        Matcher assets = Pattern.compile("(?:src|href)=\"(/assets/[^\"]+\\.(js|css))\"").matcher(page);
        int checked = 0;
        while (assets.find()) {
            String type = assets.group(2).equals("js") ? "javascript" : "text/css";
            given().get(assets.group(1)).then().statusCode(200).contentType(containsString(type))
                    .header("X-Content-Type-Options", "nosniff");
            checked++;
        }
        assertEquals(2, checked, "one script and one stylesheet");
    }

    @Test
    void swaggerUiKeepsWorkingWithoutTheCsp() {
        // Swagger UI starts itself with an inline script, so the CSP leaves /q/* alone; the other headers stay.
        given().get("/q/swagger-ui/").then().statusCode(200)
                .header("Content-Security-Policy", nullValue())
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY");
    }

    private static ValidatableResponse securityHeaders(ValidatableResponse response) {
        return response.header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("X-Frame-Options", "DENY")
                .header("Content-Security-Policy", containsString("default-src 'self'"));
    }

    private static ValidatableResponse preflight(String origin) {
        return given().header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type,idempotency-key")
                .options("/api/reservations").then();
    }

    private static Response admin(String json) {
        return Api.admin().contentType(ContentType.JSON)
                .body(json.getBytes(StandardCharsets.UTF_8)).post("/api/admin/products");
    }

    /** A product whose description pads the JSON body to exactly {@code size} bytes. */
    private static String productWithDescriptionOfTotalSize(int size) {
        String start = "{\"sku\":\"LIMIT-" + UUID.randomUUID() + "\",\"name\":\"x\",\"priceCents\":1,\"totalStock\":1,\"description\":\"";
        String end = "\"}";
        String json = start + "d".repeat(size - start.length() - end.length()) + end;
        assertEquals(size, json.getBytes(StandardCharsets.UTF_8).length);
        return json;
    }
}
