package org.flashsale.inventory.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import org.flashsale.testsupport.WithPostgres;

/**
 * Only Vite's hashed assets ({@code /assets/name-HASH.ext}: a new build gives them a new name) may be cached for good;
 * every other file served at {@code /} keeps its name across deploys, so a browser must revalidate it. Every file of
 * the static roots (the SPA's build and inventory-service's own META-INF/resources) is checked, found on the class
 * path, so a file added later is covered too.
 */
@QuarkusTest
@WithPostgres
class StaticFileCachingTest {

    @Test
    void everyFileWithoutAHashInItsNameIsRevalidatedNeverImmutable() throws Exception {
        TreeSet<String> files = staticFiles();
        List<String> unhashed = files.stream().filter(file -> !file.startsWith("assets/")).toList();
        assertTrue(unhashed.containsAll(List.of("index.html", "favicon.ico", "favicon.svg", "asyncapi.json")),
                "found " + files);
        for (String file : Stream.concat(Stream.of(""), unhashed.stream()).toList()) {
            Response response = given().get("/" + file);
            assertEquals(200, response.statusCode(), "/" + file);
            String cacheControl = response.header("Cache-Control");
            assertEquals("no-cache", cacheControl, "/" + file + " must be revalidated");
        }
    }

    @Test
    void hashedAssetsAreImmutable() throws Exception {
        List<String> assets = staticFiles().stream().filter(file -> file.startsWith("assets/")).toList();
        assertFalse(assets.isEmpty(), "the SPA's build has assets");
        for (String asset : assets) {
            assertTrue(asset.matches("assets/.+-[A-Za-z0-9_-]{8,}\\.[a-z0-9]+"), asset + " has a hash in its name");
            String cacheControl = given().get("/" + asset).then().statusCode(200).extract().header("Cache-Control");
            assertTrue(cacheControl != null && cacheControl.contains("immutable"), asset + ": " + cacheControl);
        }
    }

    /** Every file under META-INF/resources on the class path, relative to it. */
    private static TreeSet<String> staticFiles() throws IOException, URISyntaxException {
        TreeSet<String> files = new TreeSet<>();
        for (URL root : Collections.list(Thread.currentThread().getContextClassLoader()
                .getResources("META-INF/resources"))) {
            if (root.getProtocol().equals("file")) {
                Path dir = Path.of(root.toURI());
                try (Stream<Path> walk = Files.walk(dir)) {
                    walk.filter(Files::isRegularFile)
                            .forEach(path -> files.add(dir.relativize(path).toString().replace('\\', '/')));
                }
            } else if (root.getProtocol().equals("jar")) {
                JarURLConnection connection = (JarURLConnection) root.openConnection();
                connection.setUseCaches(false);
                try (JarFile jar = connection.getJarFile()) {
                    jar.stream().filter(entry -> !entry.isDirectory())
                            .map(entry -> entry.getName())
                            .filter(name -> name.startsWith("META-INF/resources/"))
                            .forEach(name -> files.add(name.substring("META-INF/resources/".length())));
                }
            }
        }
        return files;
    }
}
