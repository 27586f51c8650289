package org.flashsale.inventory.contract;

import java.lang.reflect.Method;
import java.util.Map;

import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import org.flashsale.inventory.http.problem.ErrorCode;
import org.flashsale.inventory.http.problem.ErrorContract;
import org.flashsale.inventory.http.problem.Problem;

/**
 * In every {@code @QuarkusTest} (it lives in the test sources, so never in the product): a problem whose code its
 * resource method does not declare ({@link ErrorContract}: {@code @Raises} and what follows from its shape, the same
 * table the OpenAPI document is generated from) is turned into a 500 naming the method and the code. So any test
 * that expects its exact status — HostileInputTest's corpus, ReservationApiTest, RateLimitTest, … — fails when a new
 * {@code throw new ProblemException(SOME_CODE, …)} path is not declared.
 */
public class UndeclaredCodeFilter {

    @ServerResponseFilter
    public void refuseUndeclaredCodes(ContainerResponseContext response, ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        if (method == null || !(response.getEntity() instanceof Problem problem)) {
            return;
        }
        ErrorCode code = ErrorCode.valueOf(problem.code());
        if (ErrorContract.codes(method).contains(code)) {
            return;
        }
        response.setStatus(ErrorCode.INTERNAL.status());
        response.setEntity(Problem.of(ErrorCode.INTERNAL, UNDECLARED + method.getDeclaringClass().getSimpleName()
                + "." + method.getName() + " answered " + code + " (" + problem.detail()
                + "), which its @Raises does not list", Map.of()));
    }

    static final String UNDECLARED = "undeclared code: ";
}
