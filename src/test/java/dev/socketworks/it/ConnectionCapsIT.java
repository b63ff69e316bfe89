package dev.socketworks.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * maxConnectionsPerAddress (429) and maxConnections (503) at their boundaries. The tests run behind
 * a pretend proxy: 127.0.0.1 is a trusted proxy, so X-Forwarded-For names each client's address.
 */
class ConnectionCapsIT extends ContainerSuite {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.withSettings(Map.of("socketworks.trustedProxies", "127.0.0.1",
                "socketworks.maxConnectionsPerAddress", "2", "socketworks.maxConnections", "4",
                "socketworks.heartbeatIntervalMs", "2000"));
    }

    private static final String ADDRESS_FULL = "HTTP 429";
    private static final String SERVER_FULL = "HTTP 503";

    /** How a handshake past a cap is refused: an HTTP status before the upgrade, on every container. */
    private String refusal(Map<String, List<String>> headers) throws Exception {
        return "HTTP " + TestClient.refusedStatus(client, ws("echo"), headers);
    }

    private static Map<String, List<String>> from(String address) {
        return Map.of("X-Forwarded-For", List.of(address));
    }

    @Test
    void anAddressGetsItsShareThen429AndTheServerItsCapThen503() throws Exception {
        List<TestClient> open = new ArrayList<>();
        try {
            for (String address : List.of("10.0.0.1", "10.0.0.1")) {
                open.add(echoing(address));
            }
            assertThat(refusal(from("10.0.0.1"))).isEqualTo(ADDRESS_FULL);
            // A client cannot pass as another by writing its own X-Forwarded-For: the proxy appends.
            assertThat(refusal(from("10.0.0.2, 10.0.0.1"))).isEqualTo(ADDRESS_FULL);

            open.add(echoing("10.0.0.2"));
            open.add(echoing("10.0.0.2"));
            assertThat(refusal(from("10.0.0.3"))).isEqualTo(SERVER_FULL);

            TestClient leaving = open.remove(0);
            leaving.close();
            leaving.awaitClose();
            // The server may still be ending that session when its close reaches the client: poll.
            long deadline = System.nanoTime() + TestClient.DEADLINE.toNanos();
            while (true) {
                try {
                    open.add(echoing("10.0.0.3"));
                    break;
                } catch (jakarta.websocket.DeploymentException refusedStill) {
                    assertThat(System.nanoTime()).as("a place freed once a client left").isLessThan(deadline);
                }
            }
        } finally {
            for (TestClient c : open) {
                c.close();
            }
        }
    }

    private TestClient echoing(String address) throws Exception {
        TestClient c = TestClient.connectWithHeaders(client, ws("echo"), from(address), List.of());
        // Answered: the server counted this connection (a client's onOpen can run before the server's).
        c.session().getBasicRemote().sendText("counted " + address);
        String echoed = c.nextTextOrClose();
        if (echoed == null) {
            throw new jakarta.websocket.DeploymentException("closed at once: " + c.awaitClose());
        }
        assertThat(echoed).isEqualTo("counted " + address);
        return c;
    }
}
