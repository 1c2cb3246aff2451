package dev.eventstore.console;

import dev.eventstore.PersistedEvent;

import java.time.Instant;
import java.util.List;

/** What the console's API answers about events: the JSON shapes, made from {@link PersistedEvent}s. */
public final class EventViews {

    private EventViews() {
    }

    /** One line of a listing. */
    public record EventSummary(long position, String aggregateType, String aggregateId, long version,
                               String eventType, int eventVersion, String topic, Instant createdAt, String eventId,
                               String correlationId) {

        static EventSummary of(PersistedEvent event) {
            return new EventSummary(event.globalPosition(), event.aggregateType(), event.aggregateId(),
                    event.aggregateVersion(), event.eventType(), event.eventVersion(), event.topic(),
                    event.createdAt(), event.eventId().toString(), event.correlationId());
        }

        static List<EventSummary> of(List<PersistedEvent> events) {
            return events.stream().map(EventSummary::of).toList();
        }
    }

    /**
     * A page of a search.
     *
     * @param events  the events of this page
     * @param total   how many events match the filters, on every page
     * @param next    the cursor for the next page ({@code after=next}), null on the last page
     */
    public record EventPage(List<EventSummary> events, long total, Long next) {
    }

    /**
     * Where to go from an event.
     *
     * @param correlated   how many events share its correlation id (itself included); 0 without one
     * @param causedBy     the position of the event whose id is its causation id, if that is stored here
     * @param caused       positions of the events whose causation id is this event's id (the first 20)
     */
    public record Links(long correlated, Long causedBy, List<Long> caused) {
    }

    /**
     * Everything about one event. {@code payload} and {@code metadata} are null, and {@code hidden} true, for a
     * viewer when the console hides them.
     */
    public record EventDetail(long position, String aggregateType, String aggregateId, long version,
                              String eventType, int eventVersion, String topic, Instant createdAt, String eventId,
                              String traceId, String correlationId, String causationId, boolean hidden,
                              Payloads.Rendered payload, String metadata, Links links) {

        static EventDetail of(PersistedEvent event, boolean hide, Links links) {
            return new EventDetail(event.globalPosition(), event.aggregateType(), event.aggregateId(),
                    event.aggregateVersion(), event.eventType(), event.eventVersion(), event.topic(),
                    event.createdAt(), event.eventId().toString(), event.traceId(), event.correlationId(),
                    event.causationId(), hide, hide ? null : Payloads.render(event.payload()),
                    hide ? null : Payloads.render(event.metadata()).text(), links);
        }
    }

    /** One aggregate's stream, in version order. */
    public record StreamView(String aggregateType, String aggregateId, long version, List<EventSummary> events) {
    }
}
