package dev.eventstore.internal;

import java.util.List;

/**
 * The one rule for topics and topic patterns: dotted words of ASCII letters, digits, {@code _} and {@code -}, at most
 * {@value #MAX_LENGTH} characters (an AMQP routing key holds 255 bytes). A pattern may also use the words {@code *}
 * (exactly one word) and {@code #} (zero or more words).
 */
public final class Topics {

    /** The longest topic: AMQP routing keys are short strings of at most 255 bytes. */
    public static final int MAX_LENGTH = 255;

    private Topics() {
    }

    /** A topic an event may carry; {@code null} passes (absent). */
    public static String requireTopic(String topic, String field) {
        if (topic != null) {
            check(topic, field, false);
        }
        return topic;
    }

    /** A topic pattern; {@code null} or blank is refused. */
    public static String requirePattern(String pattern, String field) {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank; use '#' to match every topic");
        }
        check(pattern, field, true);
        return pattern;
    }

    /** The dot-separated words of a valid topic or pattern. */
    public static List<String> words(String topicOrPattern) {
        return List.of(topicOrPattern.split("\\.", -1));
    }

    private static void check(String value, String field, boolean wildcards) {
        String what = wildcards ? field + " pattern '" : field + " '";
        if (value.isEmpty()) {
            throw new IllegalArgumentException(field + " must be null (no topic) or dotted words such as"
                    + " 'order.lifecycle.placed', was ''");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(what + abbreviate(value) + "' is " + value.length()
                    + " characters long; at most " + MAX_LENGTH + " fit in an AMQP routing key");
        }
        for (String word : value.split("\\.", -1)) {
            if (word.isEmpty()) {
                throw new IllegalArgumentException(what + abbreviate(value) + "' has an empty word: words are"
                        + " separated by single dots, with no dot at the start or end");
            }
            if (wildcards && (word.equals("*") || word.equals("#"))) {
                continue;
            }
            for (int i = 0; i < word.length(); i++) {
                char c = word.charAt(i);
                if (!isWordCharacter(c)) {
                    String hint = (c == '*' || c == '#') && wildcards
                            ? ": a wildcard must be a whole word, as in 'order.*' or 'order.#'"
                            : wildcards
                            ? ": topic words hold only ASCII letters, digits, '_' and '-' (plus the wildcard words"
                            + " '*' and '#'), so this pattern could never match"
                            : ": topic words hold only ASCII letters, digits, '_' and '-', separated by dots, as in"
                            + " 'order.lifecycle.placed'";
                    throw new IllegalArgumentException(what + abbreviate(value) + "' contains '" + printable(c)
                            + "' in the word '" + abbreviate(word) + "'" + hint);
                }
            }
        }
    }

    private static boolean isWordCharacter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    private static String printable(char c) {
        return Character.isISOControl(c) || Character.isSurrogate(c) || Character.isWhitespace(c)
                ? String.format("U+%04X", (int) c) : String.valueOf(c);
    }

    private static String abbreviate(String text) {
        String shown = text.length() <= 60 ? text : text.substring(0, 57) + "...";
        StringBuilder safe = new StringBuilder(shown.length());
        shown.chars().forEach(c -> safe.append(Character.isSurrogate((char) c) || c == 0 ? '?' : (char) c));
        return safe.toString();
    }
}
