package org.flashsale.inventory.contract;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import org.flashsale.inventory.http.problem.ErrorCode;
import org.flashsale.inventory.http.problem.ProblemException;
import org.flashsale.inventory.http.problem.Raises;

/** Test-only and hidden from the document: an operation that throws a code it does not declare, to prove the check. */
@Path("/test/undeclared-code")
@Produces(MediaType.APPLICATION_JSON)
public class UndeclaredCodeResource {

    @GET
    @Operation(hidden = true)
    @Raises(ErrorCode.PRODUCT_NOT_FOUND)
    public String outOfStock() {
        throw new ProblemException(ErrorCode.OUT_OF_STOCK, "declared PRODUCT_NOT_FOUND only");
    }

    @GET
    @Path("/declared")
    @Operation(hidden = true)
    @Raises(ErrorCode.PRODUCT_NOT_FOUND)
    public String productNotFound() {
        throw new ProblemException(ErrorCode.PRODUCT_NOT_FOUND, "declared");
    }
}
