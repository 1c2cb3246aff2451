package dev.eventstore.cdi.internal;

import dev.eventstore.PersistedEvent;
import dev.eventstore.async.AsyncProjections;
import dev.eventstore.mapping.EventMapper;
import dev.eventstore.projection.EventHandler;
import dev.eventstore.projection.Projection;
import dev.eventstore.projection.ProjectionMode;
import dev.eventstore.projection.ProjectionReset;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.spi.AnnotatedMethod;
import jakarta.enterprise.inject.spi.AnnotatedType;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The deployment rules for {@code @Projection} beans. Collects every problem instead of stopping at the first, each
 * message naming the bean class and the fix.
 */
public final class ProjectionValidator {

    static final Set<Class<? extends Annotation>> ALLOWED_SCOPES =
            Set.of(ApplicationScoped.class, Dependent.class, jakarta.inject.Singleton.class);

    private final EventMappers mappers;
    private final List<String> problems = new ArrayList<>();
    private final List<ProjectionDefinition> candidates = new ArrayList<>();

    public ProjectionValidator(EventMappers mappers) {
        this.mappers = mappers;
    }

    /** Checks one projection bean; a valid one becomes a definition. */
    public void check(AnnotatedType<?> type, Class<? extends Annotation> scope) {
        Class<?> beanClass = type.getJavaClass();
        Projection projection = type.getAnnotation(Projection.class);
        String where = "@Projection " + beanClass.getName() + ": ";
        int before = problems.size();

        String name = projection.name();
        if (name == null || name.isBlank()) {
            problems.add(where + "name must not be blank; give it a stable name such as \"order-overview-v1\"");
        }
        if (!ALLOWED_SCOPES.contains(scope)) {
            problems.add(where + "scope @" + scope.getSimpleName() + " is not allowed for a projection; use"
                    + " @ApplicationScoped, @Dependent or @Singleton (projections run outside request and session"
                    + " contexts)");
        }
        Set<String> aggregateTypes = new LinkedHashSet<>();
        for (String aggregateType : projection.aggregateTypes()) {
            if (aggregateType == null || aggregateType.isBlank()) {
                problems.add(where + "aggregateTypes must not contain a blank entry");
            } else if (!aggregateTypes.add(aggregateType)) {
                problems.add(where + "aggregateTypes lists '" + aggregateType + "' twice");
            }
        }
        checkSegments(projection.segments(), projection.mode(), where);
        List<HandlerMethod> handlers = handlers(type, where);
        Optional<Method> reset = reset(type, projection.mode(), where);

        if (problems.size() == before) {
            candidates.add(new ProjectionDefinition(name, beanClass, aggregateTypes, projection.mode(), handlers,
                    reset, projection.segments()));
        }
    }

    /** Problems of single definitions, then name clashes; independent of the order beans were processed in. */
    public List<String> problems() {
        List<String> all = new ArrayList<>(problems);
        byName().forEach((name, sameName) -> {
            if (sameName.size() > 1) {
                all.add("@Projection name '" + name + "' is used by " + sameName.stream()
                        .map(d -> d.beanClass().getName() + " (" + d.mode() + ")")
                        .collect(Collectors.joining(" and ")) + "; projection names must be unique"
                        + (sameName.stream().map(ProjectionDefinition::mode).distinct().count() > 1
                        ? ", and these modes conflict" : ""));
            }
        });
        return List.copyOf(all);
    }

    /** The valid projections, ordered by name; empty of any name that is used twice. */
    public List<ProjectionDefinition> definitions() {
        return byName().values().stream().filter(sameName -> sameName.size() == 1).map(sameName -> sameName.get(0))
                .toList();
    }

    private Map<String, List<ProjectionDefinition>> byName() {
        Map<String, List<ProjectionDefinition>> byName = new TreeMap<>();
        candidates.stream()
                .sorted(Comparator.comparing(d -> d.beanClass().getName()))
                .forEach(d -> byName.computeIfAbsent(d.name(), n -> new ArrayList<>()).add(d));
        return byName;
    }

    private List<HandlerMethod> handlers(AnnotatedType<?> type, String where) {
        List<HandlerMethod> handlers = new ArrayList<>();
        for (AnnotatedMethod<?> annotated : type.getMethods()) {
            if (!annotated.isAnnotationPresent(EventHandler.class)) {
                continue;
            }
            Method method = annotated.getJavaMember();
            String signature = signature(method);
            if (Modifier.isStatic(method.getModifiers())) {
                problems.add(where + "@EventHandler " + signature + " must not be static");
            } else if (!Modifier.isPublic(method.getModifiers())) {
                problems.add(where + "@EventHandler " + signature + " must be public");
            } else if (method.getReturnType() != void.class) {
                problems.add(where + "@EventHandler " + signature + " must return void");
            } else {
                handler(method, where + "@EventHandler " + signature).ifPresent(handlers::add);
            }
        }
        if (handlers.isEmpty() && problems.stream().noneMatch(p -> p.startsWith(where + "@EventHandler"))) {
            problems.add(where + "has no @EventHandler method; add a public void method taking a PersistedEvent"
                    + " or a domain event");
        }
        return handlers;
    }

    /** The bound is the runtime's own: what the annotation declares, {@code AsyncProjections} must accept. */
    private void checkSegments(int segments, ProjectionMode mode, String where) {
        if (segments < 1 || segments > AsyncProjections.Builder.MAX_SEGMENTS) {
            problems.add(where + "segments = " + segments + " is out of range; declare between 1 (the default: one"
                    + " node at a time) and " + AsyncProjections.Builder.MAX_SEGMENTS);
        } else if (segments > 1 && mode != ProjectionMode.ASYNC) {
            problems.add(where + "segments = " + segments + " on an " + mode + " projection, which runs inside each"
                    + " appending transaction and has no segments; remove segments, or declare mode = ASYNC");
        }
    }

    /** The method that clears the read model for a rebuild: at most one, only on an ASYNC projection. */
    private Optional<Method> reset(AnnotatedType<?> type, ProjectionMode mode, String where) {
        List<Method> resets = type.getMethods().stream()
                .filter(annotated -> annotated.isAnnotationPresent(ProjectionReset.class))
                .map(AnnotatedMethod::getJavaMember)
                .sorted(Comparator.comparing(ProjectionValidator::signature))
                .toList();
        if (resets.size() > 1) {
            problems.add(where + "has " + resets.size() + " @ProjectionReset methods, " + resets.stream()
                    .map(ProjectionValidator::signature).collect(Collectors.joining(" and "))
                    + "; declare exactly one that clears the whole read model");
            return Optional.empty();
        }
        if (resets.isEmpty()) {
            return Optional.empty();
        }
        Method method = resets.get(0);
        String what = where + "@ProjectionReset " + signature(method);
        int before = problems.size();
        if (Modifier.isStatic(method.getModifiers())) {
            problems.add(what + " must not be static");
        } else if (!Modifier.isPublic(method.getModifiers())) {
            problems.add(what + " must be public");
        } else if (method.getReturnType() != void.class) {
            problems.add(what + " must return void");
        } else if (method.getParameterCount() > 1 || (method.getParameterCount() == 1
                && method.getParameterTypes()[0] != Connection.class)) {
            problems.add(what + " must take no parameters or one java.sql.Connection (the rebuild transaction's)");
        }
        if (mode != ProjectionMode.ASYNC) {
            problems.add(what + " is never called on an " + mode + " projection: only AsyncProjections.rebuild calls"
                    + " it, for ASYNC projections. Remove it, or rebuild the inline read model with ProjectionRebuild"
                    + " (eventstore-jpa), giving it the reset");
        }
        return problems.size() == before ? Optional.of(method) : Optional.empty();
    }

    private static String signature(Method method) {
        return method.getName() + "(" + String.join(", ",
                java.util.Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).toList()) + ")";
    }

    /** The parameters a handler may take: a PersistedEvent; or a domain event, optionally with the PersistedEvent. */
    private Optional<HandlerMethod> handler(Method method, String where) {
        Class<?>[] parameters = method.getParameterTypes();
        if (parameters.length == 1 && parameters[0] == PersistedEvent.class) {
            return Optional.of(HandlerMethod.ofPersistedEvents(method));
        }
        if (parameters.length == 0 || parameters.length > 2
                || (parameters.length == 2 && parameters[1] != PersistedEvent.class)) {
            problems.add(where + " must take a PersistedEvent, or a domain event optionally followed by the"
                    + " PersistedEvent");
            return Optional.empty();
        }
        Class<?> eventClass = parameters[0];
        Optional<EventMapper> mapper = mappers.mapperOf(eventClass);
        if (mapper.isEmpty()) {
            problems.add(where + " takes " + eventClass.getName() + ", which is not an event of any generated"
                    + " EventMapper; list it in an @EventFamily and compile with the event store's annotation"
                    + " processor");
            return Optional.empty();
        }
        if (!mapper.get().decodedClasses().contains(eventClass)) {
            problems.add(where + " takes " + eventClass.getName() + ", which " + mapper.get().getClass()
                    .getSimpleName() + " always upcasts to a newer version; take that version instead");
            return Optional.empty();
        }
        return Optional.of(HandlerMethod.ofDomainEvents(method, eventClass, mapper.get()));
    }
}
