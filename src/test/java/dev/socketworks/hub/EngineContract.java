package dev.socketworks.hub;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the role contracts share: a fresh hub per test on the engine under test, and a recorder of
 * deliveries. Deliveries may be asynchronous (a shared engine), so assertions on what a subscriber
 * received wait for it with a deadline.
 */
public abstract class EngineContract implements Engine {

    private final List<Hub> opened = new ArrayList<>();

    /** The test's hub: no topic in use by any other test. */
    protected Hub hub;

    @BeforeEach
    void openHub() {
        hub = open("test", "t" + UUID.randomUUID() + ":");
    }

    /** A hub closed after the test. */
    protected Hub open(String node, String prefix) {
        Hub connected = connect(node, prefix);
        opened.add(connected);
        return connected;
    }

    @AfterEach
    void closeHubs() {
        opened.forEach(Hub::close);
        opened.clear();
    }

    /** Records deliveries; waits for a count with a deadline. */
    protected static class Recorder implements Subscriber {
        private final List<Message> received = new ArrayList<>();

        @Override
        public synchronized void deliver(Message message) {
            received.add(message);
            notifyAll();
        }

        @Override
        public void flush() {
        }

        /** The first {@code count} deliveries, once they arrived (fails after 10 s). */
        public synchronized List<Message> await(int count) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (received.size() < count) {
                long left = deadline - System.nanoTime();
                assertThat(left).as("deliveries after 10 s: " + received.size() + " of " + count).isPositive();
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
            return List.copyOf(received.subList(0, count));
        }

        public synchronized List<Message> all() {
            return List.copyOf(received);
        }

        List<String> texts(int count) {
            return await(count).stream().map(Message::text).toList();
        }
    }
}
