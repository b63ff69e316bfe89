package dev.socketworks.bench;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waiting for something the servers do, with a deadline, so a stuck server fails a run instead of hanging it. */
final class Poll {

    private Poll() {
    }

    static void until(BooleanSupplier condition, String what) throws BenchFailure {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new BenchFailure("timed out waiting for " + what);
            }
            Server.pause(10);
        }
    }
}
