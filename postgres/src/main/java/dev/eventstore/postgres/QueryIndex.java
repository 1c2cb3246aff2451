package dev.eventstore.postgres;

import java.util.Locale;

/**
 * The optional indexes of the events table that serve filtered queries. Each costs every append one more index entry
 * (one more WAL record), so a store that never queries by, say, metadata can leave that index out; such queries still
 * work, by scanning. The indexes the store's guarantees rest on (position, event id, stream version, writing
 * transaction) are not optional.
 *
 * <p>Chosen with {@link StoreConfig#withQueryIndexes}; the schema SQL creates the chosen ones and never drops an
 * index, so leaving one out of an existing store's configuration is done with {@code DROP INDEX CONCURRENTLY}.
 */
public enum QueryIndex {

    /** {@code (event_type, global_position)}: queries and counts by event type. */
    EVENT_TYPE("_event_type_idx", "(event_type, global_position)"),
    /** {@code (created_at)}: time-range queries and queries ordered by time. */
    CREATED_AT("_created_at_idx", "(created_at)"),
    /**
     * {@code GIN (metadata jsonb_path_ops)}: metadata containment queries. The costliest to maintain: it writes an
     * entry even for empty metadata.
     */
    METADATA("_metadata_idx", "USING GIN (metadata jsonb_path_ops)"),
    /**
     * {@code (topic, global_position) WHERE topic IS NOT NULL}: topic queries. Partial, so events without a topic cost
     * nothing (no topic condition matches them anyway).
     */
    TOPIC("_topic_idx", "(topic, global_position) WHERE topic IS NOT NULL");

    private final String suffix;
    private final String definition;

    QueryIndex(String suffix, String definition) {
        this.suffix = suffix;
        this.definition = definition;
    }

    /** The index name's suffix after the events table's name, for example {@code _event_type_idx}. */
    public String suffix() {
        return suffix;
    }

    /** What follows {@code CREATE INDEX name ON table}. */
    public String definition() {
        return definition;
    }

    /** The name in configuration: {@code event-type}, {@code created-at}, {@code metadata}, {@code topic}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The index named {@code name} in configuration ({@link #configName()}, case-insensitive).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static QueryIndex parse(String name) {
        for (QueryIndex index : values()) {
            if (index.configName().equalsIgnoreCase(name == null ? "" : name.strip())) {
                return index;
            }
        }
        throw new IllegalArgumentException("unknown query index '" + name + "'; use event-type, created-at, metadata"
                + " or topic (or none for no query index)");
    }
}
