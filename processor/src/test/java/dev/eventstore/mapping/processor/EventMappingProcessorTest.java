package dev.eventstore.mapping.processor;

import dev.eventstore.Event;
import dev.eventstore.PersistedEvent;
import dev.eventstore.mapping.EventMapper;
import dev.eventstore.mapping.MappingOption;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The processor in a real javac run: what it generates, and every diagnostic of a broken family. */
class EventMappingProcessorTest {

    private static final String PLACED_V1 = """
            package shop.events.v1;
            public record ItemAdded(String sku, int quantity) {}
            """;
    private static final String PLACED_V2 = """
            package shop.events.v2;
            public record ItemAdded(String sku, int quantity, long priceCents) {}
            """;

    @Test
    void generatesAMapperAndItsServiceEntryWithoutAnyCompilerWarning() {
        Compilation compilation = Compilation.of(sources(
                "shop.events.v1.ItemAdded", PLACED_V1,
                "shop.events.v2.ItemAdded", PLACED_V2,
                "shop.Cart", """
                        package shop;
                        @dev.eventstore.mapping.EventFamily(events = {
                                shop.events.v1.ItemAdded.class, shop.events.v2.ItemAdded.class})
                        public class Cart {}
                        """));

        assertThat(compilation.errors()).isEmpty();
        assertThat(compilation.warnings()).isEmpty();
        assertThat(compilation.succeeded()).isTrue();
        assertThat(compilation.generatedSource("shop.CartEventMapper")).get().asString()
                .contains("public final class CartEventMapper implements EventMapper")
                .contains("public static final String AGGREGATE_TYPE = \"Cart\";")
                .contains("public Event toItemAddedV1(String aggregateId, shop.events.v1.ItemAdded domainEvent")
                .contains("public shop.events.v2.ItemAdded fromItemAddedV2(PersistedEvent event)");
        assertThat(compilation.servicesFile()).contains("shop.CartEventMapper\n");
    }

    @Test
    void anIncrementalCompilationOfOneFamilyKeepsTheOtherFamiliesServiceEntries() {
        Compilation first = Compilation.of(sources(
                "shop.events.v1.ItemAdded", PLACED_V1,
                "shop.Cart", """
                        package shop;
                        @dev.eventstore.mapping.EventFamily(events = shop.events.v1.ItemAdded.class)
                        public class Cart {}
                        """));
        assertThat(first.servicesFile()).contains("shop.CartEventMapper\n");

        Compilation second = Compilation.incrementallyAfter(first, sources(
                "shop.events.v1.WishAdded", """
                        package shop.events.v1;
                        public record WishAdded(String sku) {}
                        """,
                "shop.Wishlist", """
                        package shop;
                        @dev.eventstore.mapping.EventFamily(events = shop.events.v1.WishAdded.class)
                        public class Wishlist {}
                        """));

        assertThat(second.errors()).isEmpty();
        assertThat(second.servicesFile()).hasValue("shop.CartEventMapper\nshop.WishlistEventMapper\n");
    }

    @Test
    void theGeneratedAnnotationIsLeftOutWhereTheCompilationLacksIt() {
        Map<String, String> cart = sources(
                "shop.events.v1.ItemAdded", PLACED_V1,
                "shop.Cart", """
                        package shop;
                        @dev.eventstore.mapping.EventFamily(events = shop.events.v1.ItemAdded.class)
                        public class Cart {}
                        """);

        Compilation without = Compilation.withOptions(cart, List.of("--limit-modules", "java.base"));
        Compilation with = Compilation.of(cart);

        assertThat(without.errors()).isEmpty();
        assertThat(without.generatedSource("shop.CartEventMapper")).get().asString()
                .doesNotContain("@javax.annotation.processing.Generated");
        assertThat(with.generatedSource("shop.CartEventMapper")).get().asString()
                .contains("@javax.annotation.processing.Generated(\"" + EventMappingProcessor.class.getName() + "\")");
    }

    @Test
    void generatedMapperDetectsVersionsFromPackagesAndRoundTrips() throws Exception {
        Compilation compilation = Compilation.of(sources(
                "shop.events.v1.ItemAdded", PLACED_V1,
                "shop.events.v2.ItemAdded", PLACED_V2,
                "shop.events.CartCleared", """
                        package shop.events;
                        public record CartCleared(String reason) {}
                        """,
                "shop.CartEvents", """
                        package shop;
                        @dev.eventstore.mapping.EventFamily(aggregateType = "ShoppingCart", events = {
                                shop.events.v1.ItemAdded.class, shop.events.v2.ItemAdded.class,
                                shop.events.CartCleared.class})
                        public interface CartEvents {}
                        """));
        assertThat(compilation.errors()).isEmpty();

        ClassLoader loader = compilation.classLoader();
        EventMapper mapper = (EventMapper) loader.loadClass("shop.CartEventMapper").getConstructor().newInstance();
        Object v1 = loader.loadClass("shop.events.v1.ItemAdded").getConstructors()[0].newInstance("sku-1", 2);
        Object v2 = loader.loadClass("shop.events.v2.ItemAdded").getConstructors()[0].newInstance("sku-1", 2, 990L);
        Object cleared = loader.loadClass("shop.events.CartCleared").getConstructors()[0].newInstance("abandoned");

        assertThat(mapper.aggregateType()).isEqualTo("ShoppingCart");
        assertThat(List.of(mapper.eventVersionOf(v1), mapper.eventVersionOf(v2), mapper.eventVersionOf(cleared)))
                .containsExactly(1, 2, 1);
        var events = mapper.toEvents("cart-1", List.of(v1, v2, cleared));
        assertThat(events).extracting(e -> e.eventType() + "/" + e.eventVersion())
                .containsExactly("ItemAdded/1", "ItemAdded/2", "CartCleared/1");
        long position = 1;
        for (int i = 0; i < events.size(); i++) {
            PersistedEvent persisted = new PersistedEvent(events.get(i), i + 1, position++);
            assertThat(mapper.fromEvent(persisted)).isEqualTo(List.of(v1, v2, cleared).get(i));
        }
    }

    @Test
    void eventClassesMayComeFromAnotherModulesCompiledClasses() {
        Compilation events = Compilation.of(sources(
                "shop.events.v1.ItemAdded", PLACED_V1,
                "shop.events.v2.ItemAdded", PLACED_V2));
        assertThat(events.errors()).isEmpty();

        Compilation family = Compilation.of(sources("shop.Cart", family(
                "shop.events.v1.ItemAdded.class, shop.events.v2.ItemAdded.class")), List.of(events));

        assertThat(family.errors()).isEmpty();
        assertThat(family.warnings()).isEmpty();
        assertThat(family.generatedSource("shop.CartEventMapper")).get().asString()
                .contains("case \"ItemAdded/1\" -> fromItemAddedV1(event);")
                .contains("case \"ItemAdded/2\" -> fromItemAddedV2(event);");
    }

    @Test
    void twoClassesClaimingTheSameTypeAndVersionFailWithAnErrorOnEach() {
        Compilation compilation = Compilation.of(sources(
                "shop.events.v1.ItemAdded", PLACED_V1,
                "shop.legacy.ItemAdded", """
                        package shop.legacy;
                        public record ItemAdded(String sku) {}
                        """,
                "shop.Cart", family("shop.events.v1.ItemAdded.class, shop.legacy.ItemAdded.class")));

        assertThat(compilation.succeeded()).isFalse();
        String message = "@EventFamily shop.Cart: event type 'ItemAdded' version 1 is claimed by both"
                + " shop.events.v1.ItemAdded and shop.legacy.ItemAdded; move one to another version package or give"
                + " it @EventType(name = ..., version = ...)";
        assertThat(compilation.errorsWithSource())
                .containsExactlyInAnyOrder("ItemAdded.java: " + message, "ItemAdded.java: " + message);
        assertThat(compilation.generatedSource("shop.CartEventMapper")).isEmpty();
        assertThat(compilation.servicesFile()).isEmpty();
    }

    @Test
    void anEventTypeOverrideResolvesTheClaimAndRenamesTheStoredType() {
        Compilation compilation = Compilation.of(sources(
                "shop.events.v1.ItemAdded", PLACED_V1,
                "shop.legacy.ItemAdded", """
                        package shop.legacy;
                        @dev.eventstore.mapping.EventType(name = "LegacyItemAdded", version = 7)
                        public record ItemAdded(String sku) {}
                        """,
                "shop.Cart", family("shop.events.v1.ItemAdded.class, shop.legacy.ItemAdded.class")));

        assertThat(compilation.errors()).isEmpty();
        assertThat(compilation.generatedSource("shop.CartEventMapper")).get().asString()
                .contains("case \"LegacyItemAdded/7\" -> fromLegacyItemAddedV7(event);");
    }

    @Test
    void aTopicDeclaredOnTheEventClassIsGivenToEveryEventAndAMappingOptionOverridesIt() throws Exception {
        Compilation compilation = Compilation.of(sources(
                "shop.events.ItemAdded", """
                        package shop.events;
                        @dev.eventstore.mapping.EventType(topic = "cart.items.added")
                        public record ItemAdded(String sku) {}
                        """,
                "shop.events.CartCleared", "package shop.events; public record CartCleared(String reason) {}",
                "shop.Cart", family("shop.events.ItemAdded.class, shop.events.CartCleared.class")));
        assertThat(compilation.errors()).isEmpty();

        ClassLoader loader = compilation.classLoader();
        EventMapper mapper = (EventMapper) loader.loadClass("shop.CartEventMapper").getConstructor().newInstance();
        Object added = loader.loadClass("shop.events.ItemAdded").getConstructors()[0].newInstance("sku-1");
        Object cleared = loader.loadClass("shop.events.CartCleared").getConstructors()[0].newInstance("done");

        assertThat(mapper.topicOf(added)).contains("cart.items.added");
        assertThat(mapper.topicOf(cleared)).isEmpty();
        assertThat(mapper.toEvents("cart-1", List.of(added, cleared))).extracting(Event::topic)
                .containsExactly("cart.items.added", null);
        assertThat(mapper.toEvents("cart-1", List.of(added, cleared), MappingOption.topic("cart.audit")))
                .extracting(Event::topic).containsExactly("cart.audit", "cart.audit");
        Object typed = loader.loadClass("shop.CartEventMapper").getMethod("toItemAddedV1", String.class,
                loader.loadClass("shop.events.ItemAdded"), MappingOption[].class)
                .invoke(mapper, "cart-1", added, new MappingOption[0]);
        assertThat(((Event) typed).topic()).isEqualTo("cart.items.added");
    }

    @Test
    void aMalformedTopicIsACompileError() {
        assertError(sources(
                "shop.events.ItemAdded", """
                        package shop.events;
                        @dev.eventstore.mapping.EventType(topic = "cart.items.#")
                        public record ItemAdded(String sku) {}
                        """,
                "shop.Cart", family("shop.events.ItemAdded.class")),
                "@EventFamily shop.Cart: shop.events.ItemAdded: @EventType(topic = \"cart.items.#\") is not a topic:"
                        + " use dotted words of ASCII letters, digits, '_' and '-', at most 255 characters, as in"
                        + " 'order.lifecycle.placed' (wildcards belong in queries), or leave it out for none");
    }

    @Test
    void anEventThatIsNotARecordOrClassIsRejected() {
        assertError(sources(
                        "shop.events.Marker", "package shop.events; public interface Marker {}",
                        "shop.Cart", family("shop.events.Marker.class")),
                "@EventFamily shop.Cart: shop.events.Marker is a interface; an event must be a record or a class");
    }

    @Test
    void aNonPublicEventIsRejected() {
        assertError(sources(
                        "shop.events.Hidden", "package shop.events; record Hidden(String a) {}",
                        "shop.events.Cart", """
                                package shop.events;
                                @dev.eventstore.mapping.EventFamily(events = Hidden.class)
                                public class Cart {}
                                """),
                "@EventFamily shop.events.Cart: shop.events.Hidden must be public (and so must the types it is"
                        + " nested in), so the generated mapper can use it");
    }

    @Test
    void aClassJsonbCannotConstructIsRejected() {
        assertError(sources(
                        "shop.events.Noted", """
                                package shop.events;
                                public class Noted {
                                    public Noted(String text) {}
                                }
                                """,
                        "shop.Cart", family("shop.events.Noted.class")),
                "@EventFamily shop.Cart: shop.events.Noted has neither a public no-argument constructor nor a"
                        + " @JsonbCreator constructor, so JSON-B cannot read it; make it a record or add one of them");
    }

    @Test
    void genericAbstractAndInnerEventClassesAreRejected() {
        Compilation compilation = Compilation.of(sources(
                "shop.events.Holder", """
                        package shop.events;
                        public class Holder {
                            public class Inner { public Inner() {} }
                            public abstract static class Base { public Base() {} }
                            public record Boxed<T>(T value) {}
                        }
                        """,
                "shop.Cart", family("shop.events.Holder.Inner.class, shop.events.Holder.Base.class,"
                        + " shop.events.Holder.Boxed.class")));

        assertThat(compilation.errors()).containsExactly(
                "@EventFamily shop.Cart: shop.events.Holder.Inner is an inner class; make it static or a top-level"
                        + " type",
                "@EventFamily shop.Cart: shop.events.Holder.Base is abstract; list the concrete event classes",
                "@EventFamily shop.Cart: shop.events.Holder.Boxed is generic; an event class must not have type"
                        + " parameters");
    }

    @Test
    void badVersionsAreRejected() {
        Compilation compilation = Compilation.of(sources(
                "shop.events.v0.Zero", "package shop.events.v0; public record Zero(String a) {}",
                "shop.events.Negative", """
                        package shop.events;
                        @dev.eventstore.mapping.EventType(version = -2)
                        public record Negative(String a) {}
                        """,
                "shop.Cart", family("shop.events.v0.Zero.class, shop.events.Negative.class")));

        assertThat(compilation.errors()).containsExactly(
                "@EventFamily shop.Cart: shop.events.v0.Zero: package shop.events.v0 does not give a usable version"
                        + " (versions start at v1); rename the package or set @EventType(version)",
                "@EventFamily shop.Cart: shop.events.Negative: @EventType(version = -2) must be 1 or more, or 0 to"
                        + " take the version from the package");
    }

    @Test
    void familyLevelMistakesAreEachReported() {
        Compilation compilation = Compilation.of(sources(
                "shop.events.v1.ItemAdded", PLACED_V1,
                "shop.Empty", """
                        package shop;
                        @dev.eventstore.mapping.EventFamily(events = {})
                        public class Empty {}
                        """,
                "shop.Twice", """
                        package shop;
                        @dev.eventstore.mapping.EventFamily(aggregateType = " ", mapperName = "not-a-name",
                                events = {shop.events.v1.ItemAdded.class, shop.events.v1.ItemAdded.class})
                        public class Twice {}
                        """));

        assertThat(compilation.errors()).containsExactlyInAnyOrder(
                "@EventFamily shop.Empty: events must list at least one event class",
                "@EventFamily shop.Twice: aggregateType must not be blank; leave it out to use the type's simple name",
                "@EventFamily shop.Twice: mapperName 'not-a-name' is not a simple Java class name",
                "@EventFamily shop.Twice: events lists shop.events.v1.ItemAdded twice");
    }

    @Test
    void typeNamesThatGiveTheSameHelperNamesAreRejected() {
        assertError(sources(
                        "shop.events.A", """
                                package shop.events;
                                @dev.eventstore.mapping.EventType(name = "item.added")
                                public record A(String a) {}
                                """,
                        "shop.events.B", """
                                package shop.events;
                                @dev.eventstore.mapping.EventType(name = "ItemAdded")
                                public record B(String a) {}
                                """,
                        "shop.Cart", family("shop.events.A.class, shop.events.B.class")),
                "@EventFamily shop.Cart: event types 'item.added' version 1 and 'ItemAdded' version 1 both give the"
                        + " helper names to/fromItemAddedV1; rename one with @EventType(name)");
    }

    @Test
    void upcasterMistakesAreEachReported() {
        Compilation compilation = Compilation.of(sources(
                "shop.events.v1.ItemAdded", PLACED_V1,
                "shop.events.v2.ItemAdded", PLACED_V2,
                "shop.Outsider", "package shop; public record Outsider(String a) {}",
                "shop.Upcasters", """
                        package shop;
                        import dev.eventstore.mapping.Upcast;
                        public class Upcasters {
                            @Upcast public shop.events.v2.ItemAdded notStatic(shop.events.v1.ItemAdded old) {
                                return null;
                            }
                            @Upcast public static shop.events.v2.ItemAdded twoArguments(shop.events.v1.ItemAdded a,
                                                                                      int b) {
                                return null;
                            }
                            @Upcast public static shop.events.v2.ItemAdded foreign(Outsider old) {
                                return null;
                            }
                            @Upcast public static shop.events.v1.ItemAdded same(shop.events.v1.ItemAdded old) {
                                return old;
                            }
                        }
                        """,
                "shop.NoUpcasts", "package shop; public class NoUpcasts {}",
                "shop.Cart", """
                        package shop;
                        @dev.eventstore.mapping.EventFamily(
                                events = {shop.events.v1.ItemAdded.class, shop.events.v2.ItemAdded.class},
                                upcasters = {Upcasters.class, NoUpcasts.class})
                        public class Cart {}
                        """));

        assertThat(compilation.errors()).containsExactlyInAnyOrder(
                "@EventFamily shop.Cart: @Upcast shop.Upcasters.notStatic must be public static",
                "@EventFamily shop.Cart: @Upcast shop.Upcasters.twoArguments must take exactly one parameter, the old"
                        + " event",
                "@EventFamily shop.Cart: @Upcast shop.Upcasters.foreign takes shop.Outsider, which is not an event of"
                        + " this family",
                "@EventFamily shop.Cart: @Upcast shop.Upcasters.same returns the type it takes; it must return a"
                        + " newer version",
                "@EventFamily shop.Cart: shop.NoUpcasts is listed in upcasters but has no @Upcast method");
    }

    @Test
    void twoUpcastersOfOneVersionAndCyclesAreRejected() {
        Compilation compilation = Compilation.of(sources(
                "shop.events.v1.ItemAdded", PLACED_V1,
                "shop.events.v2.ItemAdded", PLACED_V2,
                "shop.Upcasters", """
                        package shop;
                        import dev.eventstore.mapping.Upcast;
                        import shop.events.v1.ItemAdded;
                        public class Upcasters {
                            @Upcast public static shop.events.v2.ItemAdded up(ItemAdded old) { return null; }
                            @Upcast public static shop.events.v2.ItemAdded again(ItemAdded old) { return null; }
                            @Upcast public static ItemAdded down(shop.events.v2.ItemAdded newer) { return null; }
                        }
                        """,
                "shop.Cart", """
                        package shop;
                        @dev.eventstore.mapping.EventFamily(
                                events = {shop.events.v1.ItemAdded.class, shop.events.v2.ItemAdded.class},
                                upcasters = Upcasters.class)
                        public class Cart {}
                        """));

        assertThat(compilation.errors()).containsExactly(
                "@EventFamily shop.Cart: both shop.Upcasters.up and shop.Upcasters.again upcast"
                        + " shop.events.v1.ItemAdded; keep one",
                "@EventFamily shop.Cart: upcasters form a cycle through shop.events.v1.ItemAdded; an upcaster must"
                        + " lead to a newer version");
    }

    @Test
    void upcastersChainAcrossVersionsInTheGeneratedCode() {
        Compilation compilation = Compilation.of(sources(
                "shop.events.v1.ItemAdded", PLACED_V1,
                "shop.events.v2.ItemAdded", PLACED_V2,
                "shop.events.v3.ItemAdded", """
                        package shop.events.v3;
                        public record ItemAdded(String sku, int quantity, long priceCents, String currency) {}
                        """,
                "shop.Upcasters", """
                        package shop;
                        import dev.eventstore.mapping.Upcast;
                        public class Upcasters {
                            @Upcast public static shop.events.v2.ItemAdded toV2(shop.events.v1.ItemAdded old) {
                                return new shop.events.v2.ItemAdded(old.sku(), old.quantity(), 0);
                            }
                            @Upcast public static shop.events.v3.ItemAdded toV3(shop.events.v2.ItemAdded old) {
                                return new shop.events.v3.ItemAdded(old.sku(), old.quantity(), old.priceCents(), "EUR");
                            }
                        }
                        """,
                "shop.Cart", """
                        package shop;
                        @dev.eventstore.mapping.EventFamily(events = {shop.events.v1.ItemAdded.class,
                                shop.events.v2.ItemAdded.class, shop.events.v3.ItemAdded.class},
                                upcasters = Upcasters.class)
                        public class Cart {}
                        """));

        assertThat(compilation.errors()).isEmpty();
        assertThat(compilation.generatedSource("shop.CartEventMapper")).get().asString()
                .contains("case \"ItemAdded/1\" -> shop.Upcasters.toV3(shop.Upcasters.toV2(fromItemAddedV1(event)));")
                .contains("case \"ItemAdded/2\" -> shop.Upcasters.toV3(fromItemAddedV2(event));")
                .contains("case \"ItemAdded/1\", \"ItemAdded/2\", \"ItemAdded/3\" ->"
                        + " Optional.of(shop.events.v3.ItemAdded.class);");
    }

    @Test
    void defaultMapperNamesDropATrailingEvents() {
        assertThat(FamilyReader.defaultMapperName("Order")).isEqualTo("OrderEventMapper");
        assertThat(FamilyReader.defaultMapperName("OrderEvents")).isEqualTo("OrderEventMapper");
        assertThat(FamilyReader.defaultMapperName("Events")).isEqualTo("EventsEventMapper");
    }

    @Test
    void versionsComeFromTheLastPackageSegment() {
        assertThat(FamilyReader.versionOfPackage("com.acme.order.events.v1")).isEqualTo(1);
        assertThat(FamilyReader.versionOfPackage("com.acme.order.events.v12")).isEqualTo(12);
        assertThat(FamilyReader.versionOfPackage("com.acme.order.events")).isEqualTo(1);
        assertThat(FamilyReader.versionOfPackage("com.acme.v2.order.events")).isEqualTo(1);
        assertThat(FamilyReader.versionOfPackage("com.acme.order.events.version2")).isEqualTo(1);
        assertThat(FamilyReader.versionOfPackage("")).isEqualTo(1);
        assertThat(FamilyReader.versionOfPackage("com.acme.events.v0")).isZero();
    }

    private static void assertError(Map<String, String> sources, String expected) {
        Compilation compilation = Compilation.of(sources);
        assertThat(compilation.succeeded()).isFalse();
        assertThat(compilation.errors()).containsExactly(expected);
        assertThat(compilation.servicesFile()).isEmpty();
    }

    private static String family(String eventClasses) {
        return "package shop;\n@dev.eventstore.mapping.EventFamily(events = {" + eventClasses + "})\n"
                + "public class Cart {}\n";
    }

    private static Map<String, String> sources(String... namesAndTexts) {
        Map<String, String> sources = new LinkedHashMap<>();
        for (int i = 0; i < namesAndTexts.length; i += 2) {
            sources.put(namesAndTexts[i], namesAndTexts[i + 1]);
        }
        return sources;
    }
}
