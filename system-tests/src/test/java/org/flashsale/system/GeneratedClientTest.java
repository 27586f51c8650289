package org.flashsale.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.flashsale.client.ApiClient;
import org.flashsale.client.ApiException;
import org.flashsale.client.api.AdminApi;
import org.flashsale.client.api.ProductsApi;
import org.flashsale.client.api.ReservationsApi;
import org.flashsale.client.api.ShoppersApi;
import org.flashsale.client.model.Hold;
import org.flashsale.client.model.HoldStatus;
import org.flashsale.client.model.Problem;
import org.flashsale.client.model.Product;
import org.flashsale.client.model.ReserveRequest;
import org.flashsale.client.model.ShopperCredentials;

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
        new AdminApi(client(App.ADMIN_KEY)).resetDemoData();
        ShopperCredentials credentials = new ShoppersApi(client(null)).createShopper();
        ApiClient asShopper = client(credentials.getToken());

        List<Product> products = new ProductsApi(asShopper).listProducts();
        assertFalse(products.isEmpty());
        Product product = products.get(0);
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

    private ApiClient client(String bearer) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(inventory.baseUrl());
        if (bearer != null) {
            client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + bearer));
        }
        return client;
    }
}
