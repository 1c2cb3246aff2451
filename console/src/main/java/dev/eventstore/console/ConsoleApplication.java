package dev.eventstore.console;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The console's REST API, under {@code /api} of the console's context root; the front end is served beside it. */
@ApplicationPath("api")
public class ConsoleApplication extends Application {
}
