package org.flashsale.inventory.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.flashsale.inventory.http.json.NullRefused;

/**
 * A partial update: a field left out is Java {@code null} and stays as it is. An {@code Optional} field sent as
 * {@code null} is {@code Optional.empty()} and clears it (image, sale window, limit, queue opening time; see
 * JsonConfig); the other fields refuse {@code null} ({@link NullRefused}).
 */
@Schema(name = "UpdateProductRequest")
public record UpdateProductRequest(
        @JsonDeserialize(using = NullRefused.class)
        @Size(max = 200) @Pattern(regexp = ".*\\S.*") @Schema(examples = "Aurora Runner — Limited") String name,
        @JsonDeserialize(using = NullRefused.class) @Size(max = 2000) String description,
        Optional<@Size(max = 2000) @Pattern(regexp = "https?://\\S+|/\\S*") String> imageUrl,
        @JsonDeserialize(using = NullRefused.class)
        @Min(0) @Max(10_000_000_000L) @Schema(examples = "12900") Long priceCents,
        @Schema(description = "Reserving opens at this time; null: open now", examples = "2026-12-01T18:00:00Z")
        Optional<Instant> saleStartsAt,
        @Schema(description = "Reserving closes at this time; null: no end") Optional<Instant> saleEndsAt,
        @Schema(description = CreateProductRequest.MAX_PER_SHOPPER + "; null: no limit", examples = "2")
        Optional<@Min(1) @Max(1_000_000) Integer> maxPerShopper,
        @JsonDeserialize(using = NullRefused.class)
        @Schema(description = CreateProductRequest.QUEUE) Boolean queue,
        @Schema(description = CreateProductRequest.QUEUE_OPENS_AT + "; null: as soon as queue is on",
                examples = "2026-12-01T17:30:00Z") Optional<Instant> queueOpensAt,
        @JsonDeserialize(using = NullRefused.class) @DurationMin(seconds = 5) @DurationMax(hours = 1)
        @Schema(type = SchemaType.STRING, format = "duration", description = CreateProductRequest.ADMISSION_TTL,
                examples = "PT60S") Duration admissionTtl) {
}
