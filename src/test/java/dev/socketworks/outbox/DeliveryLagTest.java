package dev.socketworks.outbox;

import dev.socketworks.hub.InMemoryHub;
import dev.socketworks.hub.Retention;
import dev.socketworks.testing.FakeSession;
import dev.socketworks.testing.Poll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delivery lag a user feels: from a publication (its publisher's clock) to its send completing,
 * and to the client's sw-ack pong confirming it read it; nothing measured for what is not a
 * publication (a service's direct reply).
 */
class DeliveryLagTest {

    private static final class Recorded implements OutboxMeter {
        final List<Long> delivered = new CopyOnWriteArrayList<>();
        final List<Long> confirmed = new CopyOnWriteArrayList<>();

        @Override
        public void sent(long bytes) {
        }

        @Override
        public void cutSlow() {
        }

        @Override
        public void delivered(long lagMillis) {
            delivered.add(lagMillis);
        }

        @Override
        public void confirmed(long lagMillis) {
            confirmed.add(lagMillis);
        }
    }

    @Test
    void aPublicationsLagRunsFromItsPublishingToItsSendAndToTheClientsConfirmation() throws Exception {
        // Published "250 ms ago" by the publisher's clock: the lag measured here must include those 250 ms.
        InMemoryHub hub = new InMemoryHub("one", Long.MAX_VALUE,
                Clock.fixed(Instant.now().minusMillis(250), ZoneOffset.UTC));
        FakeSession client = new FakeSession("lag", FakeSession.Completion.MANUAL);
        Outbox outbox = new Outbox(client.session, 100, 64, Runnable::run); // marks every 16 bytes
        Recorded meter = new Recorded();
        outbox.meter(meter);
        hub.subscribe("topic", OutboxSubscriber.verbatim(outbox));

        outbox.sendText("a direct reply, not a publication");
        client.completeOne();
        assertThat(meter.delivered).as("a reply has no publication time").isEmpty();

        hub.publish("topic", "published, and long enough to be followed by a mark", Retention.NONE);
        Poll.until(Duration.ofSeconds(10), "the publication in flight", () -> client.received.contains("published, and long enough to be followed by a mark") && !client.inFlight.isEmpty());
        client.completeOne();
        assertThat(meter.delivered).hasSize(1);
        assertThat(meter.delivered.get(0)).isBetween(250L, 250L + Duration.ofSeconds(10).toMillis());

        ByteBuffer mark = client.sent.stream().filter(ByteBuffer.class::isInstance).map(ByteBuffer.class::cast)
                .reduce((first, second) -> second).orElseThrow(() -> new AssertionError("no sw-ack mark went out"));
        assertThat(meter.confirmed).as("nothing confirmed before the pong").isEmpty();
        outbox.pong(mark.duplicate());
        assertThat(meter.confirmed).hasSize(1);
        assertThat(meter.confirmed.get(0)).isGreaterThanOrEqualTo(250L);
        outbox.pong(mark.duplicate());
        assertThat(meter.confirmed).as("a pong answered twice confirms once").hasSize(1);
    }
}
