package dev.socketworks.it;

import dev.socketworks.testing.Concurrently;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One deployment, one running total shared by all tests of this class, so each test works with
 * differences from the total it first observes rather than absolute values.
 */
class TotalsIT extends ContainerSuite {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.builtWar();
    }

    private static long totalOf(String textUpdate) {
        assertThat(textUpdate).startsWith("Current total is ");
        return Long.parseLong(textUpdate.substring("Current total is ".length()));
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    @Test
    void textModeAddsAndEveryoneSeesTheTotal() throws Exception {
        try (TestClient producer = TestClient.connect(client, ws("totals"));
             TestClient watcher = TestClient.connect(client, ws("totals"))) {
            long start = totalOf(producer.nextText());
            assertThat(totalOf(watcher.nextText())).isEqualTo(start);

            producer.session().getBasicRemote().sendText("5");
            producer.session().getBasicRemote().sendText("-3");

            assertThat(totalOf(producer.nextText())).isEqualTo(start + 5);
            assertThat(totalOf(producer.nextText())).isEqualTo(start + 2);
            assertThat(totalOf(watcher.nextText())).isEqualTo(start + 5);
            assertThat(totalOf(watcher.nextText())).isEqualTo(start + 2);
        }
    }

    @Test
    void nonNumbersGetTheSeedsErrorOnlyAndChangeNothing() throws Exception {
        try (TestClient producer = TestClient.connect(client, ws("totals"));
             TestClient watcher = TestClient.connect(client, ws("totals"))) {
            long start = totalOf(producer.nextText());
            watcher.nextText();

            producer.session().getBasicRemote().sendText("five");
            assertThat(producer.nextText()).isEqualTo("error: cannot process input");

            producer.session().getBasicRemote().sendText("1");
            assertThat(totalOf(producer.nextText())).isEqualTo(start + 1);
            // the watcher never saw the error: its next message is the update
            assertThat(totalOf(watcher.nextText())).isEqualTo(start + 1);
        }
    }

    @Test
    void jsonModeAnswersWithTotalAndSeqAndCodedErrors() throws Exception {
        try (TestClient c = TestClient.connect(client, ws("totals"), null, List.of("totals.json"))) {
            assertThat(c.session().getNegotiatedSubprotocol()).isEqualTo("totals.json");
            JsonObject first = json(c.nextText());
            assertThat(first.getString("type")).isEqualTo("total");

            c.session().getBasicRemote().sendText("{\"add\": 7}");
            JsonObject update = json(c.nextText());
            assertThat(update.getJsonNumber("total").longValueExact()).isEqualTo(first.getJsonNumber("total").longValueExact() + 7);
            assertThat(update.getJsonNumber("seq").longValueExact()).isGreaterThan(first.getJsonNumber("seq").longValueExact());

            c.session().getBasicRemote().sendText("{\"add\": \"7\"}");
            JsonObject error = json(c.nextText());
            assertThat(error.getString("type")).isEqualTo("error");
            assertThat(error.getJsonObject("payload").getString("code")).isEqualTo("invalid-field");
            assertThat(c.session().isOpen()).isTrue();
        }
    }

    @Test
    void eightConcurrentProducersGiveTheExactSumInSeqOrder() throws Exception {
        int producers = 8;
        int each = 100;
        List<TestClient> clients = new ArrayList<>();
        try (TestClient watcher = TestClient.connect(client, ws("totals"), null, List.of("totals.json"))) {
            JsonObject first = json(watcher.nextText());
            long start = first.getJsonNumber("total").longValueExact();
            long seq = first.getJsonNumber("seq").longValueExact();
            for (int p = 0; p < producers; p++) {
                clients.add(TestClient.connect(client, ws("totals")));
            }
            long[] sums = new long[producers];
            Concurrently.run(producers, id -> {
                for (int i = 0; i < each; i++) {
                    long amount = (i % 3 == 0 ? -1 : 1) * (id * 7L + i);
                    try {
                        clients.get(id).session().getBasicRemote().sendText(Long.toString(amount));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    sums[id] += amount;
                }
            });
            long expected = start + java.util.Arrays.stream(sums).sum();
            long last = start;
            for (int i = 0; i < producers * each; i++) {
                JsonObject update = json(watcher.nextText());
                assertThat(update.getJsonNumber("seq").longValueExact()).isEqualTo(++seq);
                last = update.getJsonNumber("total").longValueExact();
            }
            assertThat(last).isEqualTo(expected);
        } finally {
            for (TestClient c : clients) {
                c.close();
            }
        }
    }
}
