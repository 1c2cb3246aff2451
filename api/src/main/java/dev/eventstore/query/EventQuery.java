package dev.eventstore.query;

import dev.eventstore.PersistedEvent;
import dev.eventstore.internal.StorableText;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * What to find in the event log: filters, order and paging for {@link dev.eventstore.EventStore#query(EventQuery)},
 * {@link dev.eventstore.EventStore#count(EventQuery)} and {@link dev.eventstore.EventStore#stream(EventQuery)}.
 * Immutable; build with {@link #builder()}.
 *
 * <p>Filters combine with AND: each kind of criterion narrows the result. Within one kind the entries combine with
 * OR: any of the {@link #eventTypes()} (exact names and type patterns alike), any of the {@link #topics()}, any of the
 * {@link #aggregateTypes()}. So {@code eventTypes("order.#").topics("*.lifecycle.#", "audit.#")} finds the events
 * whose type matches {@code order.#} <em>and</em> whose topic matches one of the two topic patterns. An absent filter
 * matches everything; an event without a topic never matches a topic filter. Every value reaches the database as a bind parameter. Text no event can hold (NUL, an unpaired UTF-16
 * surrogate, the JSON escapes jsonb refuses) is rejected when set, so a filter never silently matches other text.
 *
 * <ul>
 *   <li>event types: exact names or dotted wildcard patterns, see {@link EventTypePattern};</li>
 *   <li>topics: exact topics or wildcard patterns ({@code *} one word, {@code #} zero or more), see
 *       {@link TopicPattern};</li>
 *   <li>aggregate types: exact names, any of which may match;</li>
 *   <li>aggregate id: exact match;</li>
 *   <li>created-at range: {@code createdFrom} inclusive, {@code createdBefore} exclusive (half-open, so adjacent
 *       ranges never overlap);</li>
 *   <li>metadata containment: the event's metadata contains the given JSON object (PostgreSQL {@code @>}), for
 *       example {@code {"tenant":"acme"}};</li>
 *   <li>global-position range: {@code positionFrom} and {@code positionTo}, both inclusive; unlike a keyset
 *       continuation it is a filter, so {@code count} honours it;</li>
 *   <li>ids: one event id (served by its unique index), a correlation id or a causation id (exact; these two have no
 *       index of their own, so combine them with a selective filter on large logs or add an index);</li>
 *   <li>paging: {@code limit} (default {@value #DEFAULT_LIMIT}) with either an {@code offset} or a keyset
 *       continuation ({@link #continueAfter(PersistedEvent)}), which stays fast on deep pages and never skips or
 *       repeats events when others are appended meanwhile;</li>
 *   <li>order: by global position (default) or by created-at (ties broken by global position), ascending (default)
 *       or descending.</li>
 * </ul>
 */
public final class EventQuery {

    /** The limit when none is set. */
    public static final int DEFAULT_LIMIT = 100;

    /** What the results are sorted by. */
    public enum OrderBy {
        /** The global position: insertion order. */
        GLOBAL_POSITION,
        /** The event's created-at time, then the global position for events created at the same instant. */
        CREATED_AT
    }

    /** Sort direction. */
    public enum Direction {
        ASCENDING,
        DESCENDING
    }

    private static final EventQuery ALL = builder().build();
    private static final Instant LAST_MICROSECOND = Instant.MAX.truncatedTo(ChronoUnit.MICROS);

    private final List<EventTypePattern> eventTypes;
    private final List<TopicPattern> topics;
    private final Set<String> aggregateTypes;
    private final String aggregateId;
    private final Instant createdFrom;
    private final Instant createdBefore;
    private final String metadataContains;
    private final Long positionFrom;
    private final Long positionTo;
    private final UUID eventId;
    private final String correlationId;
    private final String causationId;
    private final int limit;
    private final boolean limitSet;
    private final long offset;
    private final Long afterPosition;
    private final Instant afterCreatedAt;
    private final OrderBy orderBy;
    private final Direction direction;

    private EventQuery(Builder builder) {
        this.eventTypes = List.copyOf(builder.eventTypes);
        this.topics = List.copyOf(builder.topics);
        this.aggregateTypes = Collections.unmodifiableSet(new LinkedHashSet<>(builder.aggregateTypes));
        this.aggregateId = builder.aggregateId;
        this.createdFrom = builder.createdFrom;
        this.createdBefore = builder.createdBefore;
        this.metadataContains = builder.metadataContains;
        this.positionFrom = builder.positionFrom;
        this.positionTo = builder.positionTo;
        this.eventId = builder.eventId;
        this.correlationId = builder.correlationId;
        this.causationId = builder.causationId;
        this.limit = builder.limit == null ? DEFAULT_LIMIT : builder.limit;
        this.limitSet = builder.limit != null;
        this.offset = builder.offset;
        this.afterPosition = builder.afterPosition;
        this.afterCreatedAt = builder.afterCreatedAt;
        this.orderBy = builder.orderBy;
        this.direction = builder.direction;
    }

    /** Every event, in global-position order, first {@value #DEFAULT_LIMIT} for {@code query}. */
    public static EventQuery all() {
        return ALL;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this query's settings, to derive a changed copy. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.eventTypes.addAll(eventTypes);
        builder.topics.addAll(topics);
        builder.aggregateTypes.addAll(aggregateTypes);
        builder.aggregateId = aggregateId;
        builder.createdFrom = createdFrom;
        builder.createdBefore = createdBefore;
        builder.metadataContains = metadataContains;
        builder.positionFrom = positionFrom;
        builder.positionTo = positionTo;
        builder.eventId = eventId;
        builder.correlationId = correlationId;
        builder.causationId = causationId;
        builder.limit = limitSet ? limit : null;
        builder.offset = offset;
        builder.afterPosition = afterPosition;
        builder.afterCreatedAt = afterCreatedAt;
        builder.orderBy = orderBy;
        builder.direction = direction;
        return builder;
    }

    /**
     * The next page: this query continuing after {@code last}, the last event of the current page (keyset paging).
     * Any offset is dropped, since the continuation already says where to start.
     */
    public EventQuery continueAfter(PersistedEvent last) {
        if (last == null) {
            throw new IllegalArgumentException("last must not be null: pass the last event of the previous page");
        }
        Builder next = toBuilder().offset(0);
        next.afterPosition = null;
        next.afterCreatedAt = null;
        return orderBy == OrderBy.GLOBAL_POSITION
                ? next.afterPosition(last.globalPosition()).build()
                : next.after(last.createdAt(), last.globalPosition()).build();
    }

    /** Exact names and patterns, any of which may match; empty when every event type matches. Unmodifiable. */
    public List<EventTypePattern> eventTypes() {
        return eventTypes;
    }

    /** Exact topics and topic patterns, any of which may match; empty when topics do not matter. Unmodifiable. */
    public List<TopicPattern> topics() {
        return topics;
    }

    /** Aggregate types, any of which may match; empty when every aggregate type matches. Unmodifiable. */
    public Set<String> aggregateTypes() {
        return aggregateTypes;
    }

    public Optional<String> aggregateId() {
        return Optional.ofNullable(aggregateId);
    }

    /** Inclusive lower bound on created-at. */
    public Optional<Instant> createdFrom() {
        return Optional.ofNullable(createdFrom);
    }

    /** Exclusive upper bound on created-at. */
    public Optional<Instant> createdBefore() {
        return Optional.ofNullable(createdBefore);
    }

    /** The JSON object the metadata must contain. */
    public Optional<String> metadataContains() {
        return Optional.ofNullable(metadataContains);
    }

    /** Inclusive lower bound on the global position (a filter, unlike {@link #afterPosition()}). */
    public OptionalLong positionFrom() {
        return positionFrom == null ? OptionalLong.empty() : OptionalLong.of(positionFrom);
    }

    /** Inclusive upper bound on the global position. */
    public OptionalLong positionTo() {
        return positionTo == null ? OptionalLong.empty() : OptionalLong.of(positionTo);
    }

    /** The one event id to match. */
    public Optional<UUID> eventId() {
        return Optional.ofNullable(eventId);
    }

    /** The correlation id to match exactly. */
    public Optional<String> correlationId() {
        return Optional.ofNullable(correlationId);
    }

    /** The causation id to match exactly. */
    public Optional<String> causationId() {
        return Optional.ofNullable(causationId);
    }

    /** Maximum number of results; {@value #DEFAULT_LIMIT} unless set. */
    public int limit() {
        return limit;
    }

    /**
     * Whether a limit was set explicitly. {@code stream} applies the limit only then, since a stream exists to pass
     * through results of any size.
     */
    public boolean hasExplicitLimit() {
        return limitSet;
    }

    /** Number of matching events to skip, 0 when none. */
    public long offset() {
        return offset;
    }

    /** Keyset continuation: only events after this global position (in the query's order). */
    public OptionalLong afterPosition() {
        return afterPosition == null ? OptionalLong.empty() : OptionalLong.of(afterPosition);
    }

    /** Keyset continuation for {@link OrderBy#CREATED_AT}: the created-at paired with {@link #afterPosition()}. */
    public Optional<Instant> afterCreatedAt() {
        return Optional.ofNullable(afterCreatedAt);
    }

    public OrderBy orderBy() {
        return orderBy;
    }

    public Direction direction() {
        return direction;
    }

    public boolean isDescending() {
        return direction == Direction.DESCENDING;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EventQuery that
                && limit == that.limit && limitSet == that.limitSet && offset == that.offset
                && eventTypes.equals(that.eventTypes)
                && topics.equals(that.topics)
                && aggregateTypes.equals(that.aggregateTypes)
                && Objects.equals(aggregateId, that.aggregateId)
                && Objects.equals(createdFrom, that.createdFrom)
                && Objects.equals(createdBefore, that.createdBefore)
                && Objects.equals(metadataContains, that.metadataContains)
                && Objects.equals(positionFrom, that.positionFrom)
                && Objects.equals(positionTo, that.positionTo)
                && Objects.equals(eventId, that.eventId)
                && Objects.equals(correlationId, that.correlationId)
                && Objects.equals(causationId, that.causationId)
                && Objects.equals(afterPosition, that.afterPosition)
                && Objects.equals(afterCreatedAt, that.afterCreatedAt)
                && orderBy == that.orderBy && direction == that.direction;
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventTypes, topics, aggregateTypes, aggregateId, createdFrom, createdBefore, metadataContains,
                positionFrom, positionTo, eventId, correlationId, causationId, limit, limitSet, offset, afterPosition, afterCreatedAt, orderBy, direction);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("EventQuery[");
        if (!eventTypes.isEmpty()) {
            text.append("eventTypes=").append(eventTypes).append(", ");
        }
        if (!topics.isEmpty()) {
            text.append("topics=").append(topics).append(", ");
        }
        if (!aggregateTypes.isEmpty()) {
            text.append("aggregateTypes=").append(aggregateTypes).append(", ");
        }
        aggregateId().ifPresent(value -> text.append("aggregateId=").append(value).append(", "));
        createdFrom().ifPresent(value -> text.append("createdFrom=").append(value).append(", "));
        createdBefore().ifPresent(value -> text.append("createdBefore=").append(value).append(", "));
        metadataContains().ifPresent(value -> text.append("metadataContains=").append(value).append(", "));
        positionFrom().ifPresent(value -> text.append("positionFrom=").append(value).append(", "));
        positionTo().ifPresent(value -> text.append("positionTo=").append(value).append(", "));
        eventId().ifPresent(value -> text.append("eventId=").append(value).append(", "));
        correlationId().ifPresent(value -> text.append("correlationId=").append(value).append(", "));
        causationId().ifPresent(value -> text.append("causationId=").append(value).append(", "));
        if (offset > 0) {
            text.append("offset=").append(offset).append(", ");
        }
        if (afterPosition != null) {
            text.append("after=").append(afterCreatedAt == null ? "" : afterCreatedAt + "/").append(afterPosition)
                    .append(", ");
        }
        return text.append("limit=").append(limit).append(limitSet ? "" : " (default)").append(", order=")
                .append(orderBy).append(' ').append(direction).append(']').toString();
    }

    /** Collects the settings of an {@link EventQuery}; {@link #build()} validates them together. */
    public static final class Builder {
        private final List<EventTypePattern> eventTypes = new ArrayList<>();
        private final List<TopicPattern> topics = new ArrayList<>();
        private final Set<String> aggregateTypes = new LinkedHashSet<>();
        private String aggregateId;
        private Instant createdFrom;
        private Instant createdBefore;
        private String metadataContains;
        private Long positionFrom;
        private Long positionTo;
        private UUID eventId;
        private String correlationId;
        private String causationId;
        private Integer limit;
        private long offset;
        private Long afterPosition;
        private Instant afterCreatedAt;
        private OrderBy orderBy = OrderBy.GLOBAL_POSITION;
        private Direction direction = Direction.ASCENDING;

        private Builder() {
        }

        /** Adds exact event-type names or wildcard patterns ({@link EventTypePattern}); any of them may match. */
        public Builder eventTypes(String... eventTypes) {
            if (eventTypes == null) {
                throw new IllegalArgumentException("eventTypes must not be null");
            }
            return eventTypes(Arrays.asList(eventTypes));
        }

        /** Adds exact event-type names or wildcard patterns ({@link EventTypePattern}); any of them may match. */
        public Builder eventTypes(List<String> eventTypes) {
            if (eventTypes == null) {
                throw new IllegalArgumentException("eventTypes must not be null");
            }
            for (String eventType : eventTypes) {
                EventTypePattern pattern = EventTypePattern.of(eventType);
                if (!this.eventTypes.contains(pattern)) {
                    this.eventTypes.add(pattern);
                }
            }
            return this;
        }

        /**
         * Adds exact topics or topic patterns ({@link TopicPattern}: {@code *} one word, {@code #} zero or more); any
         * of them may match. Combined with event types by AND: the event's type must match one of the event types and
         * its topic one of these.
         */
        public Builder topics(String... topics) {
            if (topics == null) {
                throw new IllegalArgumentException("topics must not be null");
            }
            return topics(Arrays.asList(topics));
        }

        /** As {@link #topics(String...)}. */
        public Builder topics(List<String> topics) {
            if (topics == null) {
                throw new IllegalArgumentException("topics must not be null");
            }
            List<TopicPattern> patterns = new ArrayList<>(topics.size());
            for (String topic : topics) {
                patterns.add(TopicPattern.of(topic));
            }
            for (TopicPattern pattern : patterns) {
                if (!this.topics.contains(pattern)) {
                    this.topics.add(pattern);
                }
            }
            return this;
        }

        /** Only events of {@code aggregateType}, replacing any aggregate types set before. */
        public Builder aggregateType(String aggregateType) {
            StorableText.require(notBlank(aggregateType, "aggregateType"), "aggregateType");
            this.aggregateTypes.clear();
            this.aggregateTypes.add(aggregateType);
            return this;
        }

        /**
         * Only events of one of {@code aggregateTypes}, replacing any aggregate types set before. At least one is
         * required: to match every aggregate type, set none.
         */
        public Builder aggregateTypes(String... aggregateTypes) {
            if (aggregateTypes == null) {
                throw new IllegalArgumentException("aggregateTypes must not be null; to match every aggregate type,"
                        + " set none");
            }
            return aggregateTypes(Arrays.asList(aggregateTypes));
        }

        /** As {@link #aggregateTypes(String...)}. */
        public Builder aggregateTypes(Collection<String> aggregateTypes) {
            if (aggregateTypes == null || aggregateTypes.isEmpty()) {
                throw new IllegalArgumentException("aggregateTypes must name at least one aggregate type; to match"
                        + " every aggregate type, set none");
            }
            Set<String> types = new LinkedHashSet<>();
            for (String aggregateType : aggregateTypes) {
                if (aggregateType == null || aggregateType.isBlank()) {
                    throw new IllegalArgumentException("aggregateTypes must not contain blank entries, was "
                            + aggregateTypes);
                }
                types.add(StorableText.require(aggregateType, "aggregateTypes"));
            }
            this.aggregateTypes.clear();
            this.aggregateTypes.addAll(types);
            return this;
        }

        public Builder aggregateId(String aggregateId) {
            this.aggregateId = StorableText.require(notBlank(aggregateId, "aggregateId"), "aggregateId");
            return this;
        }

        /**
         * Only events created at or after {@code createdFrom} (inclusive). Any instant is accepted: one before every
         * stored time, such as {@link Instant#MIN}, matches everything; one after, such as {@link Instant#MAX},
         * nothing.
         */
        public Builder createdFrom(Instant createdFrom) {
            this.createdFrom = ceilToMicros(notNull(createdFrom, "createdFrom"));
            return this;
        }

        /**
         * Only events created strictly before {@code createdBefore} (exclusive). Any instant is accepted:
         * {@link Instant#MAX} matches everything, {@link Instant#MIN} nothing.
         */
        public Builder createdBefore(Instant createdBefore) {
            this.createdBefore = ceilToMicros(notNull(createdBefore, "createdBefore"));
            return this;
        }

        /** Only events created in {@code [from, before)}. */
        public Builder createdBetween(Instant from, Instant before) {
            return createdFrom(from).createdBefore(before);
        }

        /**
         * Only events whose metadata contains {@code jsonObject} (PostgreSQL {@code metadata @> jsonObject}), for
         * example {@code {"tenant":"acme"}}. Served by the GIN index on metadata.
         */
        public Builder metadataContains(String jsonObject) {
            String text = notBlank(jsonObject, "metadataContains").strip();
            if (!text.startsWith("{") || !text.endsWith("}")) {
                throw new IllegalArgumentException("metadataContains must be a JSON object such as"
                        + " {\"tenant\":\"acme\"}, was '" + text + "'");
            }
            this.metadataContains = StorableText.requireJson(text, "metadataContains");
            return this;
        }

        /** Only events at or after global position {@code position} (inclusive), {@code >= 1}. */
        public Builder positionFrom(long position) {
            if (position < 1) {
                throw new IllegalArgumentException("positionFrom must be >= 1 (positions start at 1), was " + position);
            }
            this.positionFrom = position;
            return this;
        }

        /** Only events at or before global position {@code position} (inclusive), {@code >= 1}. */
        public Builder positionTo(long position) {
            if (position < 1) {
                throw new IllegalArgumentException("positionTo must be >= 1 (positions start at 1), was " + position);
            }
            this.positionTo = position;
            return this;
        }

        /** Only the events with global positions in {@code [from, to]}, both inclusive. */
        public Builder positionsBetween(long from, long to) {
            return positionFrom(from).positionTo(to);
        }

        /** Only the event with this id (at most one). */
        public Builder eventId(UUID eventId) {
            this.eventId = notNull(eventId, "eventId");
            return this;
        }

        /** Only events with exactly this correlation id. */
        public Builder correlationId(String correlationId) {
            this.correlationId = StorableText.require(notBlank(correlationId, "correlationId"), "correlationId");
            return this;
        }

        /** Only events with exactly this causation id (the events caused by one event or command). */
        public Builder causationId(String causationId) {
            this.causationId = StorableText.require(notBlank(causationId, "causationId"), "causationId");
            return this;
        }

        /** Maximum number of results, {@code >= 1}; {@value #DEFAULT_LIMIT} when not set. */
        public Builder limit(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be >= 1, was " + limit);
            }
            this.limit = limit;
            return this;
        }

        /** Skips {@code offset} matching events, {@code >= 0}. Prefer keyset continuation for deep pages. */
        public Builder offset(long offset) {
            if (offset < 0) {
                throw new IllegalArgumentException("offset must be >= 0, was " + offset);
            }
            this.offset = offset;
            return this;
        }

        /**
         * Keyset continuation for {@link OrderBy#GLOBAL_POSITION}: only events after {@code position} in the query's
         * direction ({@code >} ascending, {@code <} descending).
         */
        public Builder afterPosition(long position) {
            if (position < 0) {
                throw new IllegalArgumentException("afterPosition must be >= 0 (0 starts at the beginning), was "
                        + position);
            }
            this.afterPosition = position;
            this.afterCreatedAt = null;
            return this;
        }

        /**
         * Keyset continuation for {@link OrderBy#CREATED_AT}: only events after the pair ({@code createdAt},
         * {@code position}) in the query's direction.
         */
        public Builder after(Instant createdAt, long position) {
            notNull(createdAt, "afterCreatedAt");
            if (position < 0) {
                throw new IllegalArgumentException("afterPosition must be >= 0, was " + position);
            }
            this.afterCreatedAt = createdAt;
            this.afterPosition = position;
            return this;
        }

        public Builder orderBy(OrderBy orderBy, Direction direction) {
            this.orderBy = notNull(orderBy, "orderBy");
            this.direction = notNull(direction, "direction");
            return this;
        }

        /** Sort by {@code orderBy}, ascending. */
        public Builder orderBy(OrderBy orderBy) {
            return orderBy(orderBy, Direction.ASCENDING);
        }

        public EventQuery build() {
            if (createdFrom != null && createdBefore != null && !createdFrom.isBefore(createdBefore)) {
                throw new IllegalArgumentException("createdFrom must be before createdBefore (the range is"
                        + " [createdFrom, createdBefore)), was " + createdFrom + " >= " + createdBefore);
            }
            if (positionFrom != null && positionTo != null && positionFrom > positionTo) {
                throw new IllegalArgumentException("positionFrom must not be greater than positionTo (both are"
                        + " inclusive), was " + positionFrom + " > " + positionTo);
            }
            if (afterPosition != null && offset > 0) {
                throw new IllegalArgumentException("offset must be 0 with a keyset continuation (afterPosition):"
                        + " use one or the other");
            }
            if (afterPosition != null && orderBy == OrderBy.GLOBAL_POSITION && afterCreatedAt != null) {
                throw new IllegalArgumentException("after(createdAt, position) continues a CREATED_AT order; use"
                        + " afterPosition(position) when ordering by GLOBAL_POSITION");
            }
            if (afterPosition != null && orderBy == OrderBy.CREATED_AT && afterCreatedAt == null) {
                throw new IllegalArgumentException("afterPosition(position) continues a GLOBAL_POSITION order; use"
                        + " after(createdAt, position) when ordering by CREATED_AT");
            }
            return new EventQuery(this);
        }

        private static String notBlank(String value, String field) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(field + " must not be blank");
            }
            return value;
        }

        private static <T> T notNull(T value, String field) {
            if (value == null) {
                throw new IllegalArgumentException(field + " must not be null");
            }
            return value;
        }

        /**
         * PostgreSQL keeps microseconds and would round a finer bound; rounding up keeps both bounds exact, since
         * every stored time is a whole microsecond. The last microsecond of time, up to {@link Instant#MAX}, cannot
         * round up and needs not: it is later than anything stored.
         */
        private static Instant ceilToMicros(Instant instant) {
            Instant truncated = instant.truncatedTo(ChronoUnit.MICROS);
            return truncated.equals(instant) || truncated.equals(LAST_MICROSECOND) ? instant
                    : truncated.plus(1, ChronoUnit.MICROS);
        }
    }
}
