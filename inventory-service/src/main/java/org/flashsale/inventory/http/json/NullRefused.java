package org.flashsale.inventory.http.json;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.PropertyName;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidNullException;

/**
 * For a partial update's field that may be left out but never emptied ({@code @JsonDeserialize(using =
 * NullRefused.class)}): left out it is Java {@code null}; sent as {@code null} it is refused (400 VALIDATION). The value
 * itself is read by the reader Jackson has for its type. Jackson's own {@code @JsonSetter(nulls = FAIL)} also refuses
 * a record's field that was left out.
 */
public final class NullRefused extends JsonDeserializer<Object> implements ContextualDeserializer {

    private final JsonDeserializer<Object> value;
    private final BeanProperty property;

    public NullRefused() {
        this(null, null);
    }

    private NullRefused(JsonDeserializer<Object> value, BeanProperty property) {
        this.value = value;
        this.property = property;
    }

    @Override
    public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property)
            throws JsonMappingException {
        return new NullRefused(ctxt.findContextualValueDeserializer(property.getType(), property), property);
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        return value.deserialize(p, ctxt);
    }

    @Override
    public Object getNullValue(DeserializationContext ctxt) throws JsonMappingException {
        throw InvalidNullException.from(ctxt, property == null ? null : PropertyName.construct(property.getName()),
                property == null ? null : property.getType());
    }

    @Override
    public Object getAbsentValue(DeserializationContext ctxt) {
        return null;
    }
}
