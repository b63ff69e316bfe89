package dev.socketworks.outbox;

import dev.socketworks.testing.FakeSession;
import jakarta.websocket.CloseReason;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class HeartbeatTest {

    private static final long SECOND = 1_000_000_000L;

    private final FakeSession fake = new FakeSession();
    private final Outbox outbox = new Outbox(fake.session, 10, 1000);
    private final AtomicLong now = new AtomicLong(0);

    private Heartbeat heartbeat(Duration idle) {
        return new Heartbeat(outbox, Duration.ofSeconds(10), idle, now::get);
    }

    @Test
    void pingsGoThroughTheOutboxAfterTheMessageInFlight() {
        Heartbeat heartbeat = heartbeat(Duration.ZERO);
        outbox.sendText("data");
        now.set(10 * SECOND);
        heartbeat.tick();
        assertThat(fake.sent).containsExactly("data");
        fake.completeOne();
        assertThat(fake.sent).hasSize(2).last().isInstanceOf(ByteBuffer.class);
        assertThat(fake.concurrentSendSeen).isFalse();
    }

    @Test
    void pingsWhileTheClientAnswers() {
        Heartbeat heartbeat = heartbeat(Duration.ZERO);
        for (int i = 1; i <= 5; i++) {
            now.set(i * 10 * SECOND);
            heartbeat.tick();
            assertThat(fake.sent).hasSize(i).last().isInstanceOf(ByteBuffer.class);
            heartbeat.heardPong();
        }
        assertThat(fake.closedWith).isNull();
    }

    @Test
    void closesWith1008AfterTwoIntervalsOfSilence() {
        Heartbeat heartbeat = heartbeat(Duration.ZERO);
        now.set(10 * SECOND);
        heartbeat.tick(); // ping, no answer
        now.set(20 * SECOND - 1);
        heartbeat.tick(); // just under two intervals: ping again
        assertThat(fake.closedWith).isNull();

        now.set(20 * SECOND);
        heartbeat.tick();

        assertThat(fake.closedWith.getCloseCode()).isEqualTo(CloseReason.CloseCodes.VIOLATED_POLICY);
        assertThat(fake.closedWith.getReasonPhrase()).isEqualTo("no reply to ping");
    }

    @Test
    void anyMessageCountsAsAReply() {
        Heartbeat heartbeat = heartbeat(Duration.ZERO);
        now.set(15 * SECOND);
        heartbeat.heardMessage();
        now.set(30 * SECOND);
        heartbeat.tick();
        assertThat(fake.closedWith).isNull();
    }

    @Test
    void idleTimeoutIgnoresPongsAndClosesAtTheLimit() {
        Heartbeat heartbeat = heartbeat(Duration.ofSeconds(30));
        now.set(29 * SECOND);
        heartbeat.heardPong();
        heartbeat.tick();
        assertThat(fake.closedWith).isNull();
        heartbeat.heardPong();

        now.set(30 * SECOND);
        heartbeat.tick();

        assertThat(fake.closedWith.getReasonPhrase()).isEqualTo("idle timeout");
    }
}
