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
            Thread.sleep(100);
        }
    }
}
