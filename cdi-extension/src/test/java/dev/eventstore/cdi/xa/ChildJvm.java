package dev.eventstore.cdi.xa;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a class of the tests in a JVM of its own, with the tests' class path: a process that can die for real (halt)
 * while this one goes on to check what it left behind. Its output goes to a file next to the test's other files.
 */
final class ChildJvm {

    private static final long TIMEOUT_SECONDS = 90;

    record Result(int exitCode, String output, long millis) {
        /** The rest of the first output line that starts with {@code prefix}. */
        String line(String prefix) {
            return output.lines().filter(line -> line.startsWith(prefix)).findFirst()
                    .map(line -> line.substring(prefix.length()))
                    .orElseThrow(() -> new AssertionError("no line '" + prefix + "...' in the child's output:\n"
                            + output));
        }
    }

    private ChildJvm() {
    }

    static Result run(Class<?> main, Map<String, String> systemProperties, Path log, String... arguments)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:TieredStopAtLevel=1");     // short-lived: start fast rather than compile hot code
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add(main.getName());
        command.addAll(List.of(arguments));
        Files.createDirectories(log.getParent());
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError(main.getSimpleName() + " did not finish within " + TIMEOUT_SECONDS
                    + " s; its output:\n" + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }
}
