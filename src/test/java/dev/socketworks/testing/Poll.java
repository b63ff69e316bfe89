package dev.socketworks.testing;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waits for a condition nothing signals (a server becoming ready): checked every 100 ms, up to a deadline. */
public final class Poll {

    private Poll() {
    }

    public static void until(Duration deadline, String what, Callable<Boolean> condition) throws Exception {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > end) {
                throw new AssertionError(what + ": not after " + deadline);
            }
            // The one interval wait of the tests: used only where nothing can be waited on (a
            // server's readiness over HTTP, a cluster's state), always under a deadline.
            java.util.concurrent.TimeUnit.MILLISECONDS.sleep(100);
        }
    }
}
