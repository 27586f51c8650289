package org.flashsale.inventory.http.json;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.type.ReferenceType;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Strict input: "2", 2.5 or null where an integer belongs, 42 or true where a string belongs, a key given twice,
 * anything after the document, and text PostgreSQL cannot store are errors, not guesses. Ids in bodies are as strict
 * as ids in paths (the canonical 36-character form only: no base64 bytes, no spaces); times are ISO-8601 strings in
 * the years 2000 to 9999, to the microsecond (what PostgreSQL stores), never epoch numbers. An {@code Optional} field
 * of a request tells a field left out (Java {@code null}) from one sent as {@code null} ({@code Optional.empty()}): a
 * partial update needs both.
 */
@Singleton
public class JsonConfig implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        // {"quantity":1,"quantity":9}: parsers disagree on which one counts, so none does.
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        setInputDecorator(mapper);
        // One module: Jackson ignores a second SimpleModule registration as a duplicate of the first. Instants through
        // a modifier, which applies whichever module registers the java.time readers, before us or after.
        mapper.registerModule(new SimpleModule("strict-scalars")
                .addDeserializer(String.class, new WellFormedText())
                .addDeserializer(UUID.class, new CanonicalUuidText())
                .setDeserializerModifier(new StrictReaders()));
    }

    /** A UUID only as a JSON string in the canonical form: Jackson also takes its 16 bytes in base64. */
    /**
     * UTF-8 only (see {@link Utf8OnlyInput}). Quarkus builds the mapper, so its factory's decorator is set here rather
     * than through {@code JsonFactoryBuilder}.
     */
    @SuppressWarnings("deprecation")
    private static void setInputDecorator(ObjectMapper mapper) {
        mapper.getFactory().setInputDecorator(new Utf8OnlyInput());
    }

    /** A value that is only ever written as a JSON string: anything else (a number, true, an object) is refused. */
    abstract static class StringOnly<T> extends StdScalarDeserializer<T> {

        private final Class<T> type;

        StringOnly(Class<T> type) {
            super(type);
            this.type = type;
        }

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                return type.cast(ctxt.handleUnexpectedToken(type, p));
            }
            return fromText(p.getText(), ctxt);
        }

        /** The value, or the exception of {@code ctxt.weirdStringException} saying why not. */
        abstract T fromText(String text, DeserializationContext ctxt) throws IOException;
    }

    static final class CanonicalUuidText extends StringOnly<UUID> {

        CanonicalUuidText() {
            super(UUID.class);
        }

        @Override
        UUID fromText(String text, DeserializationContext ctxt) throws IOException {
            UUID id = CanonicalUuid.parseOrNull(text);
            if (id == null) {
                throw ctxt.weirdStringException(text, UUID.class, "not a UUID in its canonical 36-character form");
            }
            return id;
        }
    }

    /**
     * Puts {@link SaneInstant} and {@link IsoDuration} in place of whatever readers were found for them, and makes an
     * absent {@code Optional} field {@link AbsentIsNull}.
     */
    static final class StrictReaders extends BeanDeserializerModifier {

        @Override
        public JsonDeserializer<?> modifyReferenceDeserializer(DeserializationConfig config, ReferenceType type,
                BeanDescription description, JsonDeserializer<?> deserializer) {
            return type.hasRawClass(Optional.class) ? new AbsentIsNull(deserializer) : deserializer;
        }

        @Override
        public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription description,
                JsonDeserializer<?> deserializer) {
            if (description.getBeanClass() == Instant.class) {
                return new SaneInstant();
            }
            return description.getBeanClass() == Duration.class ? new IsoDuration() : deserializer;
        }
    }

    /**
     * An {@code Optional} whose field was left out is Java {@code null}, not {@code Optional.empty()} (Jackson's
     * default for a record's absent field), so a PATCH can tell "leave it" from "clear it".
     */
    static final class AbsentIsNull extends DelegatingDeserializer {

        AbsentIsNull(JsonDeserializer<?> optional) {
            super(optional);
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> optional) {
            return new AbsentIsNull(optional);
        }

        @Override
        public Object getAbsentValue(DeserializationContext ctxt) {
            return null;
        }
    }

    /**
     * An instant only as an ISO-8601 string with an offset, in the years 2000 to 9999 and to the microsecond at most:
     * no epoch numbers, nothing PostgreSQL would refuse (a 500) or store as something else (echoed back changed).
     */
    static final class SaneInstant extends StringOnly<Instant> {

        static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
        static final Instant AFTER_LATEST = Instant.parse("+10000-01-01T00:00:00Z");

        SaneInstant() {
            super(Instant.class);
        }

        @Override
        Instant fromText(String text, DeserializationContext ctxt) throws IOException {
            Instant instant;
            try {
                instant = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeException e) {
                throw ctxt.weirdStringException(text, Instant.class, "not an ISO-8601 date-time with an offset");
            }
            if (instant.isBefore(EARLIEST) || !instant.isBefore(AFTER_LATEST) || instant.getNano() % 1000 != 0) {
                throw ctxt.weirdStringException(text, Instant.class,
                        "outside the years 2000 to 9999, or finer than a microsecond");
            }
            return instant;
        }
    }

    /**
     * A duration only as an ISO-8601 string ("PT60S", "PT1M"): Jackson's own reader also takes a number of seconds,
     * which would leave the unit to a guess. Its range is the field's constraint.
     */
    static final class IsoDuration extends StringOnly<Duration> {

        IsoDuration() {
            super(Duration.class);
        }

        @Override
        Duration fromText(String text, DeserializationContext ctxt) throws IOException {
            try {
                return Duration.parse(text);
            } catch (DateTimeException e) {
                throw ctxt.weirdStringException(text, Duration.class, "not an ISO-8601 duration such as PT60S");
            }
        }
    }

    /**
     * Strings must be well-formed Unicode without NUL: a lone surrogate ("\ud800") would be stored as '?', and
     * PostgreSQL rejects NUL in text with an error instead of a 400.
     */
    static final class WellFormedText extends StringDeserializer {

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String value = super.deserialize(p, ctxt);
            if (value != null && !isWellFormed(value)) {
                throw ctxt.weirdStringException(value, String.class, "not well-formed text (NUL or a lone surrogate)");
            }
            return value;
        }

        static boolean isWellFormed(String value) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\u0000' || Character.isLowSurrogate(c)) {
                    return false;
                }
                if (Character.isHighSurrogate(c)) {
                    if (i + 1 == value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                        return false;
                    }
                    i++;
                }
            }
            return true;
        }
    }
}
