package dev.eventstore.docs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code ```java} block in the README and in {@code docs/} is code from a test: the line before the block names
 * it, {@code <!-- tested: path/To/SomeTest.java#region -->} (path relative to the repository root), and the block
 * equals what that file holds between {@code // doc: region begins} and {@code // doc: region ends}, line by line
 * with indentation stripped. A block shown from several files names each, separated by spaces, and equals their
 * regions in that order with one blank line between them. The test holding the region compiles it and, where it can,
 * runs it. A block of another language with such a marker (server set-up commands) names a script the container
 * tests' build runs, under {@code src-it/src/main/}, and equals its region between {@code # doc: region begins} and
 * {@code # doc: region ends}.
 */
class DocSnippetsTest {

    private static final Path REPOSITORY = Path.of("..");
    private static final Pattern MARKER = Pattern.compile("<!-- tested: (\\S+#\\S+(?: \\S+#\\S+)*) -->");

    @Test
    void everyJavaBlockInTheDocsIsARegionOfATest() throws IOException {
        List<String> problems = new ArrayList<>();
        int blocks = 0;
        for (Path document : documents()) {
            List<CodeBlock> javaBlocks = javaBlocks(document);
            for (CodeBlock block : javaBlocks) {
                blocks++;
                problems.addAll(check(block));
            }
        }
        assertThat(blocks).as("java blocks found").isGreaterThan(1);
        assertThat(problems).as("java blocks in the docs that are not tested code").isEmpty();
    }

    @Test
    void everyMarkedScriptBlockInTheDocsIsARegionOfAScriptTheContainerTestsRun() throws IOException {
        List<String> problems = new ArrayList<>();
        int blocks = 0;
        for (Path document : documents()) {
            for (CodeBlock block : blocks(document, language -> !language.equals("java"))) {
                if (MARKER.matcher(block.lineBefore().strip()).matches()) {
                    blocks++;
                    problems.addAll(checkScript(block));
                }
            }
        }
        assertThat(blocks).as("marked script blocks found").isGreaterThan(1);
        assertThat(problems).as("marked script blocks in the docs that differ from the scripts").isEmpty();
    }

    @Test
    void aScriptBlockThatDiffersFromItsRegionIsReported() {
        CodeBlock block = new CodeBlock(Path.of("docs", "example.md"), 5,
                "<!-- tested: src-it/src/main/wildfly/configure-server.cli#wildfly-xa -->", "jms-queue add --other");

        assertThat(checkScript(block)).singleElement().asString().contains("docs/example.md:5").contains("differs");
    }

    @Test
    void aScriptBlockMustNameAScriptTheContainerTestsRun() {
        CodeBlock block = new CodeBlock(Path.of("docs", "example.md"), 5,
                "<!-- tested: docs/xa-and-jms.md#anything -->", "asadmin start-domain");

        assertThat(checkScript(block)).singleElement().asString().contains("src-it/src/main/");
    }

    @Test
    void aBlockWithoutMarkerIsReportedWithDocumentAndLine() {
        CodeBlock block = new CodeBlock(Path.of("docs", "example.md"), 7, "Some prose.", "int x = 1;");

        assertThat(check(block)).singleElement().asString()
                .contains("docs/example.md:7").contains("<!-- tested:");
    }

    @Test
    void aBlockThatDiffersFromItsRegionIsReported() {
        CodeBlock block = new CodeBlock(Path.of("docs", "example.md"), 3,
                "<!-- tested: postgres/src/test/java/dev/eventstore/docs/DocSnippetsTest.java#self-check -->",
                "int answer = 41;");

        assertThat(check(block)).singleElement().asString().contains("docs/example.md:3").contains("differs");
    }

    @Test
    void theSelfCheckRegionIsFound() {
        CodeBlock block = new CodeBlock(Path.of("docs", "example.md"), 3,
                "<!-- tested: postgres/src/test/java/dev/eventstore/docs/DocSnippetsTest.java#self-check -->",
                "    int answer = 42;   \n");

        // doc: self-check begins
        int answer = 42;
        // doc: self-check ends

        assertThat(answer).isEqualTo(42);
        assertThat(check(block)).isEmpty();
    }

    @Test
    void aBlockShownFromSeveralRegionsEqualsThemInOrderWithABlankLineBetween() {
        String marker = "<!-- tested: postgres/src/test/java/dev/eventstore/docs/DocSnippetsTest.java#self-check"
                + " postgres/src/test/java/dev/eventstore/docs/DocSnippetsTest.java#second-part -->";

        // doc: second-part begins
        int question = 6 * 7;
        // doc: second-part ends

        assertThat(question).isEqualTo(42);
        assertThat(check(new CodeBlock(Path.of("docs", "example.md"), 3, marker,
                "int answer = 42;\n\nint question = 6 * 7;"))).isEmpty();
        assertThat(check(new CodeBlock(Path.of("docs", "example.md"), 3, marker,
                "int question = 6 * 7;\n\nint answer = 42;"))).singleElement().asString().contains("differs");
        assertThat(check(new CodeBlock(Path.of("docs", "example.md"), 3,
                marker.replace("#second-part", "#missing-part"), "int answer = 42;")))
                .singleElement().asString().contains("has no region '// doc: missing-part begins'");
    }

    private static List<Path> documents() throws IOException {
        List<Path> documents = new ArrayList<>();
        documents.add(REPOSITORY.resolve("README.md"));
        try (Stream<Path> docs = Files.list(REPOSITORY.resolve("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        return documents;
    }

    /** A fenced java block: where it starts (1-based line of the fence), the line before it and its code. */
    record CodeBlock(Path document, int line, String lineBefore, String code) {
    }

    static List<CodeBlock> javaBlocks(Path document) throws IOException {
        return blocks(document, "java"::equals);
    }

    /** The fenced blocks whose language (what follows the opening fence, maybe nothing) is accepted. */
    static List<CodeBlock> blocks(Path document, Predicate<String> language) throws IOException {
        List<String> lines = Files.readAllLines(document);
        List<CodeBlock> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!line.startsWith("```")) {
                continue;
            }
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).strip().equals("```")) {
                end++;
            }
            if (language.test(line.substring(3).strip())) {
                blocks.add(new CodeBlock(REPOSITORY.relativize(document), i + 1, i == 0 ? "" : lines.get(i - 1),
                        String.join("\n", lines.subList(i + 1, end))));
            }
            i = end;
        }
        return blocks;
    }

    private static List<String> check(CodeBlock block) {
        String where = block.document().toString().replace('\\', '/') + ":" + block.line();
        Matcher marker = MARKER.matcher(block.lineBefore().strip());
        if (!marker.matches()) {
            return List.of(where + ": the java block needs the line '<!-- tested: <path of a test source>#<region> -->'"
                    + " right before it, naming the test region it is copied from");
        }
        List<String> problems = new ArrayList<>();
        List<String> regions = new ArrayList<>();
        for (String named : marker.group(1).split(" ")) {
            String path = named.substring(0, named.lastIndexOf('#'));
            String region = named.substring(named.lastIndexOf('#') + 1);
            String tested = tested(where, path, region, problems);
            if (tested != null) {
                regions.add(tested);
            }
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        String tested = String.join("\n\n", regions);
        String shown = normalized(block.code());
        if (!shown.equals(tested)) {
            return List.of(where + ": the block differs from " + marker.group(1)
                    + "\n--- doc:\n" + shown + "\n--- test:\n" + tested);
        }
        return List.of();
    }

    /** The normalized region, or null with the reason added to the problems. */
    private static String tested(String where, String path, String region, List<String> problems) {
        Path source = REPOSITORY.resolve(path);
        if (!path.contains("/src/test/java/")) {
            problems.add(where + ": " + path + " is not a test source; a test must compile the code");
            return null;
        }
        if (!Files.isRegularFile(source)) {
            problems.add(where + ": " + path + " does not exist");
            return null;
        }
        String tested;
        try {
            tested = region(Files.readString(source), region);
        } catch (IOException e) {
            problems.add(where + ": cannot read " + path + ": " + e);
            return null;
        }
        if (tested == null) {
            problems.add(where + ": " + path + " has no region '// doc: " + region + " begins'"
                    + " ... '// doc: " + region + " ends'");
        }
        return tested;
    }

    private static List<String> checkScript(CodeBlock block) {
        String where = block.document().toString().replace('\\', '/') + ":" + block.line();
        Matcher marker = MARKER.matcher(block.lineBefore().strip());
        if (!marker.matches()) {
            return List.of(where + ": not a marked block");
        }
        String named = marker.group(1);
        if (named.contains(" ")) {
            return List.of(where + ": a script block shows one region of one script, not " + named);
        }
        String path = named.substring(0, named.lastIndexOf('#'));
        String region = named.substring(named.lastIndexOf('#') + 1);
        Path script = REPOSITORY.resolve(path);
        if (!path.startsWith("src-it/src/main/")) {
            return List.of(where + ": " + path + " is not under src-it/src/main/, where the scripts the"
                    + " container tests' build runs are");
        }
        if (!Files.isRegularFile(script)) {
            return List.of(where + ": " + path + " does not exist");
        }
        String run;
        try {
            run = region(Files.readString(script), region);
        } catch (IOException e) {
            return List.of(where + ": cannot read " + path + ": " + e);
        }
        if (run == null) {
            return List.of(where + ": " + path + " has no region '# doc: " + region + " begins'"
                    + " ... '# doc: " + region + " ends'");
        }
        String shown = normalized(block.code());
        if (!shown.equals(run)) {
            return List.of(where + ": the block differs from region '" + region + "' of " + path
                    + "\n--- doc:\n" + shown + "\n--- script:\n" + run);
        }
        return List.of();
    }

    /** The region between {@code // doc: name begins} and its end, or {@code #} comments in scripts. */
    static String region(String source, String name) {
        String begins = "(?://|#)\\s*doc: " + Pattern.quote(name) + " begins[^\\n]*\\n";
        String ends = "\\n[ \\t]*(?://|#)\\s*doc: " + Pattern.quote(name) + " ends";
        Matcher marked = Pattern.compile(begins + "(.*?)" + ends, Pattern.DOTALL).matcher(source);
        return marked.find() ? normalized(marked.group(1)) : null;
    }

    /** Each line stripped of surrounding whitespace, blank lines kept, leading and trailing blank lines dropped. */
    static String normalized(String code) {
        return code.lines().map(String::strip).reduce((a, b) -> a + "\n" + b).orElse("").strip();
    }
}
