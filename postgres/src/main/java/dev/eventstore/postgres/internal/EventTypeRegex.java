package dev.eventstore.postgres.internal;

import dev.eventstore.query.EventTypePattern;
import dev.eventstore.query.TopicPattern;

import java.util.ArrayList;
import java.util.List;

/**
 * Translates a dotted wildcard pattern (of event types or of topics: one engine, so both follow the same rules) into
 * a PostgreSQL regular expression (ARE), which travels as a bind parameter to {@code event_type ~ ANY(?)} or
 * {@code topic ~ ANY(?)}.
 *
 * <p>Literal words are escaped character by character: every ARE metacharacter is preceded by a backslash, which
 * makes it literal (a backslash before a non-alphanumeric character is always a literal in AREs; letters and digits
 * are never escaped, since {@code \d} and friends are escapes). The expression always starts with {@code ^}, so
 * embedded options ({@code (?x)}) and the {@code ***} director cannot be smuggled in. {@code *} becomes one word
 * ({@code [^.]+}); {@code #} becomes zero or more words with their separating dots.
 */
final class EventTypeRegex {

    private static final String WORD = "[^.]+";
    private static final String METACHARACTERS = "\\^$.|?*+()[]{}";

    private EventTypeRegex() {
    }

    static String of(EventTypePattern pattern) {
        return of(pattern.words());
    }

    static String of(TopicPattern pattern) {
        return of(pattern.words());
    }

    private static String of(List<String> patternWords) {
        List<String> words = collapseHashes(patternWords);
        if (words.equals(List.of("#"))) {
            return "^.*$";
        }
        StringBuilder regex = new StringBuilder("^");
        boolean afterWord = false;
        for (String word : words) {
            if (word.equals("#")) {
                // At the start the words it stands for are each followed by a dot; elsewhere each is preceded by one.
                regex.append(afterWord ? "(?:\\." + WORD + ")*" : "(?:" + WORD + "\\.)*");
                continue;
            }
            if (afterWord) {
                regex.append("\\.");
            }
            regex.append(word.equals("*") ? WORD : escape(word));
            afterWord = true;
        }
        return regex.append('$').toString();
    }

    /** {@code #.#} means the same as {@code #}. */
    private static List<String> collapseHashes(List<String> words) {
        List<String> collapsed = new ArrayList<>(words.size());
        for (String word : words) {
            if (!(word.equals("#") && !collapsed.isEmpty() && collapsed.get(collapsed.size() - 1).equals("#"))) {
                collapsed.add(word);
            }
        }
        return collapsed;
    }

    static String escape(String literal) {
        StringBuilder escaped = new StringBuilder(literal.length() + 8);
        literal.codePoints().forEach(c -> {
            if (METACHARACTERS.indexOf(c) >= 0) {
                escaped.append('\\');
            }
            escaped.appendCodePoint(c);
        });
        return escaped.toString();
    }
}
