package dev.eventstore.cdi.internal;

import dev.eventstore.cdi.spi.ConfigValues;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@link ConfigValues} over the deployment's configuration, recording invalid values in a shared list of problems so
 * that the deployment reports them all at once. {@link EventStoreSettings} reads the store's own keys through it, and
 * configured projections theirs, so every key has the same formats and messages.
 */
final class ConfigReader implements ConfigValues {

    private final Function<String, Optional<String>> config;
    private final List<String> problems;

    ConfigReader(Function<String, Optional<String>> config, List<String> problems) {
        this.config = config;
        this.problems = problems;
    }

    @Override
    public Optional<String> text(String key) {
        return config.apply(key).map(String::strip).filter(value -> !value.isEmpty());
    }

    @Override
    public boolean flag(String key, boolean defaultValue) {
        Optional<String> value = text(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        return switch (value.get().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                problems.add(key + " must be true or false; was '" + value.get() + "'");
                yield defaultValue;
            }
        };
    }

    @Override
    public int integer(String key, int defaultValue, int min, int max) {
        Optional<String> value = text(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(key + " must be a whole number from " + min + " to " + max + "; was '" + value.get() + "'");
        return defaultValue;
    }

    @Override
    public Duration duration(String key, Duration defaultValue) {
        Optional<String> value = text(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        Optional<Duration> parsed = EventStoreSettings.parseDuration(value.get());
        if (parsed.isPresent() && !parsed.get().isNegative() && !parsed.get().isZero()) {
            return parsed.get();
        }
        problems.add(key + " must be a positive duration such as 500ms, 15s, 2m, 1h or PT15S; was '" + value.get()
                + "'");
        return defaultValue;
    }

    @Override
    public void problem(String message) {
        problems.add(message);
    }
}
