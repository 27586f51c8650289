package org.flashsale.inventory.http.problem;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The codes a resource method (or every method of a resource class) answers besides those {@link ErrorContract}
 * derives from its shape. The OpenAPI document's error responses are generated from it, and the tests fail when an
 * operation answers a code it does not list.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE })
public @interface Raises {

    ErrorCode[] value();
}
