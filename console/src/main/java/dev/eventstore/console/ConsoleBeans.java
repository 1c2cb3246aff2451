package dev.eventstore.console;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The console's settings, read once. */
@ApplicationScoped
public class ConsoleBeans {

    @Produces
    @Singleton
    ConsoleSettings settings() {
        return ConsoleSettings.fromEnvironment();
    }
}
