package dev.eventstore.testing;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** The one polling wait of the tests: a condition checked every 25 ms until it holds, or 30 s and a failure. */
public final class Await {

    private static final long TIMEOUT_SECONDS = 30;
    private static final long POLL_MILLIS = 25;

    private Await() {
    }

    public static void await(BooleanSupplier condition, String what) throws InterruptedException {
        await(condition, () -> what);
    }

    /** As {@link #await(BooleanSupplier, String)}, the failure's text computed when it fails (to show a state). */
    public static void await(BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
        await(TIMEOUT_SECONDS, condition, what);
    }

    /** As {@link #await(long, BooleanSupplier, Supplier)} with a fixed text. */
    public static void await(long timeoutSeconds, BooleanSupplier condition, String what)
            throws InterruptedException {
        await(timeoutSeconds, condition, () -> what);
    }

    /**
     * As {@link #await(BooleanSupplier, Supplier)} with a longer limit, for a wait that spans several processes on a
     * shared machine (JVM starts, lease expiry, another session's transaction holding the horizon).
     */
    public static void await(long timeoutSeconds, BooleanSupplier condition, Supplier<String> what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeoutSeconds + " s waiting until " + what.get());
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
