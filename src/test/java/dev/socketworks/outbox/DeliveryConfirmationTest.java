package dev.socketworks.outbox;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryConfirmationTest {

    private final AtomicLong nonces = new AtomicLong(1000);
    private final DeliveryConfirmation confirmation = new DeliveryConfirmation(400, nonces::incrementAndGet);

    private static String text(ByteBuffer ping) {
        return StandardCharsets.US_ASCII.decode(ping.duplicate()).toString();
    }

    private static ByteBuffer pong(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aMarkIsDueAfterEveryQuarterOfTheWindow() {
        confirmation.handedOver(99);
        assertThat(confirmation.markDue()).isNull();
        confirmation.handedOver(1);
        assertThat(text(confirmation.markDue())).isEqualTo("sw-ack:100:1001");
        assertThat(confirmation.markDue()).as("one per quarter").isNull();
        confirmation.handedOver(150);
        assertThat(text(confirmation.markDue())).isEqualTo("sw-ack:250:1002");
    }

    @Test
    void dataWaitsOnceAWholeWindowIsUnconfirmedUntilAPongConfirmsIt() {
        ByteBuffer first = null;
        for (int i = 0; i < 4; i++) {
            assertThat(confirmation.mayHandOverData()).isTrue();
            confirmation.handedOver(100);
            ByteBuffer mark = confirmation.markDue();
            first = first == null ? mark : first;
        }
        assertThat(confirmation.mayHandOverData()).as("400 bytes unconfirmed").isFalse();

        assertThat(confirmation.pong(first)).isTrue();
        assertThat(confirmation.unconfirmed()).isEqualTo(300);
        assertThat(confirmation.mayHandOverData()).isTrue();
        assertThat(confirmation.pong(first)).as("answered already").isFalse();
    }

    @Test
    void pongsThatAreNotOursConfirmNothing() {
        confirmation.handedOver(400);
        String mark = text(confirmation.markDue());
        String nonce = mark.substring(mark.lastIndexOf(':') + 1);

        assertThat(confirmation.pong(pong("1763718000"))).as("a heartbeat pong").isFalse();
        assertThat(confirmation.pong(pong("sw-ack:400:12345"))).as("a forged nonce").isFalse();
        assertThat(confirmation.pong(pong("sw-ack:999999:" + nonce))).as("a count never sent").isFalse();
        assertThat(confirmation.pong(pong("sw-ack:nonsense"))).isFalse();
        assertThat(confirmation.pong(pong("sw-ack:400:x"))).isFalse();
        assertThat(confirmation.unconfirmed()).isEqualTo(400);
        assertThat(confirmation.pong(pong(mark))).isTrue();
        assertThat(confirmation.unconfirmed()).isZero();
    }

    @Test
    void aLaterPongAnswersEarlierMarksAndOnlyTheNewestMarksAreRemembered() {
        ByteBuffer[] marks = new ByteBuffer[DeliveryConfirmation.MAX_OUTSTANDING_MARKS + 1];
        for (int i = 0; i < marks.length; i++) {
            confirmation.handedOver(100);
            marks[i] = confirmation.markDue();
        }
        assertThat(confirmation.pong(marks[0])).as("forgotten: more than 16 marks were outstanding").isFalse();
        assertThat(confirmation.pong(marks[5])).isTrue();
        assertThat(confirmation.pong(marks[3])).as("answered by the later one").isFalse();
        assertThat(confirmation.unconfirmed()).isEqualTo(100L * (marks.length - 6));
    }
}
