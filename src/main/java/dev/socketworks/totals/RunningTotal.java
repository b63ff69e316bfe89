package dev.socketworks.totals;

import dev.socketworks.hub.Hub;
import dev.socketworks.hub.Subscriber;

import java.util.List;

/**
 * The one running total of the deployment. Exact 64-bit arithmetic: an addition that would overflow
 * is refused and leaves the total unchanged. Every change gets the next sequence number and is
 * published from inside the hub's topic lock, so no subscriber ever sees totals out of order, and a
 * joiner gets the current total atomically with its subscription.
 */
public final class RunningTotal {

    static final String TOPIC = "totals";

    /** A total and the number of the change that produced it; on the hub as "seq total". */
    public record Change(long total, long seq) {
        String wire() {
            return seq + " " + total;
        }

        static Change fromWire(String wire) {
            int space = wire.indexOf(' ');
            return new Change(Long.parseLong(wire.substring(space + 1)), Long.parseLong(wire.substring(0, space)));
        }
    }

    /** What an addition did. */
    public sealed interface Outcome permits Added, Overflow {
    }

    public record Added(Change change) implements Outcome {
    }

    public record Overflow() implements Outcome {
    }

    private final Hub hub;
    // Guarded by the hub's lock for TOPIC: only read and written inside publishComputed / welcome.
    private long total;
    private long seq;

    public RunningTotal(Hub hub) {
        this.hub = hub;
    }

    public Outcome add(long amount) {
        Outcome[] outcome = new Outcome[1];
        hub.publishComputed(TOPIC, () -> {
            long next;
            try {
                next = Math.addExact(total, amount);
            } catch (ArithmeticException e) {
                outcome[0] = new Overflow();
                return List.of();
            }
            total = next;
            seq++;
            Change change = new Change(total, seq);
            outcome[0] = new Added(change);
            return List.of(change.wire());
        });
        return outcome[0];
    }

    /** Subscribes; the subscriber's first message is the current total. Messages are in wire form. */
    public Hub.Subscription join(Subscriber subscriber) {
        return hub.subscribe(TOPIC, subscriber, () -> List.of(new Change(total, seq).wire()));
    }
}
