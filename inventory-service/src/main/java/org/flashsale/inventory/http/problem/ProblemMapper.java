package org.flashsale.inventory.http.problem;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.persistence.PersistenceException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.smallrye.mutiny.CompositeException;
import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

import org.flashsale.inventory.db.DatabaseUnavailable;
import org.flashsale.inventory.http.json.CanonicalInteger;

/** The one place where failures become {@code application/problem+json}; nothing internal leaks to clients. */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response domain(ProblemException e) {
        return ProblemWriter.response(e.toProblem());
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e) {
        List<Map<String, String>> violations = e.getConstraintViolations().stream()
                .map(ProblemMapper::violation)
                .toList();
        String detail = violations.stream()
                .map(v -> v.get("field") + " " + v.get("message"))
                .sorted()
                .reduce((a, b) -> a + "; " + b)
                .orElse("invalid request");
        return ProblemWriter.response(ErrorCode.VALIDATION, detail, Map.of("violations", violations));
    }

    private static Map<String, String> violation(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        // "reserve.request.quantity" -> "quantity": clients know fields, not Java method names.
        String[] parts = path.split("\\.");
        String field = parts.length > 2 ? String.join(".", List.of(parts).subList(2, parts.length))
                : parts[parts.length - 1];
        return Map.of("field", field, "message", violation.getMessage());
    }

    /**
     * Jackson's failures. MismatchedInputException and InvalidDefinitionException are named so ours win over the
     * built-in mappers (the latter answered a bare 500 to a key given twice before duplicates were refused).
     */
    @ServerExceptionMapper({ JsonProcessingException.class, MismatchedInputException.class,
            InvalidDefinitionException.class })
    public Response json(JsonProcessingException e) {
        if (e instanceof InvalidDefinitionException) {
            return unexpected(e);
        }
        if (isNotJson(e)) {
            return ProblemWriter.response(ErrorCode.MALFORMED_JSON, "the body could not be parsed as JSON");
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            return invalidField(unknown.getPropertyName(), "is not allowed");
        }
        if (e instanceof InvalidNullException refused) {
            return invalidField(fieldPath(refused), "may not be null");
        }
        if (e instanceof JsonMappingException mapping) {
            return invalidField(fieldPath(mapping), "has the wrong type or format");
        }
        if (e instanceof InputCoercionException) {
            return ProblemWriter.response(ErrorCode.VALIDATION, "a number is out of range");
        }
        return ProblemWriter.response(ErrorCode.MALFORMED_JSON, "the body could not be parsed as JSON");
    }

    /**
     * Syntax errors found while a field's value is read (bad UTF-8 or a raw control character in a string) reach us
     * wrapped with that field's path; a second document after the first is reported as a mismatch. Both mean the
     * body is not one JSON document.
     */
    private static boolean isNotJson(JsonProcessingException e) {
        if (e instanceof JsonMappingException && e.getCause() instanceof JsonParseException) {
            return true;
        }
        return e instanceof MismatchedInputException && e.getOriginalMessage() != null
                && e.getOriginalMessage().startsWith("Trailing token");
    }

    private static String fieldPath(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b)
                .orElse("body");
    }

    private static Response invalidField(String field, String message) {
        return ProblemWriter.response(ErrorCode.VALIDATION, field + " " + message,
                Map.of("violations", List.of(Map.of("field", field, "message", message))));
    }

    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class })
    public Response unauthorized() {
        return ProblemWriter.response(ErrorCode.UNAUTHORIZED, "send a valid token as 'Authorization: Bearer <token>'");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return ProblemWriter.response(ErrorCode.FORBIDDEN, "this token may not do that");
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e, ResourceInfo resource, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json);
        }
        if (e instanceof NotFoundException && e.getCause() != null && resource.getResourceMethod() != null) {
            // JAX-RS answers 404 when a query parameter cannot be converted ("?page=abc"): it is a bad request.
            return unconvertibleQuery(resource.getResourceMethod(), uri);
        }
        if (status >= 500) {
            return unexpected(e);
        }
        ErrorCode code = codeFor(e, status);
        // A 405's Allow is added by http/rest/AllowedMethods, from the route table (Quarkus REST sends none).
        return ProblemWriter.response(code, detailFor(code));
    }

    private static Response unconvertibleQuery(Method method, UriInfo uri) {
        List<Map<String, String>> violations = new ArrayList<>();
        for (Parameter parameter : method.getParameters()) {
            QueryParam query = parameter.getAnnotation(QueryParam.class);
            String value = query == null ? null : uri.getQueryParameters().getFirst(query.value());
            if (value != null && !convertsTo(value, parameter.getType())) {
                violations.add(Map.of("field", query.value(), "message", "must be a whole number"));
            }
        }
        String detail = violations.isEmpty() ? "a query parameter has the wrong type"
                : violations.get(0).get("field") + " must be a whole number";
        return ProblemWriter.response(ErrorCode.VALIDATION, detail, Map.of("violations", violations));
    }

    private static boolean convertsTo(String value, Class<?> type) {
        try {
            if (type == int.class || type == Integer.class) {
                return CanonicalInteger.is(value);
            } else if (type == long.class || type == Long.class) {
                Long.parseLong(value);
            }
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static ErrorCode codeFor(WebApplicationException e, int status) {
        if (e instanceof NotFoundException) {
            return ErrorCode.NOT_FOUND;
        } else if (e instanceof NotAllowedException) {
            return ErrorCode.METHOD_NOT_ALLOWED;
        } else if (e instanceof NotSupportedException) {
            return ErrorCode.UNSUPPORTED_MEDIA_TYPE;
        } else if (e instanceof NotAcceptableException) {
            return ErrorCode.NOT_ACCEPTABLE;
        }
        return status == 413 ? ErrorCode.PAYLOAD_TOO_LARGE : ErrorCode.VALIDATION;
    }

    private static String detailFor(ErrorCode code) {
        return switch (code) {
            case NOT_FOUND -> "there is nothing at this path";
            case METHOD_NOT_ALLOWED -> "this path does not accept that method";
            case UNSUPPORTED_MEDIA_TYPE -> "send the body as application/json";
            case NOT_ACCEPTABLE -> "this resource answers in application/json";
            case PAYLOAD_TOO_LARGE -> "the request body is too large";
            default -> "the request is not valid";
        };
    }

    /**
     * The database is down, restarting, or dropped or reset the connection: 503 (with Retry-After), not a bug. When the connection
     * dropped mid-statement the outcome is unknown; a retry with the same Idempotency-Key is safe. A connection the
     * database reset surfaces as a plain {@link IOException} ("Connection reset by peer") from the client's write; JSON
     * errors, also IOExceptions, have their own, closer mapper above, and any other IOException is a 500.
     */
    @ServerExceptionMapper({ IOException.class, ClosedConnectionException.class, PgException.class,
            NoStackTraceThrowable.class, VertxException.class })
    public Response database(Throwable e) {
        return DatabaseUnavailable.is(e) ? unavailable(e) : unexpected(e);
    }

    private static Response unavailable(Throwable e) {
        LOG.debugf("database unavailable: %s", e.getMessage());
        return ProblemWriter.response(ErrorCode.DATABASE_UNAVAILABLE, "the database is unavailable; try again shortly");
    }

    /**
     * Hibernate Reactive (the catalogue's writes) wraps the client's failures in a PersistenceException: a lost
     * database inside is 503 as above, anything else a bug.
     */
    @ServerExceptionMapper
    public Response persistence(PersistenceException e) {
        Throwable lost = e.getCause() == null ? null : DatabaseUnavailable.within(e.getCause());
        return lost != null ? unavailable(lost) : unexpected(e);
    }

    /**
     * A Hibernate Reactive transaction whose connection went away fails twice (the statement or commit, then the
     * rollback), and Mutiny hands both over together: a lost database among them is 503 as above.
     */
    @ServerExceptionMapper
    public Response composite(CompositeException e) {
        Throwable lost = DatabaseUnavailable.within(e);
        return lost != null ? unavailable(lost) : unexpected(e);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("unexpected failure", e);
        return ProblemWriter.response(ErrorCode.INTERNAL, "something went wrong on our side; try again");
    }
}
