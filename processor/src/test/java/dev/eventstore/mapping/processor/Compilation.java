package dev.eventstore.mapping.processor;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A real javac run of the processor over in-memory sources, with the test class path, every lint warning on: what a
 * user's build does, observable from a test.
 */
record Compilation(boolean succeeded, List<Diagnostic<? extends JavaFileObject>> diagnostics, Path classes,
                   Path generatedSources) {

    static Compilation of(Map<String, String> sourcesByClassName) {
        return of(sourcesByClassName, List.of());
    }

    /** A compilation that also sees the classes of earlier ones, as a build sees a dependency's jar. */
    static Compilation of(Map<String, String> sourcesByClassName, List<Compilation> dependencies) {
        try {
            return compile(sourcesByClassName, dependencies, Files.createTempDirectory("processor-classes"),
                    List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A later, incremental compilation writing into {@code earlier}'s class output, which it also sees. */
    static Compilation incrementallyAfter(Compilation earlier, Map<String, String> sourcesByClassName) {
        return compile(sourcesByClassName, List.of(earlier), earlier.classes(), List.of());
    }

    /** A compilation with extra javac options, such as {@code --limit-modules}. */
    static Compilation withOptions(Map<String, String> sourcesByClassName, List<String> extraOptions) {
        try {
            return compile(sourcesByClassName, List.of(), Files.createTempDirectory("processor-classes"),
                    extraOptions);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Compilation compile(Map<String, String> sourcesByClassName, List<Compilation> dependencies,
                                       Path classes, List<String> extraOptions) {
        try {
            Path generated = Files.createTempDirectory("processor-sources");
            JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            List<JavaFileObject> units = new ArrayList<>();
            sourcesByClassName.forEach((name, text) -> units.add(new Source(name, text)));
            try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
                    StandardCharsets.UTF_8)) {
                List<String> options = new ArrayList<>(List.of("--release", "17", "-Xlint:all,-processing",
                        "-implicit:class", "-classpath", classPath(dependencies),
                        "-d", classes.toString(), "-s", generated.toString()));
                options.addAll(extraOptions);
                JavaCompiler.CompilationTask task = compiler.getTask(null, files, diagnostics, options, null, units);
                task.setProcessors(List.of(new EventMappingProcessor()));
                boolean succeeded = task.call();
                return new Compilation(succeeded, List.copyOf(diagnostics.getDiagnostics()), classes, generated);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String classPath(List<Compilation> dependencies) {
        StringBuilder classPath = new StringBuilder(System.getProperty("java.class.path"));
        dependencies.forEach(d -> classPath.append(java.io.File.pathSeparator).append(d.classes()));
        return classPath.toString();
    }

    List<String> errors() {
        return messages(Diagnostic.Kind.ERROR);
    }

    List<String> warnings() {
        List<String> warnings = new ArrayList<>(messages(Diagnostic.Kind.WARNING));
        warnings.addAll(messages(Diagnostic.Kind.MANDATORY_WARNING));
        return warnings;
    }

    /** Each error as "SimpleSourceName: message", to check which element an error points at. */
    List<String> errorsWithSource() {
        return diagnostics.stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> (d.getSource() == null ? "?" : Path.of(d.getSource().toUri().getPath()).getFileName()
                        .toString()) + ": " + d.getMessage(Locale.ROOT))
                .toList();
    }

    Optional<String> generatedSource(String qualifiedName) {
        Path file = generatedSources.resolve(qualifiedName.replace('.', '/') + ".java");
        return read(file);
    }

    Optional<String> servicesFile() {
        return read(classes.resolve(EventMappingProcessor.SERVICES_FILE));
    }

    /** Loads the compiled classes, for running generated code. */
    ClassLoader classLoader() {
        try {
            return new URLClassLoader(new URL[]{classes.toUri().toURL()}, getClass().getClassLoader());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> messages(Diagnostic.Kind kind) {
        return diagnostics.stream().filter(d -> d.getKind() == kind).map(d -> d.getMessage(Locale.ROOT)).toList();
    }

    private static Optional<String> read(Path file) {
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class Source extends SimpleJavaFileObject {
        private final String text;

        Source(String className, String text) {
            super(URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.text = text;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }
}
