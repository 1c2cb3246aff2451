package dev.eventstore.console;

/** The two roles of the console, as declared in its {@code web.xml}. */
final class Roles {

    /** May read: events, streams, projections, the overview. */
    static final String VIEWER = "eventstore-viewer";
    /** May read and act on projections (pause, resume, unpark, rebuild); always sees payloads and metadata. */
    static final String OPERATOR = "eventstore-operator";

    private Roles() {
    }
}
