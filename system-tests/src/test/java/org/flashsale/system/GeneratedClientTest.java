package org.flashsale.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.flashsale.client.ApiClient;
import org.flashsale.client.ApiException;
import org.flashsale.client.api.AdminApi;
import org.flashsale.client.api.ProductsApi;
import org.flashsale.client.api.ReservationsApi;
import org.flashsale.client.api.ShoppersApi;
import org.flashsale.client.model.CreateProductRequest;
import org.flashsale.client.model.Hold;
import org.flashsale.client.model.HoldStatus;
import org.flashsale.client.model.Problem;
import org.flashsale.client.model.Product;
import org.flashsale.client.model.ReserveRequest;
import org.flashsale.client.model.ShopperCredentials;
import org.flashsale.client.model.UpdateProductRequest;

/** The Java client that openapi-generator makes from openapi/openapi.json, driving a whole flow against the service. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GeneratedClientTest {

    private Database database;
    private App inventory;

    @BeforeAll
    void start() throws Exception {
        database = new Database();
        inventory = App.inventoryService("client-inventory", database.appEnvironment());
    }

    @AfterAll
    void stop() throws Exception {
        inventory.close();
        database.close();
    }

    @Test
    void createShopperListProductsReserveAndComplete() throws Exception {
        Product created = create(new CreateProductRequest().sku("CLIENT-" + UUID.randomUUID()).name("Client Flow")
                .priceCents(1500L).totalStock(5));
        ShopperCredentials credentials = new ShoppersApi(client(null)).createShopper();
        ApiClient asShopper = client(credentials.getToken());

        List<Product> products = new ProductsApi(asShopper).listProducts();
        assertFalse(products.isEmpty());
        Product product = products.stream().filter(p -> p.getId().equals(created.getId())).findFirst().orElseThrow();
        Hold hold = new ReservationsApi(asShopper).reserve(
                new ReserveRequest().productId(product.getId()).quantity(2), "client-" + UUID.randomUUID());
        assertEquals(HoldStatus.ACTIVE, hold.getStatus());
        assertEquals(2, hold.getQuantity());

        Hold completed = new ReservationsApi(asShopper).completeReservation(hold.getId().toString());

        assertEquals(HoldStatus.COMPLETED, completed.getStatus());
        assertEquals(2 * product.getPriceCents(), completed.getAmountCents());
        assertEquals(product.getAvailableStock() - 2,
                new ProductsApi(asShopper).getProduct(product.getId().toString()).getAvailableStock());
    }

    @Test
    void anErrorArrivesAsATypedProblem() throws Exception {
        ApiClient asShopper = client(new ShoppersApi(client(null)).createShopper().getToken());

        ApiException failure = assertThrows(ApiException.class, () -> new ReservationsApi(asShopper)
                .reserve(new ReserveRequest().productId(UUID.randomUUID()).quantity(1), null));

        assertEquals(404, failure.getCode());
        Problem problem = asShopper.getObjectMapper().readValue(failure.getResponseBody(), Problem.class);
        assertEquals("PRODUCT_NOT_FOUND", problem.getCode());
        assertEquals(404, problem.getStatus());
    }

    /**
     * One field of UpdateProductRequest as the client sends it: a value set, or (where the schema marks it nullable,
     * so the client holds a JsonNullable) an explicit null; a field never set is left out of the request.
     */
    record Field<T>(String name, T before, T after, BiConsumer<UpdateProductRequest, T> send,
            BiConsumer<Product, T> expect, boolean clearable) {

        void sendValue(UpdateProductRequest request, boolean clear) {
            send.accept(request, clear ? null : after);
        }

        void expectValue(Product product, boolean clear) {
            expect.accept(product, clear ? null : after);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final OffsetDateTime HOUR = OffsetDateTime.now(ZoneOffset.UTC).plusDays(1)
            .truncatedTo(ChronoUnit.HOURS);

    private static final List<Field<?>> FIELDS = List.of(
            new Field<>("name", "Before", "After", UpdateProductRequest::setName, Product::setName, false),
            new Field<>("priceCents", 1000L, 2500L, UpdateProductRequest::setPriceCents, Product::setPriceCents, false),
            new Field<>("imageUrl", "https://example.com/before.jpg", "https://example.com/after.jpg",
                    UpdateProductRequest::setImageUrl, Product::setImageUrl, true),
            new Field<>("saleStartsAt", HOUR.plusMinutes(120), HOUR.plusMinutes(150),
                    UpdateProductRequest::setSaleStartsAt, Product::setSaleStartsAt, true),
            new Field<>("saleEndsAt", HOUR.plusMinutes(180), HOUR.plusMinutes(240),
                    UpdateProductRequest::setSaleEndsAt, Product::setSaleEndsAt, true),
            new Field<>("maxPerShopper", 2, 5, UpdateProductRequest::setMaxPerShopper, Product::setMaxPerShopper,
                    true),
            new Field<>("queueOpensAt", HOUR.plusMinutes(60), HOUR.plusMinutes(90),
                    UpdateProductRequest::setQueueOpensAt, Product::setQueueOpensAt, true));

    static Stream<Arguments> eachFieldAndPair() {
        List<Arguments> cases = new ArrayList<>();
        for (int i = 0; i < FIELDS.size(); i++) {
            for (boolean clear : new boolean[] { false, true }) {
                if (!clear || FIELDS.get(i).clearable()) {
                    cases.add(Arguments.of(FIELDS.get(i), clear, null, false));
                }
            }
            for (int j = i + 1; j < FIELDS.size(); j++) {
                cases.add(Arguments.of(FIELDS.get(i), false, FIELDS.get(j), false));
                if (FIELDS.get(i).clearable() && FIELDS.get(j).clearable()) {
                    cases.add(Arguments.of(FIELDS.get(i), true, FIELDS.get(j), true));
                }
            }
        }
        return cases.stream();
    }

    /** Through the client: a field left out stays, a null clears (where the schema allows it), a value sets. */
    @ParameterizedTest(name = "{0} cleared: {1}, {2} cleared: {3}")
    @MethodSource("eachFieldAndPair")
    void aPatchThroughTheClientChangesOnlyTheFieldsItSends(Field<?> first, boolean clearFirst, Field<?> second,
            boolean clearSecond) throws Exception {
        ApiClient admin = client(App.ADMIN_KEY);
        CreateProductRequest create = new CreateProductRequest().sku("CLIENT-" + UUID.randomUUID()).name("Before")
                .priceCents(1000L).totalStock(10).imageUrl("https://example.com/before.jpg")
                .saleStartsAt(HOUR.plusMinutes(120)).saleEndsAt(HOUR.plusMinutes(180)).maxPerShopper(2).queue(true)
                .queueOpensAt(HOUR.plusMinutes(60));
        Product before = create(create);
        String id = before.getId().toString();
        UpdateProductRequest request = new UpdateProductRequest();
        first.sendValue(request, clearFirst);
        Product expected = admin.getObjectMapper().readValue(admin.getObjectMapper().writeValueAsString(before),
                Product.class);
        first.expectValue(expected, clearFirst);
        if (second != null) {
            second.sendValue(request, clearSecond);
            second.expectValue(expected, clearSecond);
        }

        // The queue opens before the sale, which it needs: clearing saleStartsAt alone (queueOpensAt kept) is refused.
        boolean clearsStart = clearFirst && first.name().equals("saleStartsAt")
                || clearSecond && second.name().equals("saleStartsAt");
        boolean clearsOpening = clearSecond && second.name().equals("queueOpensAt");
        if (clearsStart && !clearsOpening) {
            ApiException refused = assertThrows(ApiException.class, () -> new AdminApi(admin).updateProduct(id,
                    request));
            assertEquals(400, refused.getCode());
            assertEquals(before, new ProductsApi(admin).getProduct(id));
            return;
        }
        assertEquals(expected, new AdminApi(admin).updateProduct(id, request));
        assertEquals(expected, new ProductsApi(admin).getProduct(id));
    }

    private Product create(CreateProductRequest request) throws ApiException {
        return new AdminApi(client(App.ADMIN_KEY)).createProduct(request);
    }

    private ApiClient client(String bearer) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(inventory.baseUrl());
        if (bearer != null) {
            client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + bearer));
        }
        return client;
    }
}
