package dev.socketworks.bridge;

import dev.socketworks.testing.FakeSession;
import dev.socketworks.outbox.Outbox;
import jakarta.websocket.CloseReason;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class OutputPumpTest {

    private final FakeSession client = FakeSession.reading();

    private OutputPump.End pump(String output, Route.Mode mode, long maxLine) throws Exception {
        Outbox outbox = new Outbox(client.session, 100, 1 << 20);
        return OutputPump.pump(new ByteArrayInputStream(output.getBytes(StandardCharsets.ISO_8859_1)), mode, outbox, maxLine);
    }

    @Test
    void eachLineIsOneMessageWithoutItsLineEnd() throws Exception {
        assertThat(pump("one\ntwo\r\n\nlast without newline", Route.Mode.TEXT, 100))
                .isEqualTo(OutputPump.End.END_OF_OUTPUT);
        assertThat(client.received).containsExactly("one", "two", "", "last without newline");
    }

    @Test
    void outputThatIsNotUtf8ArrivesWithReplacementCharacters() throws Exception {
        pump("caf\u00c3\u00a9 \u00ff\n", Route.Mode.TEXT, 100); // "café " in UTF-8, then a byte that is never UTF-8
        assertThat(client.received).containsExactly("caf\u00e9 \ufffd");
    }

    @Test
    void aLineOfExactlyTheLimitPassesAndOneByteMoreEndsThePump() throws Exception {
        assertThat(pump("12345\n12345\r\n12345", Route.Mode.TEXT, 5)).isEqualTo(OutputPump.End.END_OF_OUTPUT);
        assertThat(client.received).containsExactly("12345", "12345", "12345");
        client.received.clear();

        assertThat(pump("ok\n123456\nnever sent\n", Route.Mode.TEXT, 5)).isEqualTo(OutputPump.End.LINE_TOO_LONG);
        assertThat(client.received).containsExactly("ok");
        assertThat(pump("123456", Route.Mode.TEXT, 5)).isEqualTo(OutputPump.End.LINE_TOO_LONG);
    }

    @Test
    void binaryModeCarriesEveryByteInOrder() throws Exception {
        byte[] all = new byte[100_000];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) (i * 31);
        }
        Outbox outbox = new Outbox(client.session, 100, 1 << 20);
        OutputPump.pump(new ByteArrayInputStream(all), Route.Mode.BINARY, outbox, 10);

        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (Object message : client.received) {
            byte[] chunk = (byte[]) message;
            assertThat(chunk.length).isBetween(1, OutputPump.BINARY_CHUNK_BYTES);
            joined.write(chunk);
        }
        assertThat(joined.toByteArray()).isEqualTo(all);
    }

    @Test
    void aClientThatStopsReadingStopsTheReadingOfOutputThenItIsDrainedOnceTheClientIsGone() throws Exception {
        client.completion = FakeSession.Completion.NEVER;
        Outbox outbox = new Outbox(client.session, 4, 1 << 20);
        byte[] lines = "line\n".repeat(200_000).getBytes(StandardCharsets.US_ASCII); // ~1 MB of output
        AtomicLong read = new AtomicLong();
        InputStream program = new ByteArrayInputStream(lines) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                int n = super.read(b, off, len);
                read.addAndGet(Math.max(n, 0));
                return n;
            }
        };
        CompletableFuture<OutputPump.End> end = CompletableFuture.supplyAsync(() -> {
            try {
                return OutputPump.pump(program, Route.Mode.TEXT, outbox, 100);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (outbox.queued() < 4 && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // the pump fills the queue within microseconds
        }
        assertThat(outbox.queued()).isEqualTo(4);
        assertThat(end).isNotDone();
        assertThat(read.get()).as("bytes read while the client reads nothing").isLessThanOrEqualTo(8192);
        assertThat(client.closedWith).as("held back, not cut as a slow consumer").isNull();

        outbox.closeNow(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "client left"));

        assertThat(end.get(5, TimeUnit.SECONDS)).isEqualTo(OutputPump.End.CLIENT_GONE);
        assertThat(program.available()).as("the rest was read and dropped").isZero();
        assertThat(client.received).hasSize(1); // the first line, still "in flight"
    }
}
