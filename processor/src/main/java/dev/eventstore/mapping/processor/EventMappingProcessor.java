package dev.eventstore.mapping.processor;

import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Generates an {@code dev.eventstore.mapping.EventMapper} for every type annotated
 * {@code dev.eventstore.mapping.EventFamily}, and lists the generated mappers in
 * {@code META-INF/services/dev.eventstore.mapping.EventMapper} so the CDI integration can find them without scanning.
 *
 * <p>Everything is decided at compile time: type names, versions, duplicate claims and upcaster chains. A broken
 * family fails the compilation with an error on the class at fault and generates nothing.
 */
public final class EventMappingProcessor extends AbstractProcessor {

    static final String SERVICES_FILE = "META-INF/services/dev.eventstore.mapping.EventMapper";

    private final List<String> generatedMappers = new ArrayList<>();

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of(FamilyReader.EVENT_FAMILY);
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        FamilyReader reader = new FamilyReader(processingEnv.getElementUtils(), processingEnv.getMessager());
        for (TypeElement annotation : annotations) {
            for (TypeElement family : ElementFilter.typesIn(round.getElementsAnnotatedWith(annotation))) {
                reader.read(family).ifPresent(model -> generate(model, family));
            }
        }
        if (round.processingOver() && !generatedMappers.isEmpty()) {
            writeServicesFile();
        }
        return true;
    }

    private void generate(FamilyModel model, Element family) {
        Filer filer = processingEnv.getFiler();
        try {
            JavaFileObject file = filer.createSourceFile(model.qualifiedMapperName(), family);
            try (Writer writer = file.openWriter()) {
                writer.write(MapperWriter.source(model, generatedAnnotationAvailable()));
            }
            generatedMappers.add(model.qualifiedMapperName());
        } catch (IOException e) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, "@EventFamily "
                    + model.familyName() + ": cannot write " + model.qualifiedMapperName() + ": " + e, family);
        }
    }

    private boolean generatedAnnotationAvailable() {
        return processingEnv.getElementUtils().getTypeElement("javax.annotation.processing.Generated") != null;
    }

    /**
     * Writes the services file with this compilation's mappers plus those an earlier (incremental) compilation listed
     * there and that still exist, so recompiling one family never drops another's entry.
     */
    private void writeServicesFile() {
        Set<String> mappers = new LinkedHashSet<>(earlierMappersThatStillExist());
        mappers.addAll(generatedMappers);
        try {
            FileObject file = processingEnv.getFiler().createResource(StandardLocation.CLASS_OUTPUT, "",
                    SERVICES_FILE);
            try (Writer writer = new OutputStreamWriter(file.openOutputStream(), StandardCharsets.UTF_8)) {
                for (String mapper : mappers) {
                    writer.write(mapper + "\n");
                }
            }
        } catch (IOException e) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, "cannot write " + SERVICES_FILE
                    + " for the generated mappers " + mappers + ": " + e);
        }
    }

    private List<String> earlierMappersThatStillExist() {
        List<String> earlier = new ArrayList<>();
        try {
            FileObject existing = processingEnv.getFiler().getResource(StandardLocation.CLASS_OUTPUT, "",
                    SERVICES_FILE);
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(existing.openInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    String name = line.strip();
                    if (!name.isEmpty() && !name.startsWith("#")
                            && processingEnv.getElementUtils().getTypeElement(name) != null) {
                        earlier.add(name);
                    }
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // No earlier file (a clean build), or the tool cannot read class output: nothing to keep.
        }
        return earlier;
    }
}
