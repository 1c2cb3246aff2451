package dev.eventstore.query;

import dev.eventstore.internal.StorableText;

import java.util.List;

/**
 * An event-type filter: an exact event-type name, or a dotted wildcard pattern.
 *
 * <p>A pattern is a sequence of words separated by {@code .}; the word {@code *} matches exactly one word and the
 * word {@code #} matches zero or more words, so {@code order.*} matches {@code order.placed} but not
 * {@code order.line.added}, while {@code order.#} matches {@code order}, {@code order.placed} and
 * {@code order.line.added}. Every other word matches itself literally, including characters such as {@code +} or
 * {@code $}. A value without a {@code *} or {@code #} word is an exact name and may contain any characters except
 * those no stored event type can hold: NUL and unpaired UTF-16 surrogates are refused rather than matched as
 * something else.
 *
 * @param value the exact name or the pattern as written
 */
public record EventTypePattern(String value) {

    public EventTypePattern {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("eventType must not be blank");
        }
        StorableText.require(value, "eventType");
        if (containsWildcardCharacter(value)) {
            validatePattern(value);
        }
    }

    /** Parses {@code value} as an exact name or a pattern; see the class documentation for the rules. */
    public static EventTypePattern of(String value) {
        return new EventTypePattern(value);
    }

    /** Whether this is a wildcard pattern rather than an exact name. */
    public boolean isWildcard() {
        return containsWildcardCharacter(value);
    }

    /** The dot-separated words of the value. */
    public List<String> words() {
        return List.of(value.split("\\.", -1));
    }

    @Override
    public String toString() {
        return value;
    }

    private static boolean containsWildcardCharacter(String value) {
        return value.indexOf('*') >= 0 || value.indexOf('#') >= 0;
    }

    private static void validatePattern(String value) {
        for (String word : value.split("\\.", -1)) {
            if (word.isEmpty()) {
                throw new IllegalArgumentException("eventType pattern '" + value + "' has an empty word: words are"
                        + " separated by single dots, with no dot at the start or end");
            }
            boolean wildcardWord = word.equals("*") || word.equals("#");
            if (!wildcardWord && containsWildcardCharacter(word)) {
                throw new IllegalArgumentException("eventType pattern '" + value + "' uses '*' or '#' inside the word '"
                        + word + "': a wildcard must be a whole word, as in 'order.*' or 'order.#'");
            }
        }
    }
}
