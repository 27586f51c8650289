package org.flashsale.inventory.http.rest;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;

import org.flashsale.inventory.http.json.CanonicalInteger;

/**
 * Every {@code int} query parameter ({@code page}, {@code size}, {@code limit}, {@code from}) in ASCII digits only,
 * as ids are ({@link Ids}): Quarkus REST's own conversion ({@code Integer.valueOf}) reads {@code size=５} as 5. A
 * number it refuses is answered 400 {@code VALIDATION} naming the parameter (ProblemMapper).
 */
@Provider
public class QueryNumbers implements ParamConverterProvider {

    private static final ParamConverter<Integer> INT = new ParamConverter<>() {
        @Override
        public Integer fromString(String value) {
            Integer number = CanonicalInteger.parseOrNull(value);
            if (number == null) {
                throw new IllegalArgumentException("not a whole number in ASCII digits");
            }
            return number;
        }

        @Override
        public String toString(Integer value) {
            return value.toString();
        }
    };

    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        return rawType == int.class || rawType == Integer.class ? (ParamConverter<T>) INT : null;
    }
}
