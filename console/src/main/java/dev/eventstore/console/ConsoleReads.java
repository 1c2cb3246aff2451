package dev.eventstore.console;

import dev.eventstore.AggregateStream;
import dev.eventstore.EventStore;
import dev.eventstore.PersistedEvent;
import dev.eventstore.cdi.EventStoreDataSource;
import dev.eventstore.console.EventViews.EventDetail;
import dev.eventstore.console.EventViews.EventPage;
import dev.eventstore.console.EventViews.EventSummary;
import dev.eventstore.console.EventViews.Links;
import dev.eventstore.console.EventViews.StreamView;
import dev.eventstore.console.LargestStreams.StreamSize;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.query.EventQuery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Every read of the console, each in a JTA transaction of its own (the injected store works only inside one):
 * searches with their count, streams, one event with its links, the overview.
 */
@ApplicationScoped
@Transactional
public class ConsoleReads {

    static final int LINKED_EVENTS = 20;
    static final int LARGEST_STREAMS = 10;

    @Inject
    EventStore store;

    @Inject
    ConsoleSettings settings;

    @Inject
    @EventStoreDataSource
    Instance<DataSource> producedDataSource;

    @Inject
    Instance<StoreConfig> producedConfig;

    private Clock clock = Clock.systemUTC();

    /** For tests: the overview's "now". */
    void useClock(Clock clock) {
        this.clock = clock;
    }

    /** A page of events matching {@code search} and how many match in all. */
    public EventPage search(EventSearch search) {
        EventSearch.Page page = search.page(store.query(search.pageQuery()));
        return new EventPage(EventSummary.of(page.events()), store.count(search.filters()), page.next());
    }

    /** One aggregate's stream, in version order. */
    public StreamView stream(String aggregateType, String aggregateId) {
        AggregateStream stream = store.readAggregateStream(aggregateType, aggregateId);
        return new StreamView(aggregateType, aggregateId, stream.version(), EventSummary.of(stream.events()));
    }

    /** The event at {@code position} with its links; empty when there is none. */
    public Optional<EventDetail> event(long position, boolean hidePayload) {
        List<PersistedEvent> found = store.query(EventQuery.builder().positionsBetween(position, position).build());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        PersistedEvent event = found.get(0);
        return Optional.of(EventDetail.of(event, hidePayload, links(event)));
    }

    private Links links(PersistedEvent event) {
        long correlated = event.correlationId() == null ? 0
                : store.count(EventQuery.builder().correlationId(event.correlationId()).build());
        Long causedBy = causingEvent(event.causationId());
        List<Long> caused = store.query(EventQuery.builder().causationId(event.eventId().toString())
                .limit(LINKED_EVENTS).build()).stream().map(PersistedEvent::globalPosition).toList();
        return new Links(correlated, causedBy, caused);
    }

    /** A causation id is often an event id, but may name a command or a message stored elsewhere. */
    private Long causingEvent(String causationId) {
        if (causationId == null) {
            return null;
        }
        UUID id;
        try {
            id = UUID.fromString(causationId);
        } catch (IllegalArgumentException notAnEventId) {
            return null;
        }
        List<PersistedEvent> cause = store.query(EventQuery.builder().eventId(id).build());
        return cause.isEmpty() ? null : cause.get(0).globalPosition();
    }

    /**
     * The log at a glance. Appends per minute count the events by their created-at time, over the 60 minutes up to
     * now (the current minute last, partial).
     */
    public Overview overview() {
        Instant now = clock.instant();
        Instant currentMinute = now.truncatedTo(ChronoUnit.MINUTES);
        List<MinuteCount> perMinute = new ArrayList<>(60);
        for (int i = 59; i >= 0; i--) {
            Instant from = currentMinute.minus(i, ChronoUnit.MINUTES);
            perMinute.add(new MinuteCount(from, store.count(EventQuery.builder()
                    .createdBetween(from, from.plus(1, ChronoUnit.MINUTES)).build())));
        }
        List<StreamSize> largest;
        try (Connection connection = dataSource().getConnection()) {
            largest = new LargestStreams(headsTable()).top(connection, LARGEST_STREAMS);
        } catch (SQLException e) {
            throw new IllegalStateException("No connection for the largest streams: " + e.getMessage(), e);
        }
        return new Overview(now, store.count(EventQuery.all()), store.latestGlobalPosition(), perMinute, largest);
    }

    private dev.eventstore.postgres.SqlName headsTable() {
        return producedConfig.isResolvable() ? producedConfig.get().headsTable() : settings.headsTable();
    }

    private DataSource dataSource() {
        if (producedDataSource.isResolvable()) {
            return producedDataSource.get();
        }
        try {
            return (DataSource) new InitialContext().lookup(settings.dataSource());
        } catch (NamingException e) {
            throw new IllegalStateException("The store's datasource " + settings.dataSource() + " cannot be looked"
                    + " up (" + e.getMessage() + "); set " + ConsoleSettings.DATASOURCE, e);
        }
    }

    /** Events created in the minute starting at {@code minute}. */
    public record MinuteCount(Instant minute, long events) {
    }

    /**
     * @param at             when it was taken
     * @param events         events in the log
     * @param latestPosition the highest global position
     * @param appendsPerMinute the last hour, oldest minute first
     * @param largestStreams the longest streams, longest first
     */
    public record Overview(Instant at, long events, long latestPosition, List<MinuteCount> appendsPerMinute,
                           List<StreamSize> largestStreams) {
    }
}
