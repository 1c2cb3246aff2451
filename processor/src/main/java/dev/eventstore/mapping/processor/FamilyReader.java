package dev.eventstore.mapping.processor;

import javax.annotation.processing.Messager;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.tools.Diagnostic;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one {@code @EventFamily} into a {@link FamilyModel}, reporting every rule it breaks as a compiler error on
 * the element at fault.
 */
final class FamilyReader {

    static final String EVENT_FAMILY = "dev.eventstore.mapping.EventFamily";
    static final String EVENT_TYPE = "dev.eventstore.mapping.EventType";
    static final String UPCAST = "dev.eventstore.mapping.Upcast";
    private static final String JSONB_CREATOR = "jakarta.json.bind.annotation.JsonbCreator";
    private static final Pattern VERSION_SEGMENT = Pattern.compile("v(\\d+)");
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

    private final Elements elements;
    private final Messager messager;
    /** Errors reported so far; a family or event class is valid when reading it added none. */
    private int errors;

    FamilyReader(Elements elements, Messager messager) {
        this.elements = elements;
        this.messager = messager;
    }

    /** The model of a family, or empty after reporting why there is none. */
    Optional<FamilyModel> read(TypeElement family) {
        int errorsBefore = errors;
        AnnotationMirror annotation = mirror(family, EVENT_FAMILY).orElseThrow();
        String where = "@EventFamily " + family.getQualifiedName() + ": ";

        String aggregateType = stringValue(annotation, "aggregateType");
        if (aggregateType.isEmpty()) {
            aggregateType = family.getSimpleName().toString();
        } else if (aggregateType.isBlank()) {
            error(family, where + "aggregateType must not be blank; leave it out to use the type's simple name");
        }
        String mapperName = stringValue(annotation, "mapperName");
        if (mapperName.isEmpty()) {
            mapperName = defaultMapperName(family.getSimpleName().toString());
        } else if (!SourceVersion.isName(mapperName) || mapperName.contains(".")) {
            error(family, where + "mapperName '" + mapperName + "' is not a simple Java class name");
        }

        List<TypeElement> eventClasses = classes(family, annotation, "events", where);
        if (eventClasses.isEmpty() && errors == errorsBefore) {
            error(family, where + "events must list at least one event class");
        }
        Map<TypeElement, EventIdentity> identities = new LinkedHashMap<>();
        for (TypeElement eventClass : eventClasses) {
            checkEventClass(eventClass, where).ifPresent(identity -> identities.put(eventClass, identity));
        }
        reportClaimsOfTheSameTypeAndVersion(identities, family);
        reportHelperNameClashes(identities, where, family);

        Map<TypeElement, Upcaster> upcasters = upcasters(family, annotation, identities.keySet(), where);
        if (errors > errorsBefore) {
            return Optional.empty();
        }
        List<EventModel> events = new ArrayList<>();
        identities.forEach((eventClass, identity) -> {
            List<String> calls = new ArrayList<>();
            TypeElement current = eventClass;
            Set<TypeElement> seen = new LinkedHashSet<>();
            while (upcasters.containsKey(current) && seen.add(current)) {
                Upcaster upcaster = upcasters.get(current);
                calls.add(upcaster.call());
                current = upcaster.target();
            }
            events.add(new EventModel(eventClass.getQualifiedName().toString(), identity.eventType(),
                    identity.version(), identity.topic(), identity.helperStem(), calls,
                    current.getQualifiedName().toString()));
        });
        String packageName = elements.getPackageOf(family).getQualifiedName().toString();
        return Optional.of(new FamilyModel(packageName, mapperName, family.getQualifiedName().toString(),
                aggregateType, events));
    }

    static String defaultMapperName(String familySimpleName) {
        String stem = familySimpleName.endsWith("Events") && familySimpleName.length() > "Events".length()
                ? familySimpleName.substring(0, familySimpleName.length() - "Events".length())
                : familySimpleName;
        return stem + "EventMapper";
    }

    /** The rule of {@code dev.eventstore.internal.Topics}, repeated here since the processor needs only the JDK. */
    static boolean isTopic(String topic) {
        return topic.length() <= 255 && TOPIC.matcher(topic).matches();
    }

    /** The schema version a package name gives: its last segment {@code vN}, else 1; 0 for a {@code v0} segment. */
    static long versionOfPackage(String packageName) {
        String last = packageName.substring(packageName.lastIndexOf('.') + 1);
        Matcher matcher = VERSION_SEGMENT.matcher(last);
        if (!matcher.matches()) {
            return 1;
        }
        String digits = matcher.group(1);
        return digits.length() > 9 ? Long.MAX_VALUE : Long.parseLong(digits);
    }

    private record EventIdentity(String eventType, int version, String topic, String helperStem) {
        String describe() {
            return "'" + eventType + "' version " + version;
        }
    }

    private record Upcaster(TypeElement target, String call) {
    }

    private Optional<EventIdentity> checkEventClass(TypeElement eventClass, String where) {
        String name = eventClass.getQualifiedName().toString();
        int errorsBefore = errors;
        if (eventClass.getKind() != ElementKind.RECORD && eventClass.getKind() != ElementKind.CLASS) {
            error(eventClass, where + name + " is a " + eventClass.getKind().toString().toLowerCase()
                    + "; an event must be a record or a class");
        } else {
            if (!isPublic(eventClass)) {
                error(eventClass, where + name + " must be public (and so must the types it is nested in), so the"
                        + " generated mapper can use it");
            }
            if (eventClass.getNestingKind() == NestingKind.MEMBER
                    && !eventClass.getModifiers().contains(Modifier.STATIC)) {
                error(eventClass, where + name + " is an inner class; make it static or a top-level type");
            }
            if (eventClass.getModifiers().contains(Modifier.ABSTRACT)) {
                error(eventClass, where + name + " is abstract; list the concrete event classes");
            }
            if (!eventClass.getTypeParameters().isEmpty()) {
                error(eventClass, where + name + " is generic; an event class must not have type parameters");
            }
            if (eventClass.getKind() == ElementKind.CLASS && !readableByJsonb(eventClass)) {
                error(eventClass, where + name + " has neither a public no-argument constructor nor a @JsonbCreator"
                        + " constructor, so JSON-B cannot read it; make it a record or add one of them");
            }
        }
        Optional<AnnotationMirror> override = mirror(eventClass, EVENT_TYPE);
        String eventType = override.map(a -> stringValue(a, "name")).orElse("");
        if (eventType.isEmpty()) {
            eventType = eventClass.getSimpleName().toString();
        } else if (eventType.isBlank()) {
            error(eventClass, where + name + ": @EventType(name) must not be blank; leave it out to use the simple"
                    + " class name");
        }
        int declaredVersion = override.map(a -> intValue(a, "version")).orElse(0);
        long version = declaredVersion;
        if (declaredVersion < 0) {
            error(eventClass, where + name + ": @EventType(version = " + declaredVersion + ") must be 1 or more,"
                    + " or 0 to take the version from the package");
        } else if (declaredVersion == 0) {
            String packageName = elements.getPackageOf(eventClass).getQualifiedName().toString();
            version = versionOfPackage(packageName);
            if (version < 1 || version > Integer.MAX_VALUE) {
                error(eventClass, where + name + ": package " + packageName + " does not give a usable version"
                        + " (versions start at v1); rename the package or set @EventType(version)");
            }
        }
        String topic = override.map(a -> stringValue(a, "topic")).orElse("");
        if (!topic.isEmpty() && !isTopic(topic)) {
            error(eventClass, where + name + ": @EventType(topic = \"" + topic + "\") is not a topic: use dotted words"
                    + " of ASCII letters, digits, '_' and '-', at most 255 characters, as in 'order.lifecycle.placed'"
                    + " (wildcards belong in queries), or leave it out for none");
        }
        return errors == errorsBefore ? Optional.of(new EventIdentity(eventType, (int) version,
                topic.isEmpty() ? null : topic, helperStem(eventType, (int) version))) : Optional.empty();
    }

    private void reportClaimsOfTheSameTypeAndVersion(Map<TypeElement, EventIdentity> identities, TypeElement family) {
        Map<String, TypeElement> claims = new HashMap<>();
        identities.forEach((eventClass, identity) -> {
            TypeElement first = claims.putIfAbsent(identity.eventType() + "/" + identity.version(), eventClass);
            if (first != null) {
                String message = "@EventFamily " + family.getQualifiedName() + ": event type " + identity.describe()
                        + " is claimed by both " + first.getQualifiedName() + " and " + eventClass.getQualifiedName()
                        + "; move one to another version package or give it @EventType(name = ..., version = ...)";
                error(first, message);
                error(eventClass, message);
            }
        });
    }

    private void reportHelperNameClashes(Map<TypeElement, EventIdentity> identities, String where,
                                         TypeElement family) {
        Map<String, EventIdentity> stems = new HashMap<>();
        identities.values().forEach(identity -> {
            EventIdentity other = stems.putIfAbsent(identity.helperStem(), identity);
            if (other != null && !other.equals(identity)) {
                error(family, where + "event types " + other.describe() + " and " + identity.describe()
                        + " both give the helper names to/from" + identity.helperStem()
                        + "; rename one with @EventType(name)");
            }
        });
    }

    private Map<TypeElement, Upcaster> upcasters(TypeElement family, AnnotationMirror annotation,
                                                 Set<TypeElement> events, String where) {
        Map<TypeElement, Upcaster> bySource = new LinkedHashMap<>();
        for (TypeElement holder : classes(family, annotation, "upcasters", where)) {
            List<ExecutableElement> methods = ElementFilter.methodsIn(holder.getEnclosedElements()).stream()
                    .filter(method -> mirror(method, UPCAST).isPresent())
                    .toList();
            if (methods.isEmpty()) {
                error(holder, where + holder.getQualifiedName() + " is listed in upcasters but has no @Upcast method");
            }
            if (!isPublic(holder)) {
                error(holder, where + "upcaster class " + holder.getQualifiedName() + " must be public");
            }
            for (ExecutableElement method : methods) {
                upcaster(method, holder, events, where).ifPresent(upcaster -> {
                    TypeElement source = sourceOf(method);
                    Upcaster existing = bySource.putIfAbsent(source, upcaster);
                    if (existing != null) {
                        error(method, where + "both " + existing.call() + " and " + upcaster.call() + " upcast "
                                + source.getQualifiedName() + "; keep one");
                    }
                });
            }
        }
        for (TypeElement start : bySource.keySet()) {
            Set<TypeElement> seen = new LinkedHashSet<>();
            TypeElement current = start;
            while (bySource.containsKey(current)) {
                if (!seen.add(current)) {
                    error(family, where + "upcasters form a cycle through " + current.getQualifiedName()
                            + "; an upcaster must lead to a newer version");
                    return bySource;
                }
                current = bySource.get(current).target();
            }
        }
        return bySource;
    }

    private Optional<Upcaster> upcaster(ExecutableElement method, TypeElement holder, Set<TypeElement> events,
                                        String where) {
        String signature = holder.getQualifiedName() + "." + method.getSimpleName();
        boolean valid = true;
        if (!method.getModifiers().contains(Modifier.STATIC) || !method.getModifiers().contains(Modifier.PUBLIC)) {
            error(method, where + "@Upcast " + signature + " must be public static");
            valid = false;
        }
        if (method.getParameters().size() != 1) {
            error(method, where + "@Upcast " + signature + " must take exactly one parameter, the old event");
            return Optional.empty();
        }
        TypeElement source = sourceOf(method);
        TypeElement target = asType(method.getReturnType());
        if (source == null || !events.contains(source)) {
            error(method, where + "@Upcast " + signature + " takes " + method.getParameters().get(0).asType()
                    + ", which is not an event of this family");
            valid = false;
        }
        if (target == null || !events.contains(target)) {
            error(method, where + "@Upcast " + signature + " returns " + method.getReturnType()
                    + ", which is not an event of this family");
            valid = false;
        }
        if (valid && source.equals(target)) {
            error(method, where + "@Upcast " + signature + " returns the type it takes; it must return a newer"
                    + " version");
            valid = false;
        }
        return valid ? Optional.of(new Upcaster(target, signature)) : Optional.empty();
    }

    private TypeElement sourceOf(ExecutableElement upcaster) {
        return asType(upcaster.getParameters().get(0).asType());
    }

    private TypeElement asType(TypeMirror type) {
        return type.getKind() == TypeKind.DECLARED ? (TypeElement) ((DeclaredType) type).asElement() : null;
    }

    private List<TypeElement> classes(TypeElement family, AnnotationMirror annotation, String member,
                                      String where) {
        List<TypeElement> classes = new ArrayList<>();
        for (AnnotationValue value : listValue(annotation, member)) {
            if (value.getValue() instanceof TypeMirror type && asType(type) != null) {
                TypeElement element = asType(type);
                if (classes.contains(element)) {
                    error(family, where + member + " lists " + element.getQualifiedName() + " twice");
                } else {
                    classes.add(element);
                }
            } else {
                // An unresolvable class: javac reports it itself; no mapper can be generated.
                errors++;
            }
        }
        return classes;
    }

    private boolean readableByJsonb(TypeElement eventClass) {
        return ElementFilter.constructorsIn(eventClass.getEnclosedElements()).stream().anyMatch(constructor ->
                (constructor.getParameters().isEmpty() && constructor.getModifiers().contains(Modifier.PUBLIC))
                        || mirror(constructor, JSONB_CREATOR).isPresent());
    }

    private static boolean isPublic(TypeElement type) {
        for (Element e = type; e instanceof TypeElement; e = e.getEnclosingElement()) {
            if (!e.getModifiers().contains(Modifier.PUBLIC)) {
                return false;
            }
        }
        return true;
    }

    /** A Java identifier made of the type name's letters and digits, then {@code V} and the version. */
    static String helperStem(String eventType, int version) {
        StringBuilder stem = new StringBuilder();
        boolean upper = true;
        for (char c : eventType.toCharArray()) {
            if (Character.isJavaIdentifierPart(c) && c != '$' && c != '_') {
                stem.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            } else {
                upper = true;
            }
        }
        if (stem.length() == 0 || !Character.isJavaIdentifierStart(stem.charAt(0))) {
            stem.insert(0, "Event");
        }
        return stem.append('V').append(version).toString();
    }

    private void error(Element element, String message) {
        errors++;
        messager.printMessage(Diagnostic.Kind.ERROR, message, element);
    }

    private static Optional<AnnotationMirror> mirror(Element element, String annotationName) {
        return element.getAnnotationMirrors().stream()
                .filter(m -> ((TypeElement) m.getAnnotationType().asElement()).getQualifiedName()
                        .contentEquals(annotationName))
                .map(m -> (AnnotationMirror) m)
                .findFirst();
    }

    private String stringValue(AnnotationMirror annotation, String member) {
        Object value = valueOf(annotation, member);
        return value instanceof String text ? text : "";
    }

    private int intValue(AnnotationMirror annotation, String member) {
        Object value = valueOf(annotation, member);
        return value instanceof Integer number ? number : 0;
    }

    @SuppressWarnings("unchecked")
    private List<? extends AnnotationValue> listValue(AnnotationMirror annotation, String member) {
        Object value = valueOf(annotation, member);
        return value instanceof List<?> list ? (List<? extends AnnotationValue>) list : List.of();
    }

    private Object valueOf(AnnotationMirror annotation, String member) {
        return elements.getElementValuesWithDefaults(annotation).entrySet().stream()
                .filter(entry -> entry.getKey().getSimpleName().contentEquals(member))
                .map(entry -> entry.getValue().getValue())
                .findFirst()
                .orElse(null);
    }
}
