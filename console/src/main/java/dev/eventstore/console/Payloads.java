package dev.eventstore.console;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonReader;
import jakarta.json.JsonStructure;
import jakarta.json.JsonWriter;
import jakarta.json.JsonWriterFactory;
import jakarta.json.stream.JsonGenerator;

import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;

/** Shows a payload to a person: pretty-printed JSON when it is a JSON object or array, else hex. */
public final class Payloads {

    private static final JsonWriterFactory PRETTY = Json.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING,
            true));
    /** Enough for any payload a person reads; the rest is cut and said so. */
    static final int MAX_HEX_BYTES = 64 * 1024;

    private Payloads() {
    }

    /**
     * @param format {@code json} or {@code hex}
     * @param text   the pretty JSON, or the bytes as hex pairs, 32 to a line
     * @param bytes  the payload's length
     */
    public record Rendered(String format, String text, int bytes) {
    }

    static Rendered render(byte[] payload) {
        if (payload.length > 0 && (payload[0] == '{' || payload[0] == '[' || Character.isWhitespace(payload[0]))) {
            try (JsonReader reader = Json.createReader(new StringReader(strictUtf8(payload)))) {
                JsonStructure json = reader.read();
                StringWriter text = new StringWriter();
                try (JsonWriter writer = PRETTY.createWriter(text)) {
                    writer.write(json);
                }
                return new Rendered("json", text.toString().strip(), payload.length);
            } catch (JsonException | IllegalStateException | CharacterCodingException notJson) {
                // fall through to hex
            }
        }
        return new Rendered("hex", hex(payload), payload.length);
    }

    private static String strictUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    }

    static String hex(byte[] bytes) {
        int shown = Math.min(bytes.length, MAX_HEX_BYTES);
        StringBuilder text = new StringBuilder(shown * 3);
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < shown; i++) {
            if (i > 0) {
                text.append(i % 32 == 0 ? '\n' : ' ');
            }
            text.append(hex.toHexDigits(bytes[i]));
        }
        if (shown < bytes.length) {
            text.append("\n... ").append(bytes.length - shown).append(" more bytes");
        }
        return text.toString();
    }
}
