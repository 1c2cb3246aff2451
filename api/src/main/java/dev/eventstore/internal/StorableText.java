package dev.eventstore.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The one rule for text the store keeps exactly as given: no NUL character, no unpaired UTF-16 surrogate.
 *
 * <p>PostgreSQL stores text as UTF-8 and cannot store NUL (U+0000) at all. A lone surrogate has no UTF-8 encoding,
 * so the JDBC driver (like {@link String#getBytes}) silently sends {@code ?} instead: two different ids would become
 * one stream, and a read would match text it was not given. JSON bound for {@code jsonb} has two more ways in, its
 * escapes: <code>&#92;u0000</code> and an escaped surrogate that is not half of a pair, which PostgreSQL refuses.
 * Bytes said to be UTF-8 are decoded strictly, never with replacement characters.
 *
 * <p>Every check fails with an {@link IllegalArgumentException} that names the field, the position and the fix, before
 * any SQL runs.
 */
public final class StorableText {

    private StorableText() {
    }

    /** Text stored or matched as a database {@code text} value; {@code null} passes (presence is the caller's rule). */
    public static String require(String value, String field) {
        if (value != null) {
            check(value, field, false);
        }
        return value;
    }

    /**
     * The UTF-8 bytes of {@code text}, refusing lone surrogates instead of encoding them as {@code ?}. NUL is allowed:
     * the bytes are stored as bytes.
     */
    public static byte[] encodeUtf8(String text, String field) {
        check(text, field, true);
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Decodes {@code utf8} strictly: bytes that are not UTF-8 are refused, never replaced by U+FFFD. */
    public static String decodeUtf8(byte[] utf8, String field) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(utf8);
        CharBuffer out = CharBuffer.allocate(utf8.length); // UTF-8 never decodes to more chars than bytes
        CoderResult result = decoder.decode(in, out, true);
        if (result.isUnderflow()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new IllegalArgumentException(field + " must be UTF-8, but byte " + in.position() + " (0x"
                    + String.format("%02X", utf8[in.position()] & 0xFF) + ") starts an invalid sequence; encode the"
                    + " text as UTF-8 (for example json.getBytes(StandardCharsets.UTF_8)), not ISO-8859-1 or"
                    + " windows-1252");
        }
        return out.flip().toString();
    }

    /**
     * JSON text bound for {@code jsonb}: {@link #require storable text} whose string escapes jsonb can hold, that is
     * no <code>&#92;u0000</code> and every escaped surrogate part of an escaped pair. Whether it is valid JSON
     * otherwise is left to PostgreSQL.
     */
    public static String requireJson(String json, String field) {
        require(json, field);
        boolean inString = false;
        int i = 0;
        while (i < json.length()) {
            char c = json.charAt(i);
            if (c == '"') {
                inString = !inString;
            } else if (c == '\\' && inString && i + 1 < json.length()) {
                if (json.charAt(i + 1) == 'u') {
                    int code = escapedCodeUnit(json, i);
                    if (code == 0) {
                        throw new IllegalArgumentException(field + " contains the JSON escape \\u0000 at index " + i
                                + ", which PostgreSQL's jsonb cannot store; remove it, or encode the value (for"
                                + " example Base64)");
                    }
                    if (code >= 0 && Character.isHighSurrogate((char) code)
                            && isLowSurrogate(escapedCodeUnit(json, i + 6))) {
                        i += 12;
                        continue;
                    }
                    if (code >= 0 && Character.isSurrogate((char) code)) {
                        throw new IllegalArgumentException(field + " contains the JSON escape \\u"
                                + json.substring(i + 2, i + 6) + " at index " + i + ", an unpaired UTF-16 surrogate"
                                + " that PostgreSQL's jsonb rejects; escape both halves of the pair (as in"
                                + " \\ud83d\\ude00) or write the character itself");
                    }
                }
                i += 2;
                continue;
            }
            i++;
        }
        return json;
    }

    /** The code unit of the <code>&#92;uXXXX</code> escape at {@code index}, or -1 when there is none. */
    private static int escapedCodeUnit(String json, int index) {
        if (index + 6 > json.length() || json.charAt(index) != '\\' || json.charAt(index + 1) != 'u') {
            return -1;
        }
        int code = 0;
        for (int i = index + 2; i < index + 6; i++) {
            int digit = Character.digit(json.charAt(i), 16);
            if (digit < 0) {
                return -1;
            }
            code = code * 16 + digit;
        }
        return code;
    }

    private static boolean isLowSurrogate(int codeUnit) {
        return codeUnit >= 0 && Character.isLowSurrogate((char) codeUnit);
    }

    private static void check(String text, String field, boolean nulAllowed) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0' && !nulAllowed) {
                throw new IllegalArgumentException(field + " contains NUL (U+0000) at index " + i + ", which"
                        + " PostgreSQL cannot store in text; remove it, or encode the value (for example Base64)");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw loneSurrogate(field, c, i);
            }
        }
    }

    private static IllegalArgumentException loneSurrogate(String field, char surrogate, int index) {
        return new IllegalArgumentException(field + " contains an unpaired UTF-16 surrogate (U+"
                + String.format("%04X", (int) surrogate) + ") at index " + index + ": it has no UTF-8 encoding, so"
                + " PostgreSQL would get '?' instead and could confuse it with other text; pass well-formed Unicode");
    }
}
