package org.flashsale.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/**
 * Puts a {@code @QuarkusTest} on a real PostgreSQL (see {@link PostgresTestResource}). Test classes with the same
 * resources share one started application.
 *
 * <p>{@code @QuarkusTest} stays on the test class itself: Quarkus 3.32 does not register a test class as a bean when
 * {@code @QuarkusTest} comes from an annotation in another jar (quarkus#56133), so its {@code @Inject} fields fail.
 */
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
public @interface WithPostgres {

    /**
     * Applies inventory-service's migrations (it owns the schema) before the application starts, for an application
     * that does not migrate the database itself.
     */
    boolean migrate() default false;
}
