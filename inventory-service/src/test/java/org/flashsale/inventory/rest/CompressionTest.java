package org.flashsale.inventory.rest;

import static org.flashsale.inventory.support.Api.newProduct;
import static org.flashsale.inventory.support.Api.newShopper;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import org.flashsale.inventory.support.Api.Shopper;
import org.flashsale.testsupport.WithPostgres;

/** quarkus.http.enable-compression: gzip for a client that asks, the same bytes as before for one that does not. */
@QuarkusTest
@WithPostgres
class CompressionTest {

    private static final HttpClient CLIENT = HttpClient.newHttpClient(); // sends no Accept-Encoding of its own

    @TestHTTPResource("/")
    URL root;

    @Test
    void theShopsScriptAndTheProductListAreGzippedForAClientThatAsks() throws Exception {
        String page = text(get("/", true));
        Matcher script = Pattern.compile("src=\"(/assets/[^\"]+\\.js)\"").matcher(page);
        assertTrue(script.find(), page);

        HttpResponse<byte[]> plain = get(script.group(1), false);
        HttpResponse<byte[]> gzipped = get(script.group(1), true);
        assertFalse(plain.headers().firstValue("Content-Encoding").filter("gzip"::equals).isPresent());
        assertEquals("gzip", gzipped.headers().firstValue("Content-Encoding").orElse(""));
        assertTrue(gzipped.body().length * 2 < plain.body().length,
                () -> gzipped.body().length + " gzipped bytes of " + plain.body().length);
        assertEquals(new String(plain.body(), StandardCharsets.UTF_8), gunzip(gzipped));

        newProduct(3);
        assertEquals("gzip", get("/api/products", true).headers().firstValue("Content-Encoding").orElse(""));
        assertTrue(gunzip(get("/api/products", true)).startsWith("["));
    }

    @Test
    void aReserveIsAnsweredUncompressedEvenToAClientThatAsksAndAProblemStaysReadable() throws Exception {
        UUID product = newProduct(2);
        for (boolean gzip : new boolean[] { false, true }) { // a hold is too small to be worth gzip's CPU
            HttpResponse<byte[]> reserved = reserve(product, newShopper(), gzip);
            assertEquals(201, reserved.statusCode());
            assertFalse(reserved.headers().firstValue("Content-Encoding").filter("gzip"::equals).isPresent());
            assertTrue(new String(reserved.body(), StandardCharsets.UTF_8).contains("\"status\":\"ACTIVE\""));
        }

        HttpResponse<byte[]> refused = reserve(product, newShopper(), true);
        assertEquals(409, refused.statusCode());
        assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse(""));
        String problem = text(refused);
        assertTrue(problem.contains("\"code\":\"OUT_OF_STOCK\""), problem);
    }

    private HttpResponse<byte[]> reserve(UUID product, Shopper shopper, boolean gzip) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(root.toString()).resolve("/api/reservations"))
                .header("Authorization", "Bearer " + shopper.token())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"productId\":\"" + product + "\",\"quantity\":1}"));
        if (gzip) {
            request.header("Accept-Encoding", "gzip");
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> get(String path, boolean gzip) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(root.toString()).resolve(path));
        if (gzip) {
            request.header("Accept-Encoding", "gzip");
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> response) throws IOException {
        return "gzip".equals(response.headers().firstValue("Content-Encoding").orElse("")) ? gunzip(response)
                : new String(response.body(), StandardCharsets.UTF_8);
    }

    private static String gunzip(HttpResponse<byte[]> response) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
