package dev.eventstore.postgres;

import dev.eventstore.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The library's module descriptors close what is not API: an application module that requires
 * {@code dev.eventstore.postgres} compiles against the exported packages and is refused the internal ones, with
 * javac's own message. The build's {@code -Xlint:exports -Werror} already fails when an exported signature names a
 * type of a package that is not exported.
 */
class ModuleBoundaryTest {

    @TempDir
    Path work;

    @Test
    void theStoreExportsItsApiPackagesAndNoInternalOne() throws URISyntaxException {
        assertThat(unqualifiedExports(location(PostgresEventStore.class))).containsExactlyInAnyOrder(
                "dev.eventstore.postgres", "dev.eventstore.postgres.spi", "dev.eventstore.async",
                "dev.eventstore.async.micrometer", "dev.eventstore.jobs", "dev.eventstore.jobs.micrometer",
                "dev.eventstore.migration");
        assertThat(unqualifiedExports(location(Event.class))).containsExactlyInAnyOrder("dev.eventstore",
                "dev.eventstore.maintenance", "dev.eventstore.mapping", "dev.eventstore.projection",
                "dev.eventstore.query");
    }

    @Test
    void anApplicationModuleCompilesAgainstTheApiAndTheStore() throws Exception {
        DiagnosticCollector<JavaFileObject> diagnostics = compile("""
                package com.acme.app;

                import dev.eventstore.Event;
                import dev.eventstore.postgres.PostgresEventStore;
                import dev.eventstore.postgres.StoreConfig;

                public class App {
                    public static StoreConfig config(Event event) {
                        return StoreConfig.defaults();
                    }

                    static Class<?> store() {
                        return PostgresEventStore.class;
                    }
                }
                """);

        assertThat(diagnostics.getDiagnostics()).isEmpty();
    }

    @Test
    void anApplicationModuleCannotReachTheStoresInternals() throws Exception {
        DiagnosticCollector<JavaFileObject> diagnostics = compile("""
                package com.acme.app;

                public class App {
                    static Class<?> store() {
                        return dev.eventstore.postgres.internal.JdbcEventStore.class;
                    }
                }
                """);

        assertThat(messages(diagnostics)).anySatisfy(message -> assertThat(message)
                .contains("package dev.eventstore.postgres.internal is not visible"));
    }

    @Test
    void anApplicationModuleCannotReachTheApisInternals() throws Exception {
        DiagnosticCollector<JavaFileObject> diagnostics = compile("""
                package com.acme.app;

                public class App {
                    static Class<?> topics() {
                        return dev.eventstore.internal.Topics.class;
                    }
                }
                """);

        assertThat(messages(diagnostics)).anySatisfy(message -> assertThat(message)
                .contains("package dev.eventstore.internal is not visible"));
    }

    private DiagnosticCollector<JavaFileObject> compile(String app) throws IOException, URISyntaxException {
        Path sources = Files.createDirectories(work.resolve("src/com.acme.app/com/acme/app"));
        Files.writeString(sources.resolve("App.java"), app);
        Path descriptor = Files.writeString(work.resolve("src/com.acme.app/module-info.java"),
                "module com.acme.app { requires dev.eventstore.postgres; }");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            Iterable<? extends JavaFileObject> units = files.getJavaFileObjects(descriptor,
                    sources.resolve("App.java"));
            List<String> options = List.of("--release", "17", "-d", work.resolve("classes").toString(),
                    "--module-path", location(PostgresEventStore.class) + java.io.File.pathSeparator
                            + location(Event.class));
            javac.getTask(null, files, diagnostics, options, null, units).call();
        }
        return diagnostics;
    }

    private static List<String> messages(DiagnosticCollector<JavaFileObject> diagnostics) {
        return diagnostics.getDiagnostics().stream().map(d -> d.getMessage(Locale.ROOT)).toList();
    }

    private static Set<String> unqualifiedExports(Path location) {
        ModuleDescriptor descriptor = ModuleFinder.of(location).findAll().iterator().next().descriptor();
        return descriptor.exports().stream().filter(export -> !export.isQualified())
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
    }

    private static Path location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
