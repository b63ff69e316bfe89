package dev.socketworks.it;

import jakarta.websocket.CloseReason;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * POST /api/drain on every container: the server turns not ready and refuses new clients with 503 at
 * once, keeps its own for drainGraceMs, then closes them with 1012 so they reconnect elsewhere. (A
 * class of its own: the deployment stays drained.)
 */
class DrainIT extends ContainerSuite {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final String OPERATOR = "d".repeat(40);

    @Deployment(testable = false)
    static WebArchive deployment() {
        Path keys = Path.of("target", "it-drain-keys.json").toAbsolutePath();
        try {
            Files.writeString(keys, "{\"keys\": [{\"name\": \"operator\", \"key\": \"" + OPERATOR + "\", \"rights\": [\"api:drain\"]}]}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Deployments.withSettings(Map.of("socketworks.apiKeys", keys.toString(), "socketworks.drainGraceMs", "1500"));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(Deployments.base(base).resolve(path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> drain() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(Deployments.base(base).resolve("api/drain")).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + OPERATOR).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aDrainedServerTakesNoNewClientAndClosesItsOwnWith1012AfterTheGrace() throws Exception {
        try (TestClient staying = TestClient.connect(client, Deployments.ws(base, "echo"))) {
            assertThat(get("health/ready").statusCode()).isEqualTo(200);

            HttpResponse<String> drained = drain();
            long drainedAt = System.nanoTime();
            assertThat(drained.statusCode()).isEqualTo(202);
            assertThat(drained.body()).contains("\"already\":false").contains("\"closingInMs\":1500");

            HttpResponse<String> ready = get("health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("{\"name\":\"accepting\",\"status\":\"DOWN\",\"data\":{\"state\":\"draining\"}}");
            assertThat(get("health/live").statusCode()).as("draining is not dead").isEqualTo(200);
            assertThat(TestClient.refusedStatus(client, Deployments.ws(base, "echo"), (String) null)).isEqualTo(503);

            staying.session().getBasicRemote().sendText("still served during the grace");
            assertThat(staying.nextText()).isEqualTo("still served during the grace");
            CloseReason closed = staying.awaitClose();
            assertThat(closed.getCloseCode().getCode()).isEqualTo(1012);
            assertThat(Duration.ofNanos(System.nanoTime() - drainedAt)).as("closed after the grace").isGreaterThanOrEqualTo(Duration.ofMillis(1400));

            HttpResponse<String> again = drain();
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(again.body()).contains("\"already\":true");
        }
    }
}
