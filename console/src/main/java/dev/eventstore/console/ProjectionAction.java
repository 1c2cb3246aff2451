package dev.eventstore.console;

import java.util.Locale;

/** What an operator may do to a projection (or one of its segments, for pause, resume and unpark). */
enum ProjectionAction {
    PAUSE, RESUME, UNPARK, REBUILD;

    /** @throws RefusedRequest (400) for a name that is not an action */
    static ProjectionAction parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw RefusedRequest.badFilter("action must be pause, resume, unpark or rebuild, was '" + name + "'");
        }
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
