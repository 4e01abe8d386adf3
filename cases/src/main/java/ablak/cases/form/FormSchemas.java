package ablak.cases.form;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.util.Set;

/** Compiles form schemas (JSON Schema 2020-12 plus the Hungarian identifier formats). */
public final class FormSchemas {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.metaSchema(JsonMetaSchema.builder(JsonMetaSchema.getV202012())
                    .formats(HungarianIdentifierFormats.all())
                    .build()));

    // Draft 2020-12 treats "format" as an annotation unless asked (JSON Schema Validation §7.2):
    // a form must reject a malformed identifier, so assertions are on.
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true)
            .pathType(PathType.JSON_POINTER)
            .build();

    private static final JsonSchema META_SCHEMA =
            FACTORY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"), CONFIG);

    private FormSchemas() {
    }

    public static JsonSchema compile(JsonNode schema) {
        return FACTORY.getSchema(schema, CONFIG);
    }

    /** Problems that make {@code schema} not a valid JSON Schema 2020-12 document; empty when fine. */
    public static Set<ValidationMessage> checkAgainstMetaSchema(JsonNode schema) {
        return META_SCHEMA.validate(schema);
    }
}
