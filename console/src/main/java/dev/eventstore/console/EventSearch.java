package dev.eventstore.console;

import dev.eventstore.PersistedEvent;
import dev.eventstore.query.EventQuery;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonReader;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A checked event search: the filters as an {@link EventQuery}, and keyset paging by global position. Every problem
 * with the parameters is a {@link RefusedRequest} (400) whose message names the parameter and shows a valid value.
 *
 * @param filters    the filters, without paging: what {@code count} counts
 * @param limit      the page size
 * @param after      the cursor, the last position of the previous page; 0 for the first page
 * @param descending newest first
 */
record EventSearch(EventQuery filters, int limit, long after, boolean descending) {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    /** @throws RefusedRequest (400) naming the first parameter that is not valid */
    static EventSearch parse(SearchParameters raw) {
        EventQuery.Builder query = EventQuery.builder();
        try {
            text(raw.aggregateType()).ifPresent(query::aggregateType);
            text(raw.aggregateId()).ifPresent(query::aggregateId);
            text(raw.eventType()).ifPresent(types -> query.eventTypes(list(types)));
            text(raw.topic()).ifPresent(topics -> query.topics(list(topics)));
            text(raw.correlationId()).ifPresent(query::correlationId);
            text(raw.causationId()).ifPresent(query::causationId);
        } catch (IllegalArgumentException e) {
            throw RefusedRequest.badFilter(e.getMessage());
        }
        text(raw.metadata()).ifPresent(json -> query.metadataContains(jsonObject(json)));
        text(raw.createdFrom()).ifPresent(at -> query.createdFrom(instant("createdFrom", at)));
        text(raw.createdBefore()).ifPresent(at -> query.createdBefore(instant("createdBefore", at)));
        text(raw.positionFrom()).ifPresent(p -> query.positionFrom(number("positionFrom", p, 1)));
        text(raw.positionTo()).ifPresent(p -> query.positionTo(number("positionTo", p, 1)));
        text(raw.eventId()).ifPresent(id -> query.eventId(uuid(id)));
        long after = text(raw.after()).map(p -> number("after", p, 0)).orElse(0L);
        int limit = text(raw.limit()).map(n -> number("limit", n, 1)).map(n -> {
            if (n > MAX_LIMIT) {
                throw RefusedRequest.badFilter("limit must be at most " + MAX_LIMIT + ", was " + n);
            }
            return n.intValue();
        }).orElse(DEFAULT_LIMIT);
        String order = text(raw.order()).orElse("asc");
        if (!order.equals("asc") && !order.equals("desc")) {
            throw RefusedRequest.badFilter("order must be asc or desc, was '" + order + "'");
        }
        try {
            return new EventSearch(query.build(), limit, after, order.equals("desc"));
        } catch (IllegalArgumentException e) {
            throw RefusedRequest.badFilter(e.getMessage());
        }
    }

    /**
     * The query for this page: one event more than the page size, so the page knows whether another follows. A
     * descending first page starts at the newest event; the cursor continues below it.
     */
    EventQuery pageQuery() {
        EventQuery.Builder page = filters.toBuilder().limit(limit + 1)
                .orderBy(EventQuery.OrderBy.GLOBAL_POSITION,
                        descending ? EventQuery.Direction.DESCENDING : EventQuery.Direction.ASCENDING);
        if (after > 0) {
            page.afterPosition(after);
        }
        return page.build();
    }

    /** The page out of {@link #pageQuery()}'s result: at most {@code limit} events, and the cursor of the next. */
    Page page(List<PersistedEvent> fetched) {
        boolean more = fetched.size() > limit;
        List<PersistedEvent> events = more ? fetched.subList(0, limit) : fetched;
        Long next = more ? events.get(events.size() - 1).globalPosition() : null;
        return new Page(List.copyOf(events), next);
    }

    /** One page and the cursor to the next, null on the last page. */
    record Page(List<PersistedEvent> events, Long next) {
    }

    private static java.util.Optional<String> text(String value) {
        return value == null || value.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(value.strip());
    }

    private static List<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    static String jsonObject(String json) {
        JsonStructure parsed;
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            parsed = reader.read();
        } catch (JsonException e) {
            throw RefusedRequest.badFilter("metadata must be a JSON object such as {\"tenant\":\"acme\"}: "
                    + e.getMessage());
        }
        if (parsed.getValueType() != JsonValue.ValueType.OBJECT) {
            throw RefusedRequest.badFilter("metadata must be a JSON object such as {\"tenant\":\"acme\"}, was a"
                    + " JSON " + parsed.getValueType().name().toLowerCase(java.util.Locale.ROOT));
        }
        try {
            EventQuery.builder().metadataContains(json);
        } catch (IllegalArgumentException e) {
            throw RefusedRequest.badFilter(e.getMessage());
        }
        return json;
    }

    private static Instant instant(String field, String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw RefusedRequest.badFilter(field + " must be an ISO-8601 time with offset such as"
                    + " 2024-05-01T12:00:00Z, was '" + value + "'");
        }
    }

    private static Long number(String field, String value, long min) {
        long number;
        try {
            number = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw RefusedRequest.badFilter(field + " must be a whole number, was '" + value + "'");
        }
        if (number < min) {
            throw RefusedRequest.badFilter(field + " must be >= " + min + ", was " + number);
        }
        return number;
    }

    private static UUID uuid(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw RefusedRequest.badFilter("eventId must be a UUID such as 3f2a9c4e-0b1d-4c7e-9a55-2f0e6d8b1c3a,"
                    + " was '" + value + "'");
        }
    }
}
