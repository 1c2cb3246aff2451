package dev.eventstore.cdi.spi;

import java.time.Duration;
import java.util.Optional;

/**
 * The deployment's configuration as the event store reads it (MicroProfile Config when the server offers it, else
 * system properties), with the formats and messages of the store's own keys. A method that meets an invalid value
 * records a problem naming the key and what it accepts, and returns the default; the deployment then fails, listing
 * every problem of every key at once.
 */
public interface ConfigValues {

    /** The value, stripped of surrounding blanks; empty when the key is absent or blank. */
    Optional<String> text(String key);

    /** {@code true} or {@code false}, in any case; the default when absent. */
    boolean flag(String key, boolean defaultValue);

    /** A whole number from {@code min} to {@code max}; the default when absent. */
    int integer(String key, int defaultValue, int min, int max);

    /**
     * A positive duration: {@code 500ms}, {@code 15s}, {@code 2m}, {@code 1h} or ISO-8601 such as {@code PT15S}; the
     * default when absent.
     */
    Duration duration(String key, Duration defaultValue);

    /**
     * Records a problem the methods above cannot see, such as two keys that exclude each other. Name the keys and the
     * fix; never quote a secret.
     */
    void problem(String message);
}
