package dev.eventstore;

import dev.eventstore.internal.StorableText;

/** Argument checks shared by the API's values; messages always name the offending field. */
final class Checks {

    private Checks() {
    }

    static String notBlank(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        return value;
    }

    /** Optional text: {@code null} means absent, but present text must carry something. */
    static String nullOrNotBlank(String value, String field) {
        if (value != null && value.isBlank()) {
            throw new IllegalArgumentException(field + " must be null or non-blank, was '" + value + "'");
        }
        return value;
    }

    /** Required text the database keeps exactly as given: not blank, no NUL, no lone surrogate. */
    static String storable(String value, String field) {
        return StorableText.require(notBlank(value, field), field);
    }

    /** Optional text the database keeps exactly as given. */
    static String nullOrStorable(String value, String field) {
        return StorableText.require(nullOrNotBlank(value, field), field);
    }

    static <T> T notNull(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        return value;
    }

    static long atLeast(long value, long minimum, String field) {
        if (value < minimum) {
            throw new IllegalArgumentException(field + " must be >= " + minimum + ", was " + value);
        }
        return value;
    }
}
