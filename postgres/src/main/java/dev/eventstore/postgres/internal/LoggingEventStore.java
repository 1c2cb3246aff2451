package dev.eventstore.postgres.internal;

import dev.eventstore.AggregateStream;
import dev.eventstore.AppendResult;
import dev.eventstore.Event;
import dev.eventstore.EventStore;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.OptimisticConcurrencyException;
import dev.eventstore.PersistedEvent;
import dev.eventstore.VersionRange;
import dev.eventstore.postgres.PostgresEventStore;
import dev.eventstore.query.EventQuery;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Logs what the store it wraps does, to the logger {@value PostgresEventStore#LOGGER_NAME}: appends and conflicts at
 * DEBUG, reads at TRACE, each with aggregate, versions or parameters, the number of rows and the time taken. Payloads,
 * metadata and metadata filter values are never logged. Nor are the messages of failures, which could quote them (a
 * database error, a projection's exception): only their class. The one message logged is a conflict's, which the store
 * builds from aggregate, versions and a reason.
 *
 * <p>Each call asks {@code isLoggable} once and, when the level is off, goes straight to the store: no clock is read
 * and no text is built.
 */
public final class LoggingEventStore implements EventStore {

    private static final System.Logger LOG = System.getLogger(PostgresEventStore.LOGGER_NAME);

    private final EventStore store;

    private LoggingEventStore(EventStore store) {
        this.store = store;
    }

    /** {@code store}, logging what it does. */
    public static EventStore around(EventStore store) {
        if (store == null) {
            throw new IllegalArgumentException("store must not be null");
        }
        return new LoggingEventStore(store);
    }

    @Override
    public AppendResult append(ExpectedVersion expected, List<Event> events) {
        if (!LOG.isLoggable(Level.DEBUG)) {
            return store.append(expected, events);
        }
        long start = System.nanoTime();
        try {
            AppendResult result = store.append(expected, events);
            LOG.log(Level.DEBUG, "append " + result.aggregateType() + "/" + result.aggregateId() + " expected "
                    + expected + " " + versions(result) + " in " + since(start));
            return result;
        } catch (OptimisticConcurrencyException e) {
            LOG.log(Level.DEBUG, conflict(e, events, start));
            throw e;
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "append " + aggregate(events) + " expected " + expected + " (" + count(events)
                    + ") failed in " + since(start) + ": " + e.getClass().getName());
            throw e;
        }
    }

    @Override
    public AggregateStream readAggregateStream(String aggregateType, String aggregateId, VersionRange versions) {
        if (!LOG.isLoggable(Level.TRACE)) {
            return store.readAggregateStream(aggregateType, aggregateId, versions);
        }
        long start = System.nanoTime();
        String what = "read stream " + aggregateType + "/" + aggregateId + " versions " + versions;
        try {
            AggregateStream stream = store.readAggregateStream(aggregateType, aggregateId, versions);
            LOG.log(Level.TRACE, what + ": " + events(stream.size()) + (stream.isEmpty() ? ""
                    : ", up to version " + stream.version()) + " in " + since(start));
            return stream;
        } catch (RuntimeException e) {
            throw failed(what, start, e);
        }
    }

    @Override
    public List<PersistedEvent> readEvents(long afterPosition, int limit) {
        if (!LOG.isLoggable(Level.TRACE)) {
            return store.readEvents(afterPosition, limit);
        }
        long start = System.nanoTime();
        String what = "read events after position " + afterPosition + " limit " + limit;
        try {
            List<PersistedEvent> events = store.readEvents(afterPosition, limit);
            LOG.log(Level.TRACE, what + ": " + events(events.size()) + (events.isEmpty() ? "" : ", positions "
                    + events.get(0).globalPosition() + ".." + events.get(events.size() - 1).globalPosition())
                    + " in " + since(start));
            return events;
        } catch (RuntimeException e) {
            throw failed(what, start, e);
        }
    }

    @Override
    public long latestGlobalPosition() {
        if (!LOG.isLoggable(Level.TRACE)) {
            return store.latestGlobalPosition();
        }
        long start = System.nanoTime();
        try {
            long position = store.latestGlobalPosition();
            LOG.log(Level.TRACE, "latest global position " + position + " in " + since(start));
            return position;
        } catch (RuntimeException e) {
            throw failed("latest global position", start, e);
        }
    }

    @Override
    public List<PersistedEvent> query(EventQuery query) {
        if (!LOG.isLoggable(Level.TRACE)) {
            return store.query(query);
        }
        long start = System.nanoTime();
        String what = "query " + describe(query, Paging.PAGE);
        try {
            List<PersistedEvent> events = store.query(query);
            LOG.log(Level.TRACE, what + ": " + events(events.size()) + " in " + since(start));
            return events;
        } catch (RuntimeException e) {
            throw failed(what, start, e);
        }
    }

    @Override
    public long count(EventQuery query) {
        if (!LOG.isLoggable(Level.TRACE)) {
            return store.count(query);
        }
        long start = System.nanoTime();
        String what = "count " + describe(query, Paging.NONE);
        try {
            long count = store.count(query);
            LOG.log(Level.TRACE, what + ": " + count + " in " + since(start));
            return count;
        } catch (RuntimeException e) {
            throw failed(what, start, e);
        }
    }

    /** Logged once, on close, when the number of events delivered is known; the time is from opening to closing. */
    @Override
    public Stream<PersistedEvent> stream(EventQuery query) {
        if (!LOG.isLoggable(Level.TRACE)) {
            return store.stream(query);
        }
        long start = System.nanoTime();
        String what = "stream " + describe(query, Paging.STREAM);
        Stream<PersistedEvent> events;
        try {
            events = store.stream(query);
        } catch (RuntimeException e) {
            throw failed(what, start, e);
        }
        long[] delivered = new long[1];
        return events.peek(event -> delivered[0]++)
                .onClose(() -> LOG.log(Level.TRACE, what + ": " + events(delivered[0]) + " in " + since(start)));
    }

    /**
     * Expected and actual version say it all, unless the actual one is unknown or would have been accepted (a race
     * or the commit-order guard): then the exception's message, built by the store from versions and a reason, says
     * why.
     */
    private static String conflict(OptimisticConcurrencyException e, List<Event> events, long start) {
        boolean explained = e.actualVersion().isPresent()
                && !e.expectedVersion().accepts(e.actualVersion().getAsLong());
        return "conflict " + e.aggregateType() + "/" + e.aggregateId() + " expected " + e.expectedVersion()
                + ", actual version " + (e.actualVersion().isPresent() ? e.actualVersion().getAsLong() : "unknown")
                + " (" + count(events) + ", nothing written) in " + since(start)
                + (explained ? "" : ": " + e.getMessage());
    }

    private static RuntimeException failed(String what, long start, RuntimeException e) {
        LOG.log(Level.TRACE, what + " failed in " + since(start) + ": " + e.getClass().getName());
        return e;
    }

    private static String versions(AppendResult result) {
        long first = result.fromVersion() + 1;
        return first == result.toVersion() ? "version " + first + " (1 event)"
                : "versions " + first + ".." + result.toVersion() + " (" + result.events().size() + " events)";
    }

    private static String aggregate(List<Event> events) {
        return events == null || events.isEmpty() || events.get(0) == null ? "(no events)"
                : events.get(0).aggregateType() + "/" + events.get(0).aggregateId();
    }

    private static String count(List<Event> events) {
        return events(events == null ? 0 : events.size());
    }

    private static String events(long count) {
        return count == 1 ? "1 event" : count + " events";
    }

    private static String since(long start) {
        return String.format(Locale.ROOT, "%.1f ms", (System.nanoTime() - start) / 1_000_000.0);
    }

    /** Which of a query's paging settings an operation applies. */
    private enum Paging {
        /** {@code query}: limit (default or explicit), offset or continuation, order. */
        PAGE,
        /** {@code stream}: as a page, but the limit only when explicit. */
        STREAM,
        /** {@code count}: none. */
        NONE
    }

    /**
     * The query's settings as {@link EventQuery#toString()} gives them, but only the paging the operation applies and
     * without the metadata filter's value: that is metadata, which may hold personal data.
     */
    private static String describe(EventQuery query, Paging paging) {
        if (query == null) {
            return "(null)";
        }
        StringBuilder text = new StringBuilder("EventQuery[");
        if (!query.eventTypes().isEmpty()) {
            text.append("eventTypes=").append(query.eventTypes()).append(", ");
        }
        if (!query.aggregateTypes().isEmpty()) {
            text.append("aggregateTypes=").append(query.aggregateTypes()).append(", ");
        }
        query.aggregateId().ifPresent(value -> text.append("aggregateId=").append(value).append(", "));
        query.createdFrom().ifPresent(value -> text.append("createdFrom=").append(value).append(", "));
        query.createdBefore().ifPresent(value -> text.append("createdBefore=").append(value).append(", "));
        query.metadataContains().ifPresent(value -> text.append("metadataContains=(not logged), "));
        query.positionFrom().ifPresent(value -> text.append("positionFrom=").append(value).append(", "));
        query.positionTo().ifPresent(value -> text.append("positionTo=").append(value).append(", "));
        query.eventId().ifPresent(value -> text.append("eventId=").append(value).append(", "));
        query.correlationId().ifPresent(value -> text.append("correlationId=").append(value).append(", "));
        query.causationId().ifPresent(value -> text.append("causationId=").append(value).append(", "));
        if (paging == Paging.NONE) {
            return text.length() == "EventQuery[".length() ? "EventQuery[all]"
                    : text.replace(text.length() - 2, text.length(), "]").toString();
        }
        if (query.offset() > 0) {
            text.append("offset=").append(query.offset()).append(", ");
        }
        if (query.afterPosition().isPresent()) {
            text.append("after=").append(query.afterCreatedAt().map(at -> at + "/").orElse(""))
                    .append(query.afterPosition().getAsLong()).append(", ");
        }
        if (query.hasExplicitLimit()) {
            text.append("limit=").append(query.limit());
        } else {
            text.append(paging == Paging.STREAM ? "no limit" : "limit=" + query.limit() + " (default)");
        }
        return text.append(", order=").append(query.orderBy()).append(' ').append(query.direction()).append(']')
                .toString();
    }
}
