package dev.socketworks.it;

import dev.socketworks.testing.Concurrently;
import jakarta.websocket.CloseReason;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BroadcastIT extends ContainerSuite {

    @Deployment(testable = false)
    static WebArchive deployment() {
        // The slow-consumer test's sender is a firehose of 12.5 MiB that the operator trusts: the
        // per-connection rate limit (its own test is HardeningIT) is raised out of its way.
        return Deployments.withSettings(java.util.Map.of("socketworks.rateBytesPerSecond", "1073741824",
                "socketworks.rateMessagesPerSecond", "100000", "socketworks.rateBurst", "100000",
                "socketworks.addressMessagesPerSecond", "1000000", "socketworks.addressBytesPerSecond", "1099511627776"));
    }

    /**
     * Connects clients one at a time and returns once each is subscribed. A client's onOpen can run
     * before the server's (Jetty, Tyrus), so a connected client is not yet a subscriber: each sends a
     * probe and waits for it to come back, and every client connected before it sees it too.
     */
    private List<TestClient> subscribedClients(int count) throws Exception {
        List<TestClient> clients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            TestClient next = TestClient.connect(client, ws("broadcast"));
            clients.add(next);
            String probe = "probe " + i + " " + System.nanoTime();
            next.session().getBasicRemote().sendText(probe);
            for (TestClient c : clients) {
                assertThat(c.nextText()).isEqualTo(probe);
            }
        }
        return clients;
    }

    @Test
    void everyClientReceivesEveryMessageInOneSharedOrder() throws Exception {
        int clients = 4;
        int perClient = 50;
        List<TestClient> all = new ArrayList<>();
        try {
            all.addAll(subscribedClients(clients));
            Concurrently.run(clients, id -> {
                for (int i = 0; i < perClient; i++) {
                    try {
                        all.get(id).session().getBasicRemote().sendText(id + ":" + i);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });

            List<List<String>> seen = new ArrayList<>();
            for (TestClient receiver : all) {
                List<String> messages = new ArrayList<>();
                for (int i = 0; i < clients * perClient; i++) {
                    messages.add(receiver.nextText());
                }
                seen.add(messages);
            }
            // the sender is included, nothing is lost, and all clients agree on the order
            assertThat(seen.get(0)).hasSize(clients * perClient).doesNotHaveDuplicates();
            for (List<String> other : seen) {
                assertThat(other).isEqualTo(seen.get(0));
            }
            // each sender's own messages keep the order it sent them in
            for (int c = 0; c < clients; c++) {
                String prefix = c + ":";
                assertThat(seen.get(0).stream().filter(m -> m.startsWith(prefix)).toList())
                        .isEqualTo(java.util.stream.IntStream.range(0, perClient).mapToObj(i -> prefix + i).toList());
            }
        } finally {
            for (TestClient c : all) {
                c.close();
            }
        }
    }

    @Test
    void binaryIsBroadcastUnchanged() throws Exception {
        List<TestClient> clients = subscribedClients(2);
        try (TestClient a = clients.get(0); TestClient b = clients.get(1)) {
            byte[] data = {0, 1, 2, (byte) 255};
            a.session().getBasicRemote().sendBinary(ByteBuffer.wrap(data));
            assertThat(a.nextBinary().array()).containsExactly(data);
            assertThat(b.nextBinary().array()).containsExactly(data);
        }
    }

    /** A client that never reads is cut at its outbox limit; everyone else receives every message. */
    @Test
    void aClientThatNeverReadsIsCutWhileOthersKeepReceiving() throws Exception {
        // 800 x 16 KiB = 12.5 MiB: more than socket buffers plus the 4 MiB outbox where the container
        // pushes back (Tomcat, Undertow, Jetty, Liberty), and more than the 8 MiB the outbox lets go
        // unconfirmed by pongs where it does not (Tyrus: Payara, GlassFish).
        int messages = 800;
        String payload = "x".repeat(16 * 1024);
        List<TestClient> clients = subscribedClients(2);
        try (RawClient stalled = RawClient.connect(ws("broadcast"), 4096);
             TestClient sender = clients.get(0);
             TestClient reader = clients.get(1)) {
            // Paced to the reader, 100 messages (1.6 MB) at a time: a reader that keeps up must never
            // fall behind by more than a batch, whatever the machine's load.
            for (int batch = 0; batch < messages; batch += 100) {
                for (int i = batch; i < batch + 100; i++) {
                    sender.session().getBasicRemote().sendText(i + ":" + payload);
                }
                for (int i = batch; i < batch + 100; i++) {
                    assertThat(reader.nextText()).startsWith(i + ":");
                }
            }
            assertThat(reader.session().isOpen()).isTrue();

            // Now read what reached the stalled client: it ends before the last message, with a
            // 1008 "slow consumer" close when the close frame got through, or with the socket closed.
            int dataFrames = 0;
            RawClient.Frame close = null;
            try {
                for (RawClient.Frame f = stalled.read(); ; f = stalled.read()) {
                    if (f.opcode() == RawClient.CLOSE) {
                        close = f;
                        break;
                    }
                    if (f.opcode() == RawClient.TEXT) {
                        dataFrames++;
                    }
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("stalled client was never cut off (" + dataFrames + " messages)", e);
            } catch (IOException connectionClosed) {
                // closed without a close frame: acceptable for a peer that stopped reading
            }
            assertThat(dataFrames).isLessThan(messages);
            if (close != null) {
                assertThat(close.closeCode()).isEqualTo(CloseReason.CloseCodes.VIOLATED_POLICY.getCode());
                assertThat(close.closeReason()).isEqualTo("slow consumer");
            }
            assertThat(MetricsIT.value(MetricsIT.scrape(base), "socketworks_slow_consumers_total", "endpoint=\"/broadcast\""))
                    .as("the cut counted").isPositive();

            // After the cut, the topic goes on: text and binary still reach everyone at once.
            sender.session().getBasicRemote().sendText("after the cut");
            assertThat(reader.nextText()).isEqualTo("after the cut");
            sender.session().getBasicRemote().sendBinary(ByteBuffer.wrap(new byte[]{42}));
            assertThat(reader.nextBinary().array()).containsExactly(42);
        }
    }
}
