package dev.eventstore.mapping.processor;

import java.util.List;

/**
 * One event class of a family as the generated mapper sees it.
 *
 * @param className   canonical name of the class, usable in source
 * @param eventType   stored type name
 * @param version     stored schema version
 * @param topic       the topic from {@code @EventType(topic)}, {@code null} when none
 * @param helperStem  the part of the typed helpers' names after {@code to}/{@code from}, for example
 *                    {@code OrderPlacedV1}
 * @param upcasts     the upcaster calls applied when reading, in order, each {@code Class.method}
 * @param decodedName canonical name of the class reading ends with, after the upcasts
 */
record EventModel(String className, String eventType, int version, String topic, String helperStem, List<String> upcasts,
                  String decodedName) {

    EventModel {
        upcasts = List.copyOf(upcasts);
    }

    /** The key the generated switch statements use: type and version. */
    String key() {
        return eventType + "/" + version;
    }
}
