package org.flashsale.inventory.http.problem;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Constraint;
import jakarta.validation.Valid;

/**
 * Which codes a resource method can answer: those it declares with {@link Raises} (on it or its class), and those
 * that follow from its shape.
 * <ul>
 * <li>every operation: {@code NOT_ACCEPTABLE} (it answers only JSON), {@code VALIDATION} (a header that carries meaning
 * sent twice, an empty {@code Idempotency-Key}: {@code HeaderGuard}), {@code INTERNAL}, {@code DATABASE_UNAVAILABLE};</li>
 * <li>a request body: {@code PAYLOAD_TOO_LARGE}, {@code UNSUPPORTED_MEDIA_TYPE}, {@code MALFORMED_JSON},
 * {@code VALIDATION};</li>
 * <li>a constrained parameter: {@code VALIDATION};</li>
 * <li>{@code @RolesAllowed}: {@code UNAUTHORIZED}, {@code FORBIDDEN}.</li>
 * </ul>
 * {@code NOT_FOUND} and {@code METHOD_NOT_ALLOWED} answer requests for paths or methods the document does not
 * have, and {@code URI_TOO_LONG}, {@code HEADERS_TOO_LARGE} and {@code HTTP_VERSION_NOT_SUPPORTED} requests whose
 * request line or headers no operation could be matched by ({@code WireGuard}), so no operation lists them.
 */
public final class ErrorContract {

    private static final Set<ErrorCode> EVERY_OPERATION = EnumSet.of(ErrorCode.NOT_ACCEPTABLE, ErrorCode.VALIDATION,
            ErrorCode.INTERNAL, ErrorCode.DATABASE_UNAVAILABLE);
    private static final Set<ErrorCode> WITH_A_BODY = EnumSet.of(ErrorCode.PAYLOAD_TOO_LARGE,
            ErrorCode.UNSUPPORTED_MEDIA_TYPE, ErrorCode.MALFORMED_JSON, ErrorCode.VALIDATION);
    private static final Set<ErrorCode> SECURED = EnumSet.of(ErrorCode.UNAUTHORIZED, ErrorCode.FORBIDDEN);
    /** Codes about the path, method or request line itself, which no operation answers. */
    public static final Set<ErrorCode> ROUTING = EnumSet.of(ErrorCode.NOT_FOUND, ErrorCode.METHOD_NOT_ALLOWED,
            ErrorCode.URI_TOO_LONG, ErrorCode.HEADERS_TOO_LARGE, ErrorCode.HTTP_VERSION_NOT_SUPPORTED);

    private static final List<String> PARAMETER_SOURCES = List.of("jakarta.ws.rs.", "org.jboss.resteasy.reactive.");

    private ErrorContract() {
    }

    /** Every code {@code method}, a resource method, can answer. */
    public static Set<ErrorCode> codes(Method method) {
        Set<ErrorCode> codes = EnumSet.copyOf(EVERY_OPERATION);
        declared(method.getDeclaringClass().getAnnotation(Raises.class), codes);
        declared(method.getAnnotation(Raises.class), codes);
        if (isSecured(method)) {
            codes.addAll(SECURED);
        }
        for (Parameter parameter : method.getParameters()) {
            if (isBody(parameter)) {
                codes.addAll(WITH_A_BODY);
            } else if (isConstrained(parameter)) {
                codes.add(ErrorCode.VALIDATION);
            }
        }
        return codes;
    }

    private static void declared(Raises raises, Set<ErrorCode> codes) {
        if (raises != null) {
            codes.addAll(List.of(raises.value()));
        }
    }

    private static boolean isSecured(Method method) {
        if (method.isAnnotationPresent(PermitAll.class)) {
            return false;
        }
        return method.isAnnotationPresent(RolesAllowed.class)
                || method.getDeclaringClass().isAnnotationPresent(RolesAllowed.class);
    }

    /** The entity parameter: the one that no JAX-RS or Quarkus REST annotation binds to a part of the request. */
    private static boolean isBody(Parameter parameter) {
        for (Annotation annotation : parameter.getAnnotations()) {
            String name = annotation.annotationType().getName();
            if (PARAMETER_SOURCES.stream().anyMatch(name::startsWith)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isConstrained(Parameter parameter) {
        for (Annotation annotation : parameter.getAnnotations()) {
            if (annotation instanceof Valid || annotation.annotationType().isAnnotationPresent(Constraint.class)) {
                return true;
            }
        }
        return false;
    }
}
