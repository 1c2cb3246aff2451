package dev.eventstore.console;

/**
 * An event search as it arrives: the query parameters of {@code GET /api/events}, each as sent (null when absent).
 * {@link EventSearch#parse(SearchParameters)} checks them.
 *
 * @param aggregateType exact aggregate type
 * @param aggregateId   exact aggregate id
 * @param eventType     event types or patterns ({@code *} one word, {@code #} zero or more), comma-separated
 * @param topic         topics or topic patterns, comma-separated
 * @param metadata      a JSON object the metadata must contain
 * @param createdFrom   inclusive lower bound, ISO-8601 ({@code 2024-05-01T12:00:00Z})
 * @param createdBefore exclusive upper bound, ISO-8601
 * @param positionFrom  inclusive lower bound on the global position
 * @param positionTo    inclusive upper bound on the global position
 * @param eventId       one event id
 * @param correlationId exact correlation id
 * @param causationId   exact causation id
 * @param after         keyset cursor: the last position of the previous page
 * @param limit         page size, 1 to {@value EventSearch#MAX_LIMIT}
 * @param order         {@code asc} (oldest first, the default) or {@code desc}
 */
record SearchParameters(String aggregateType, String aggregateId, String eventType, String topic, String metadata,
                        String createdFrom, String createdBefore, String positionFrom, String positionTo,
                        String eventId, String correlationId, String causationId, String after, String limit,
                        String order) {

    /** No filter at all: every event, first page. */
    static SearchParameters none() {
        return new SearchParameters(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null);
    }
}
