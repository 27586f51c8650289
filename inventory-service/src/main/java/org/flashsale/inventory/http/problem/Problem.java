package org.flashsale.inventory.http.problem;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** An RFC 9457 problem document ({@code application/problem+json}) with our stable {@code code}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "type", "title", "status", "detail", "code" })
@Schema(name = "Problem", description = "RFC 9457 problem details. Extra members depend on the code: "
        + "availableStock (OUT_OF_STOCK), holdStatus (HOLD_NOT_ACTIVE, HOLD_EXPIRED), violations (VALIDATION), "
        + "queueState and position (NOT_ADMITTED, when the shopper is in the queue; position once placed), "
        + "queueOpensAt (QUEUE_NOT_OPEN).")
@RegisterForReflection
public record Problem(
        @Schema(examples = "about:blank") String type,
        @Schema(examples = "Not enough stock") String title,
        @Schema(examples = "409") int status,
        @Schema(examples = "Only 3 left of this product") String detail,
        @Schema(examples = "OUT_OF_STOCK", description = "One of the ErrorCode values; each response of an operation "
                + "lists the codes it can carry") String code,
        @JsonIgnore @Schema(hidden = true) Map<String, Object> properties) {

    public static final String MEDIA_TYPE = "application/problem+json";
    /** The member of a RATE_LIMITED problem that repeats its Retry-After. */
    public static final String RETRY_AFTER_SECONDS = "retryAfterSeconds";

    public static Problem of(ErrorCode code, String detail, Map<String, Object> properties) {
        return new Problem("about:blank", code.title(), code.status(), detail, code.name(),
                new LinkedHashMap<>(properties));
    }

    /** The code-specific members, written beside the standard ones. */
    @JsonAnyGetter
    Map<String, Object> extensionMembers() {
        return properties;
    }
}
