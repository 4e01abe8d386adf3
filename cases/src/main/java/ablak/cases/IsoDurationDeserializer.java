package ablak.cases;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;

import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * Reads a {@link Duration} setting written in ISO-8601 ({@code PT30S}, {@code PT5M}), so
 * {@link CasesSettings} binds from a configuration file or environment variable with any Jackson
 * mapper, without a java.time module.
 */
public final class IsoDurationDeserializer extends StdScalarDeserializer<Duration> {

    public IsoDurationDeserializer() {
        super(Duration.class);
    }

    @Override
    public Duration deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        String text = parser.getValueAsString();
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException | NullPointerException e) {
            return (Duration) context.handleWeirdStringValue(Duration.class, text,
                    "expected an ISO-8601 duration such as PT30S or PT5M");
        }
    }
}
