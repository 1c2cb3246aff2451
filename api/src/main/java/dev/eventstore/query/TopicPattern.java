package dev.eventstore.query;

import dev.eventstore.internal.Topics;

import java.util.List;

/**
 * A topic filter in the style of AMQP topic exchanges: dotted words where {@code *} matches exactly one word and
 * {@code #} matches zero or more words. {@code app.lifecycle.#} matches {@code app.lifecycle},
 * {@code app.lifecycle.registered} and {@code app.lifecycle.installed.v2}; {@code hook.triggered.*} matches
 * {@code hook.triggered.order_created} but neither {@code hook.triggered} nor {@code hook.triggered.a.b}; {@code #}
 * matches every event that has a topic. A pattern without wildcard words matches that topic exactly.
 *
 * <p>Words hold only what a topic can hold (ASCII letters, digits, {@code _} and {@code -}), so a pattern with any
 * other character, such as {@code +} or {@code (}, is refused rather than silently matching nothing. An event without
 * a topic never matches a topic filter.
 *
 * @param value the pattern as written
 */
public record TopicPattern(String value) {

    public TopicPattern {
        Topics.requirePattern(value, "topic");
    }

    /** Parses {@code value}; see the class documentation for the rules. */
    public static TopicPattern of(String value) {
        return new TopicPattern(value);
    }

    /** Whether this pattern uses {@code *} or {@code #}, rather than naming one topic exactly. */
    public boolean isWildcard() {
        return words().stream().anyMatch(word -> word.equals("*") || word.equals("#"));
    }

    /** The dot-separated words of the pattern. */
    public List<String> words() {
        return Topics.words(value);
    }

    /**
     * Whether {@code topic} matches this pattern, with the same rules the store applies in SQL. A {@code null}
     * topic (an event without one) never matches.
     */
    public boolean matches(String topic) {
        if (topic == null) {
            return false;
        }
        List<String> pattern = words();
        List<String> words = Topics.words(topic);
        // matched[w]: the pattern words so far can consume exactly the first w topic words.
        boolean[] matched = new boolean[words.size() + 1];
        matched[0] = true;
        for (String word : pattern) {
            boolean[] next = new boolean[words.size() + 1];
            for (int w = 0; w <= words.size(); w++) {
                if (word.equals("#")) {
                    next[w] = matched[w] || (w > 0 && next[w - 1]);
                } else {
                    next[w] = w > 0 && matched[w - 1] && (word.equals("*") || word.equals(words.get(w - 1)));
                }
            }
            matched = next;
        }
        return matched[words.size()];
    }

    @Override
    public String toString() {
        return value;
    }
}
