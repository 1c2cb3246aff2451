package dev.eventstore.mapping.processor;

import java.util.List;

/**
 * A valid {@code @EventFamily}: where its mapper goes and what it maps.
 *
 * @param packageName   package of the annotated type, and of the generated mapper
 * @param mapperName    simple name of the generated mapper
 * @param familyName    canonical name of the annotated type, for the generated Javadoc
 * @param aggregateType the family's aggregate type
 * @param events        the events in declaration order
 */
record FamilyModel(String packageName, String mapperName, String familyName, String aggregateType,
                   List<EventModel> events) {

    FamilyModel {
        events = List.copyOf(events);
    }

    String qualifiedMapperName() {
        return packageName.isEmpty() ? mapperName : packageName + "." + mapperName;
    }
}
