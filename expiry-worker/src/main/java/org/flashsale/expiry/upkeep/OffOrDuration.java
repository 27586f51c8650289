package org.flashsale.expiry.upkeep;

import java.time.Duration;

import org.eclipse.microprofile.config.spi.Converter;

import io.quarkus.runtime.configuration.DurationConverter;

/**
 * A job's interval as {@code @Scheduled(every = …)} reads it: a duration ({@code 1s}, {@code 5m}, ISO-8601), or
 * {@code off} / {@code disabled} for a job that never runs, which maps to an empty value.
 */
public class OffOrDuration implements Converter<Duration> {

    @Override
    public Duration convert(String value) {
        String trimmed = value.trim();
        if (trimmed.equalsIgnoreCase("off") || trimmed.equalsIgnoreCase("disabled")) {
            return null;
        }
        return DurationConverter.parseDuration(trimmed);
    }
}
