package dev.socketworks.it;

import jakarta.websocket.CloseReason;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CountdownIT extends ContainerSuite {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.builtWar();
    }

    /** Order, count and close code; how evenly the ticks are paced is the benchmark's business. */
    @Test
    void countsDownFromTheGivenNumberThenClosesNormally() throws Exception {
        try (TestClient c = TestClient.connect(client, ws("countdown?from=5&intervalMs=200"))) {
            List<String> ticks = new ArrayList<>();
            for (String tick = c.nextTextOrClose(); tick != null; tick = c.nextTextOrClose()) {
                ticks.add(tick);
            }
            assertThat(ticks).containsExactly("5", "4", "3", "2", "1");
            CloseReason reason = c.awaitClose();
            assertThat(reason.getCloseCode()).isEqualTo(CloseReason.CloseCodes.NORMAL_CLOSURE);
            assertThat(reason.getReasonPhrase()).isEqualTo("countdown finished");
        }
    }

    @Test
    void defaultIsTenToOne() throws Exception {
        try (TestClient c = TestClient.connect(client, ws("countdown?intervalMs=50"))) {
            List<String> ticks = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ticks.add(c.nextText());
            }
            assertThat(ticks).containsExactly("10", "9", "8", "7", "6", "5", "4", "3", "2", "1");
            assertThat(c.awaitClose().getCloseCode()).isEqualTo(CloseReason.CloseCodes.NORMAL_CLOSURE);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "from=0              | from must be from 1 to 1000",
            "from=1001           | from must be from 1 to 1000",
            "intervalMs=49       | intervalMs must be from 50 to 60000",
            "intervalMs=60001    | intervalMs must be from 50 to 60000",
            "from=abc            | from must be a whole number from 1 to 1000",
    })
    void outOfRangeParametersCloseWith1008AndTheReason(String query, String reason) throws Exception {
        try (TestClient c = TestClient.connect(client, ws("countdown?" + query))) {
            CloseReason close = c.awaitClose();
            assertThat(close.getCloseCode()).isEqualTo(CloseReason.CloseCodes.VIOLATED_POLICY);
            assertThat(close.getReasonPhrase()).isEqualTo(reason);
        }
    }
}
