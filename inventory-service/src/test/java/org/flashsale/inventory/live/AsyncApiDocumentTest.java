package org.flashsale.inventory.live;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import org.flashsale.testsupport.WithPostgres;

/** The service serves the committed AsyncAPI document of its live streams, byte for byte. */
@QuarkusTest
@WithPostgres
class AsyncApiDocumentTest {

    @Test
    void theServedDocumentIsTheCommittedOne() throws Exception {
        String served = given().get("/asyncapi.json").then().statusCode(200)
                .contentType(startsWith("application/json")).extract().asString();

        assertEquals(Files.readString(AsyncApiContract.COMMITTED), served);
    }
}
