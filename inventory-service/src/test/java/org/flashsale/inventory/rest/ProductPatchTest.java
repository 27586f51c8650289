package org.flashsale.inventory.rest;

import static org.flashsale.inventory.support.Api.admin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import org.flashsale.testsupport.WithPostgres;

/**
 * PATCH /api/admin/products/{id} changes only the fields it is sent: a field left out stays as it is, {@code null}
 * clears a field that may be empty (and is refused for one that may not), a value sets it. Every field alone and every
 * pair, from a product with every field set.
 */
@QuarkusTest
@WithPostgres
class ProductPatchTest {

    private static final Instant HOUR = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);

    /** One field of the request: its value on the product before, the value sent, and how a read shows that. */
    record Field(String name, Object before, Object sent, Object shown, boolean clearable) {

        Object shownBefore() {
            return before instanceof String text && text.startsWith("PT") ? "PT1M" : before;
        }
    }

    /** A value or null sent for one field. */
    record Change(Field field, boolean clear) {

        @Override
        public String toString() {
            return field.name + "=" + (clear ? "null" : field.sent);
        }
    }

    private static final List<Field> FIELDS = List.of(
            new Field("name", "Before", "After", "After", false),
            new Field("description", "Described before", "Described after", "Described after", false),
            new Field("imageUrl", "https://example.com/before.jpg", "https://example.com/after.jpg",
                    "https://example.com/after.jpg", true),
            new Field("priceCents", 1000, 2500, 2500, false),
            new Field("saleStartsAt", at(120), at(150), at(150), true),
            new Field("saleEndsAt", at(180), at(240), at(240), true),
            new Field("maxPerShopper", 2, 5, 5, true),
            new Field("queue", true, false, false, false),
            new Field("queueOpensAt", at(60), at(90), at(90), true),
            new Field("admissionTtl", "PT60S", "PT90S", "PT1M30S", false));

    private static String at(int minutes) {
        return HOUR.plus(minutes, ChronoUnit.MINUTES).toString();
    }

    static Stream<Arguments> eachFieldAlone() {
        return FIELDS.stream().flatMap(ProductPatchTest::changesOf).map(change -> Arguments.of(List.of(change)));
    }

    static Stream<Arguments> eachPair() {
        List<Arguments> pairs = new ArrayList<>();
        for (int i = 0; i < FIELDS.size(); i++) {
            for (int j = i + 1; j < FIELDS.size(); j++) {
                List<Change> second = changesOf(FIELDS.get(j)).toList();
                changesOf(FIELDS.get(i)).forEach(a -> second.forEach(b -> pairs.add(Arguments.of(List.of(a, b)))));
            }
        }
        return pairs.stream();
    }

    private static Stream<Change> changesOf(Field field) {
        return Stream.of(new Change(field, false), new Change(field, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eachFieldAlone")
    void oneFieldSentChangesThatFieldOnly(List<Change> changes) {
        patchAndCheck(changes);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eachPair")
    void twoFieldsSentChangeThoseFieldsOnly(List<Change> changes) {
        patchAndCheck(changes);
    }

    private static void patchAndCheck(List<Change> changes) {
        UUID product = productWithEveryFieldSet();
        Map<String, Object> before = read(product);
        for (Field field : FIELDS) {
            assertEquals(field.shownBefore(), before.get(field.name()), field.name() + " before");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        changes.forEach(change -> body.put(change.field().name(), change.clear() ? null : change.field().sent()));

        var response = admin().contentType(ContentType.JSON).body(body).patch("/api/admin/products/" + product)
                .then();

        if (refused(changes)) {
            response.statusCode(400).contentType("application/problem+json").body("code", equalTo("VALIDATION"));
            assertEquals(before, read(product), "a refused change changes nothing");
            return;
        }
        Map<String, Object> expected = new HashMap<>(before);
        changes.forEach(change -> expected.put(change.field().name(), change.clear() ? null : change.field().shown()));
        response.statusCode(200);
        assertEquals(expected, read(product));
    }

    /**
     * Null for a field that may not be empty is refused; so is clearing saleStartsAt while queueOpensAt stays set
     * (the queue opens before the sale, which it needs).
     */
    private static boolean refused(List<Change> changes) {
        boolean clearsStart = changes.stream().anyMatch(c -> c.clear() && c.field().name().equals("saleStartsAt"));
        boolean clearsOpening = changes.stream().anyMatch(c -> c.clear() && c.field().name().equals("queueOpensAt"));
        return changes.stream().anyMatch(c -> c.clear() && !c.field().clearable()) || clearsStart && !clearsOpening;
    }

    private static UUID productWithEveryFieldSet() {
        Map<String, Object> body = new HashMap<>();
        body.put("sku", "PATCH-" + UUID.randomUUID());
        body.put("totalStock", 10);
        FIELDS.forEach(field -> body.put(field.name(), field.before()));
        String id = admin().contentType(ContentType.JSON).body(body).post("/api/admin/products")
                .then().statusCode(201).extract().path("id");
        return UUID.fromString(id);
    }

    private static Map<String, Object> read(UUID product) {
        return admin().get("/api/products/" + product).then().statusCode(200).extract().jsonPath().getMap("");
    }
}
