package dev.eventstore.mapping.processor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Writes the Java source of a family's mapper: plain code a reader can follow, free of compiler warnings. */
final class MapperWriter {

    private final StringBuilder out = new StringBuilder();
    private final boolean generatedAnnotation;

    private MapperWriter(boolean generatedAnnotation) {
        this.generatedAnnotation = generatedAnnotation;
    }

    /**
     * @param generatedAnnotation whether {@code javax.annotation.processing.Generated} exists in the compilation
     *                            (it does not under {@code --release 8} or without the {@code java.compiler} module)
     */
    static String source(FamilyModel family, boolean generatedAnnotation) {
        return new MapperWriter(generatedAnnotation).write(family);
    }

    private String write(FamilyModel family) {
        if (!family.packageName().isEmpty()) {
            line("package " + family.packageName() + ";");
            line("");
        }
        line("import dev.eventstore.Event;");
        line("import dev.eventstore.PersistedEvent;");
        line("import dev.eventstore.mapping.EventMapper;");
        line("import dev.eventstore.mapping.EventMappingException;");
        line("import dev.eventstore.mapping.MappingOption;");
        line("import jakarta.json.bind.Jsonb;");
        line("import jakarta.json.bind.JsonbBuilder;");
        line("import jakarta.json.bind.JsonbConfig;");
        line("import jakarta.json.bind.JsonbException;");
        line("");
        line("import java.nio.charset.StandardCharsets;");
        line("import java.time.Instant;");
        line("import java.util.ArrayList;");
        line("import java.util.List;");
        line("import java.util.Objects;");
        line("import java.util.Optional;");
        line("");
        line("/**");
        line(" * Maps the events of {@link " + family.familyName() + "} (aggregate type "
                + comment(family.aggregateType()) + ")");
        line(" * to and from stored events, payloads as JSON through JSON-B. Generated from its {@code @EventFamily};");
        line(" * edit that, not this. Thread-safe: create one and share it.");
        line(" */");
        if (generatedAnnotation) {
            line("@javax.annotation.processing.Generated(\"" + EventMappingProcessor.class.getName() + "\")");
        }
        line("public final class " + family.mapperName() + " implements EventMapper {");
        line("");
        line("    /** The aggregate type of these events. */");
        line("    public static final String AGGREGATE_TYPE = " + literal(family.aggregateType()) + ";");
        line("");
        line("    private static final List<Class<?>> EVENT_CLASSES = List.of(");
        line(family.events().stream().map(e -> "            " + e.className() + ".class")
                .collect(Collectors.joining(",\n")) + ");");
        line("");
        line("    private static final List<Class<?>> DECODED_CLASSES = List.of(");
        line(family.events().stream().map(EventModel::decodedName).distinct().map(name -> "            " + name
                + ".class").collect(Collectors.joining(",\n")) + ");");
        line("");
        line("    private static final String KNOWN_EVENTS = " + literal(family.events().stream()
                .map(e -> e.eventType() + " v" + e.version()).collect(Collectors.joining(", "))) + ";");
        line("");
        line("    private final Jsonb jsonb;");
        line("");
        line("    /**");
        line("     * A mapper with its own JSON-B instance, which requires every record component or creator parameter");
        line("     * to be present in a payload.");
        line("     */");
        line("    public " + family.mapperName() + "() {");
        line("        this(JsonbBuilder.create(new JsonbConfig().setProperty(JsonbConfig.CREATOR_PARAMETERS_REQUIRED,"
                + " true)));");
        line("    }");
        line("");
        line("    /** A mapper that reads and writes payloads with the given JSON-B instance. */");
        line("    public " + family.mapperName() + "(Jsonb jsonb) {");
        line("        this.jsonb = Objects.requireNonNull(jsonb, \"jsonb must not be null\");");
        line("    }");
        line("");
        override("public String aggregateType() {");
        line("        return AGGREGATE_TYPE;");
        line("    }");
        line("");
        override("public List<Class<?>> eventClasses() {");
        line("        return EVENT_CLASSES;");
        line("    }");
        line("");
        override("public List<Class<?>> decodedClasses() {");
        line("        return DECODED_CLASSES;");
        line("    }");
        line("");
        byEventClass(family, "String eventTypeOf", event -> literal(event.eventType()));
        line("");
        byEventClass(family, "int eventVersionOf", event -> String.valueOf(event.version()));
        line("");
        byEventClass(family, "Optional<String> topicOf", event -> event.topic() == null ? "Optional.empty()"
                : "Optional.of(" + literal(event.topic()) + ")");
        line("");
        override("public Optional<Class<?>> decodedClassOf(String eventType, int eventVersion) {");
        line("        return switch (eventType + \"/\" + eventVersion) {");
        Map<String, List<EventModel>> byDecodedClass = new LinkedHashMap<>();
        family.events().forEach(e -> byDecodedClass.computeIfAbsent(e.decodedName(), k -> new ArrayList<>())
                .add(e));
        byDecodedClass.forEach((decoded, events) -> line("            case " + events.stream()
                .map(e -> literal(e.key())).collect(Collectors.joining(", ")) + " -> Optional.of(" + decoded
                + ".class);"));
        line("            default -> Optional.empty();");
        line("        };");
        line("    }");
        line("");
        override("public List<Event> toEvents(String aggregateId, List<?> domainEvents, MappingOption... options) {");
        line("        return toEvents(AGGREGATE_TYPE, aggregateId, domainEvents, options);");
        line("    }");
        line("");
        override("public List<Event> toEvents(String aggregateType, String aggregateId, List<?> domainEvents,");
        line("                                 MappingOption... options) {");
        line("        Objects.requireNonNull(domainEvents, \"domainEvents must not be null\");");
        line("        Instant now = Instant.now();");
        line("        List<Event> events = new ArrayList<>(domainEvents.size());");
        line("        for (int i = 0; i < domainEvents.size(); i++) {");
        line("            Object domainEvent = domainEvents.get(i);");
        line("            if (domainEvent == null) {");
        line("                throw new IllegalArgumentException(\"domainEvents[\" + i + \"] is null\");");
        line("            }");
        line("            events.add(toEvent(aggregateType, aggregateId, eventTypeOf(domainEvent),"
                + " eventVersionOf(domainEvent),");
        line("                    topicOf(domainEvent).orElse(null), domainEvent, now, options));");
        line("        }");
        line("        return List.copyOf(events);");
        line("    }");
        line("");
        override("public Object fromEvent(PersistedEvent event) {");
        line("        Objects.requireNonNull(event, \"event must not be null\");");
        line("        return switch (event.eventType() + \"/\" + event.eventVersion()) {");
        for (EventModel event : family.events()) {
            String call = "from" + event.helperStem() + "(event)";
            for (String upcast : event.upcasts()) {
                call = upcast + "(" + call + ")";
            }
            line("            case " + literal(event.key()) + " -> " + call + ";");
        }
        line("            default -> throw new EventMappingException(\"no event class for \" + describe(event)");
        line("                    + \"; " + family.mapperName() + " knows \" + KNOWN_EVENTS"
                + " + \". Add the class to the @EventFamily of "
                + escape(family.familyName()) + "\");");
        line("        };");
        line("    }");
        for (EventModel event : family.events()) {
            line("");
            line("    /** A stored " + comment(event.eventType()) + " version " + event.version() + " event of aggregate type"
                    + " {@link #AGGREGATE_TYPE}. */");
            line("    public Event to" + event.helperStem() + "(String aggregateId, " + event.className()
                    + " domainEvent, MappingOption... options) {");
            line("        Objects.requireNonNull(domainEvent, \"domainEvent must not be null\");");
            line("        return toEvent(AGGREGATE_TYPE, aggregateId, " + literal(event.eventType()) + ", "
                    + event.version() + ", " + (event.topic() == null ? "null" : literal(event.topic()))
                    + ", domainEvent, Instant.now(), options);");
            line("    }");
            line("");
            line("    /** The " + comment(event.eventType()) + " version " + event.version() + " payload of a stored event, as"
                    + " written, without upcasting. */");
            line("    public " + event.className() + " from" + event.helperStem() + "(PersistedEvent event) {");
            line("        return decode(event, " + literal(event.eventType()) + ", " + event.version() + ", "
                    + event.className() + ".class);");
            line("    }");
        }
        line("");
        line("    private Event toEvent(String aggregateType, String aggregateId, String eventType, int eventVersion,");
        line("                          String topic, Object domainEvent, Instant now, MappingOption[] options) {");
        line("        byte[] payload;");
        line("        try {");
        line("            payload = jsonb.toJson(domainEvent).getBytes(StandardCharsets.UTF_8);");
        line("        } catch (JsonbException e) {");
        line("            throw new EventMappingException(\"cannot write \" + eventType + \" version \" + eventVersion"
                + " + \" of \"");
        line("                    + aggregateType + \" \" + aggregateId + \" as JSON: \" + e.getMessage(), e);");
        line("        }");
        line("        Event.Builder builder = Event.builder(aggregateType, aggregateId, eventType)");
        line("                .eventVersion(eventVersion)");
        line("                .payload(payload)");
        line("                .createdAt(now)");
        line("                .topic(topic);");
        line("        for (MappingOption option : options) {");
        line("            Objects.requireNonNull(option, \"options must not contain null\").applyTo(builder);");
        line("        }");
        line("        return builder.build();");
        line("    }");
        line("");
        line("    private <T> T decode(PersistedEvent event, String eventType, int eventVersion, Class<T> type) {");
        line("        Objects.requireNonNull(event, \"event must not be null\");");
        line("        if (!event.eventType().equals(eventType) || event.eventVersion() != eventVersion) {");
        line("            throw new EventMappingException(\"cannot read \" + describe(event) + \" as \" +"
                + " type.getName()");
        line("                    + \", which is \" + eventType + \" version \" + eventVersion);");
        line("        }");
        line("        T decoded;");
        line("        try {");
        line("            decoded = jsonb.fromJson(event.payloadAsString(), type);");
        line("        } catch (JsonbException e) {");
        line("            throw new EventMappingException(\"payload of \" + describe(event) + \" does not match \"");
        line("                    + type.getName() + \": \" + e.getMessage(), e);");
        line("        }");
        line("        if (decoded == null) {");
        line("            throw new EventMappingException(\"payload of \" + describe(event) + \" is null\");");
        line("        }");
        line("        return decoded;");
        line("    }");
        line("");
        line("    private static Class<?> classOf(Object domainEvent) {");
        line("        return Objects.requireNonNull(domainEvent, \"domainEvent must not be null\").getClass();");
        line("    }");
        line("");
        line("    private static EventMappingException notAnEventOfThisFamily(Class<?> type) {");
        line("        return new EventMappingException(type.getName() + \" is not an event of \" + AGGREGATE_TYPE"
                + " + \"; "
                + family.mapperName() + " maps \"");
        line("                + KNOWN_EVENTS + \". Add it to the @EventFamily of " + escape(family.familyName())
                + "\");");
        line("    }");
        line("");
        line("    private static String describe(PersistedEvent event) {");
        line("        return \"event \" + event.eventType() + \" version \" + event.eventVersion() + \" of \"");
        line("                + event.aggregateType() + \" \" + event.aggregateId() + \" (aggregate version \"");
        line("                + event.aggregateVersion() + \", global position \" + event.globalPosition() + \")\";");
        line("    }");
        line("}");
        return out.toString();
    }

    /** An overriding method that answers, per exact event class, with a constant. */
    private void byEventClass(FamilyModel family, String returnTypeAndName, Function<EventModel, String> answer) {
        override("public " + returnTypeAndName + "(Object domainEvent) {");
        line("        Class<?> type = classOf(domainEvent);");
        for (EventModel event : family.events()) {
            line("        if (type == " + event.className() + ".class) {");
            line("            return " + answer.apply(event) + ";");
            line("        }");
        }
        line("        throw notAnEventOfThisFamily(type);");
        line("    }");
    }

    private void override(String signature) {
        line("    @Override");
        line("    " + signature);
    }

    private void line(String text) {
        out.append(text).append('\n');
    }

    /** Text safe inside a Javadoc comment. */
    private static String comment(String text) {
        return text.replace("*/", "*&#47;").replace("@", "&#64;");
    }

    static String literal(String text) {
        return "\"" + escape(text) + "\"";
    }

    private static String escape(String text) {
        StringBuilder escaped = new StringBuilder();
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> escaped.append("\\\"");
                case '\\' -> escaped.append("\\\\");
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                case '\t' -> escaped.append("\\t");
                default -> {
                    if (c < 0x20) {
                        escaped.append(String.format("\\u%04x", (int) c));
                    } else {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped.toString();
    }
}
