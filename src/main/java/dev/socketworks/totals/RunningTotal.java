package dev.socketworks.totals;

import dev.socketworks.hub.CounterChange;
import dev.socketworks.hub.Hub;
import dev.socketworks.hub.Subscriber;

/**
 * The one running total of the deployment: a counter on the hub. Exact 64-bit arithmetic (an
 * addition that would overflow is refused and leaves the total unchanged); each change's offset is
 * its {@code seq}, so every subscriber sees totals in the order they were made, and a joiner gets
 * the current total first, atomically with its subscription.
 */
public final class RunningTotal {

    static final String TOPIC = "totals";

    private final Hub hub;

    public RunningTotal(Hub hub) {
        this.hub = hub;
    }

    public CounterChange add(long amount) {
        return hub.add(TOPIC, amount);
    }

    /** Subscribes; the subscriber's first message is the current total (its text is the decimal total). */
    public Hub.Subscription join(Subscriber subscriber) {
        return hub.watch(TOPIC, subscriber);
    }
}
