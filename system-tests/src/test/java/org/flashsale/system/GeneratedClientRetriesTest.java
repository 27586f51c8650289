package org.flashsale.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.flashsale.client.ApiClient;
import org.flashsale.client.ApiException;
import org.flashsale.client.ApiResponse;
import org.flashsale.client.api.AdminApi;
import org.flashsale.client.api.ProductsApi;
import org.flashsale.client.api.ReservationsApi;
import org.flashsale.client.api.ShoppersApi;
import org.flashsale.client.model.CreateProductRequest;
import org.flashsale.client.model.Hold;
import org.flashsale.client.model.HoldPage;
import org.flashsale.client.model.ReserveRequest;
import org.flashsale.client.retry.Retrying;

/**
 * The generated client with the retry example ({@link Retrying}) through a proxy that loses, withholds or refuses a
 * reserve's answer: with one Idempotency-Key per reserve meant, however the answer went missing, the shopper holds
 * the quantity asked once; without one, the same retry holds it twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GeneratedClientRetriesTest {

    private static final int STOCK = 8; // below flashsale.max-per-request (10): STOCK + 1 is OUT_OF_STOCK
    private static final int QUANTITY = 3;

    private Database database;
    private App inventory;
    private FaultyProxy proxy;
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private final Retrying retrying = new Retrying(Duration.ofMillis(50), Duration.ofSeconds(1),
            Duration.ofSeconds(20), wait -> {
                waits.add(wait);
                Thread.sleep(wait.toMillis());
            });

    private UUID product;
    private ApiClient direct;
    private ReservationsApi throughProxy;

    @BeforeAll
    void start() throws Exception {
        database = new Database();
        inventory = App.inventoryService("client-retries-inventory", database.appEnvironment());
    }

    @AfterAll
    void stop() throws Exception {
        inventory.close();
        database.close();
    }

    @BeforeEach
    void aProductAndAShopperBehindTheProxy() throws Exception {
        proxy = new FaultyProxy(inventory.baseUrl());
        waits.clear();
        product = new AdminApi(client(inventory.baseUrl(), App.ADMIN_KEY)).createProduct(new CreateProductRequest()
                .sku("RETRY-" + UUID.randomUUID()).name("Retried").priceCents(100L).totalStock(STOCK)).getId();
        String token = new ShoppersApi(client(inventory.baseUrl(), null)).createShopper().getToken();
        direct = client(inventory.baseUrl(), token);
        ApiClient viaProxy = client(proxy.baseUrl(), token);
        viaProxy.setReadTimeout(Duration.ofSeconds(5));
        throughProxy = new ReservationsApi(viaProxy);
    }

    @AfterEach
    void closeProxy() throws Exception {
        proxy.close();
    }

    @Test
    void anAnswerLostAfterTheCommitIsReplayedToTheRetryWithTheSameKey() throws Exception {
        proxy.misbehave(FaultyProxy.Fault.LOSE_ANSWER);
        String key = UUID.randomUUID().toString();

        ApiResponse<Hold> answer = retrying.call(() -> throughProxy.reserveWithHttpInfo(reserve(), key));

        assertHeldOnce(answer.getData());
        assertEquals(2, proxy.reservesForwarded(), "the first reserve reached the service, and so did the retry");
        assertEquals(201, answer.getStatusCode());
        assertEquals(List.of("true"), answer.getHeaders().get("idempotent-replayed"), "the first answer, replayed");
    }

    @Test
    void anAnswerWithheldUntilTheClientTimesOutIsReplayedToTheRetryWithTheSameKey() throws Exception {
        proxy.misbehave(FaultyProxy.Fault.WITHHOLD_ANSWER);
        String key = UUID.randomUUID().toString();

        Hold hold = retrying.call(() -> throughProxy.reserve(reserve(), key));

        assertEquals(2, proxy.reservesForwarded());
        assertHeldOnce(hold);
    }

    /** The contrast: the same lost answer and the same retry, but no key; the retry is a second reserve. */
    @Test
    void withoutAKeyTheRetryOfALostAnswerHoldsTwice() throws Exception {
        proxy.misbehave(FaultyProxy.Fault.LOSE_ANSWER);

        Hold hold = retrying.call(() -> throughProxy.reserve(reserve(), null));

        assertEquals(2, proxy.reservesForwarded());
        assertEquals(2 * QUANTITY, hold.getQuantity(), "merged into the hold the lost answer made");
        assertEquals(STOCK - 2 * QUANTITY, availableStock());
        database.books().assertBalanced();
    }

    @Test
    void aBusyAnswerIsWaitedOutForAsLongAsItsRetryAfterSays() throws Exception {
        proxy.misbehave(FaultyProxy.Fault.BUSY);
        String key = UUID.randomUUID().toString();

        Hold hold = retrying.call(() -> throughProxy.reserve(reserve(), key));

        assertEquals(1, waits.size());
        assertTrue(waits.get(0).compareTo(Duration.ofSeconds(1)) >= 0, "waited " + waits.get(0));
        assertEquals(1, proxy.reservesForwarded(), "the 503 came from the proxy: one reserve reached the service");
        assertHeldOnce(hold);
    }

    @Test
    void aDefiniteRefusalEndsItAtOnce() throws Exception {
        String key = UUID.randomUUID().toString();

        ApiException refused = assertThrows(ApiException.class, () -> retrying.call(() -> throughProxy.reserve(
                new ReserveRequest().productId(product).quantity(STOCK + 1), key)));

        assertEquals(409, refused.getCode());
        assertEquals(List.of(), waits);
        assertEquals(1, proxy.reservesForwarded());
    }

    private ReserveRequest reserve() {
        return new ReserveRequest().productId(product).quantity(QUANTITY);
    }

    /** Read through the API, not the retried answer: one hold of the quantity asked, the stock taken once. */
    private void assertHeldOnce(Hold answered) throws Exception {
        HoldPage holds = new ReservationsApi(direct).listReservations(null, null, null);
        assertEquals(1, holds.getItems().size());
        Hold held = holds.getItems().get(0);
        assertEquals(answered.getId(), held.getId());
        assertEquals(QUANTITY, held.getQuantity());
        assertEquals(QUANTITY * 100L, held.getAmountCents());
        assertEquals(STOCK - QUANTITY, availableStock());
        database.books().assertBalanced();
    }

    private int availableStock() throws ApiException {
        return new ProductsApi(direct).getProduct(product.toString()).getAvailableStock();
    }

    private static ApiClient client(String baseUrl, String bearer) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(baseUrl);
        if (bearer != null) {
            client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + bearer));
        }
        return client;
    }
}
