package dev.socketworks.it;

import dev.socketworks.testing.Poll;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /metrics on every container: the scraped values move as a client connects, sends, is answered and leaves. */
class MetricsIT extends ContainerSuite {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.builtWar();
    }

    private String scrape() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(Deployments.base(base).resolve("metrics"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        return response.body();
    }

    /** {@code /metrics} of the deployment at {@code base}, scraped from this machine. */
    static String scrape(java.net.URL base) {
        try {
            return HTTP.send(HttpRequest.newBuilder(Deployments.base(base).resolve("metrics")).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new IllegalStateException("cannot scrape /metrics", e);
        }
    }

    /** One series' value in the Prometheus text format ({@code name{labels} value}); 0 when absent. */
    static double value(String scraped, String name, String labels) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(name + (labels.isEmpty() ? "" : "{" + labels + "}")) + " (\\S+)$").matcher(scraped);
        return line.find() ? Double.parseDouble(line.group(1)) : 0;
    }

    @Test
    void theFiguresMoveAsAnEchoClientConnectsSendsAndLeaves() throws Exception {
        String before = scrape();
        assertThat(before).contains("jvm_memory_used_bytes").contains("socketworks_handshakes_refused_total{reason=\"caps\"}")
                .contains("socketworks_outbox_queued_bytes");
        String echo = "endpoint=\"/echo\"";
        try (TestClient client = TestClient.connect(ContainerSuite.client, Deployments.ws(base, "echo"))) {
            for (int i = 0; i < 3; i++) {
                client.session().getBasicRemote().sendText("hello");
                assertThat(client.nextText()).isEqualTo("hello");
            }
            String during = scrape();
            assertThat(value(during, "socketworks_connections_open", echo)).isEqualTo(value(before, "socketworks_connections_open", echo) + 1);
            assertThat(value(during, "socketworks_connections_opened_total", echo))
                    .isEqualTo(value(before, "socketworks_connections_opened_total", echo) + 1);
            assertThat(value(during, "socketworks_messages_received_total", echo))
                    .isEqualTo(value(before, "socketworks_messages_received_total", echo) + 3);
            assertThat(value(during, "socketworks_bytes_received_total", echo))
                    .isEqualTo(value(before, "socketworks_bytes_received_total", echo) + 15);
            // A send is counted when the container reports it complete, which Tyrus (Payara) may do after
            // the client has already read it: counted soon, not necessarily by the time of the echo.
            double sentBefore = value(before, "socketworks_messages_sent_total", echo);
            Poll.until(Duration.ofSeconds(10), "three echoes counted as sent",
                    () -> value(scrape(), "socketworks_messages_sent_total", echo) >= sentBefore + 3);
        }
        String closedCode = "code=\"1000\"," + echo; // Micrometer orders labels by name
        double closedBefore = value(before, "socketworks_connections_closed_total", closedCode);
        Poll.until(Duration.ofSeconds(10), "the close counted under 1000", () -> {
            String after = scrape();
            return value(after, "socketworks_connections_closed_total", closedCode) == closedBefore + 1
                    && value(after, "socketworks_connections_open", echo) == value(before, "socketworks_connections_open", echo);
        });
    }

    /** Each broadcast a client sees is one delivery-lag sample on /broadcast, in buckets Prometheus can take quantiles of. */
    @Test
    void eachPublicationDeliveredIsADeliveryLagSample() throws Exception {
        String broadcast = "endpoint=\"/broadcast\"";
        double before = value(scrape(), "socketworks_delivery_lag_seconds_count", broadcast);
        try (TestClient client = TestClient.connect(ContainerSuite.client, Deployments.ws(base, "broadcast"))) {
            for (int i = 0; i < 3; i++) {
                client.session().getBasicRemote().sendText("tick " + i);
                assertThat(client.nextText()).isEqualTo("tick " + i);
            }
        }
        Poll.until(Duration.ofSeconds(10), "three lag samples", () ->
                value(scrape(), "socketworks_delivery_lag_seconds_count", broadcast) >= before + 3);
        String scraped = scrape();
        assertThat(scraped).containsPattern("socketworks_delivery_lag_seconds_bucket\\{endpoint=\"/broadcast\",le=\"[0-9.]+\"\\}")
                .contains("socketworks_delivery_confirmed_lag_seconds_count{endpoint=\"/broadcast\"}");
    }
}
