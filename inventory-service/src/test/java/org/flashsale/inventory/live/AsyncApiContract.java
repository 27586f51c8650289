package org.flashsale.inventory.live;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;

/**
 * The committed AsyncAPI document of the live streams ({@code asyncapi/asyncapi.json}), read as a contract: per
 * channel address, the message types it declares (each payload's {@code type} constant) and their payload schemas.
 * Payloads are AsyncAPI schemas, a superset of JSON Schema draft 07, so they are checked as draft 07 with formats
 * asserted.
 */
final class AsyncApiContract {

    static final Path COMMITTED = Path.of("../asyncapi/asyncapi.json");

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The document is registered under this IRI so the payloads' {@code #/components/schemas/…} refs resolve. */
    private static final String DOCUMENT_IRI = "urn:flashsale:asyncapi";
    /** Draft 07, knowing that the document's top-level AsyncAPI fields are not schema keywords. */
    private static final Dialect DIALECT = Dialect.builder(Dialects.getDraft7())
            .keywords(Stream.of("asyncapi", "info", "servers", "defaultContentType", "channels", "operations",
                    "components").map(NonValidationKeyword::new).toList())
            .build();

    private final JsonNode document;
    private final Map<String, Map<String, Schema>> payloadsByAddress = new LinkedHashMap<>();

    private AsyncApiContract(String text) {
        try {
            this.document = JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(DIALECT,
                builder -> builder.schemas(Map.of(DOCUMENT_IRI, text))
                        .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
        for (JsonNode channel : document.get("channels")) {
            Map<String, Schema> byType = new LinkedHashMap<>();
            for (JsonNode message : channel.get("messages")) {
                JsonNode payload = resolve(message).get("payload");
                String type = resolve(payload).at("/properties/type/const").asText();
                byType.put(type, registry.getSchema(SchemaLocation.of(DOCUMENT_IRI + payload.get("$ref").asText())));
            }
            payloadsByAddress.put(channel.get("address").asText(), byType);
        }
    }

    static AsyncApiContract committed() {
        try {
            return new AsyncApiContract(Files.readString(COMMITTED));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every channel's address, as the document lists them. */
    Set<String> addresses() {
        return payloadsByAddress.keySet();
    }

    /** The message types the document declares for the channel at this address. */
    Set<String> types(String address) {
        return new LinkedHashSet<>(channel(address).keySet());
    }

    /** The values a string enum schema of {@code components.schemas} allows. */
    Set<String> enumValues(String schemaName) {
        Set<String> values = new LinkedHashSet<>();
        document.at("/components/schemas/" + schemaName + "/enum").forEach(value -> values.add(value.asText()));
        return values;
    }

    /** Fails unless the channel declares the message's type and the message matches that type's payload schema. */
    void assertValid(String address, JsonNode message) {
        Schema schema = channel(address).get(message.path("type").asText());
        if (schema == null) {
            fail(address + " sent a message type its AsyncAPI channel does not declare: " + message);
        }
        List<Error> errors = schema.validate(message);
        if (!errors.isEmpty()) {
            fail(address + " sent a message its AsyncAPI document does not allow: " + errors + " in " + message);
        }
    }

    private Map<String, Schema> channel(String address) {
        Map<String, Schema> byType = payloadsByAddress.get(address);
        if (byType == null) {
            fail("the AsyncAPI document has no channel at " + address);
        }
        return byType;
    }

    /** The node a local {@code $ref} points at, or the node itself. */
    private JsonNode resolve(JsonNode node) {
        JsonNode ref = node.get("$ref");
        return ref == null ? node : resolve(document.at(ref.asText().substring(1)));
    }
}
