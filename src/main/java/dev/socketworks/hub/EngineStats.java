package dev.socketworks.hub;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * What a shared engine tells an operator about itself: each command's round trip and each
 * publication's pub/sub lag (to timers the deployment plugs in), reconnect attempts, and catch-ups (topics brought up to date after a reconnect or a
 * gap). Counting costs an adder's increment; none of it takes a lock.
 */
public final class EngineStats {

    private volatile LongConsumer roundTrips = nanos -> { };
    private volatile LongConsumer pubSubLags = millis -> { };
    final LongAdder reconnects = new LongAdder();
    final LongAdder catchUps = new LongAdder();

    /** Where each command's round trip goes, in nanoseconds (the deployment's timer). */
    public void measureRoundTripsWith(LongConsumer timer) {
        this.roundTrips = timer;
    }

    void roundTrip(long nanos) {
        roundTrips.accept(nanos);
    }

    /** Where each publication's way through the engine goes: from its publishing to this server hearing it, in milliseconds. */
    public void measurePubSubLagWith(LongConsumer timer) {
        this.pubSubLags = timer;
    }

    void pubSub(long lagMillis) {
        pubSubLags.accept(Math.max(0, lagMillis)); // two servers' clocks may disagree
    }

    /** Tries to get a lost connection back (the commands' and the pub/sub's each count). */
    public long reconnects() {
        return reconnects.sum();
    }

    /** Topics brought up to date from the stream after a reconnect or a missed publication. */
    public long catchUps() {
        return catchUps.sum();
    }
}
