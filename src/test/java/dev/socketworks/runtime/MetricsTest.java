package dev.socketworks.runtime;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsTest {

    @Test
    void closeCodesAreSeriesOfTheirOwnAndApplicationRangesOneEach() {
        assertThat(Metrics.codeLabel(1000)).isEqualTo("1000");
        assertThat(Metrics.codeLabel(1015)).isEqualTo("1015");
        assertThat(Metrics.codeLabel(3000)).isEqualTo("3xxx");
        assertThat(Metrics.codeLabel(3999)).isEqualTo("3xxx");
        assertThat(Metrics.codeLabel(4000)).isEqualTo("4xxx");
        assertThat(Metrics.codeLabel(4999)).isEqualTo("4xxx");
        assertThat(Metrics.codeLabel(-1)).as("no close frame seen").isEqualTo("other");
        assertThat(Metrics.codeLabel(1016)).isEqualTo("other");
        assertThat(Metrics.codeLabel(5000)).isEqualTo("other");
    }

    @Test
    void anEndpointsMetersCountWhatItsConnectionsDoAndScrapeAsPrometheusText() {
        try (Metrics metrics = new Metrics()) {
            Metrics.EndpointMeters chat = metrics.endpoint("/chat/{room}");
            assertThat(metrics.endpoint("/chat/{room}")).as("resolved once per endpoint").isSameAs(chat);
            chat.opened.increment();
            chat.open.incrementAndGet();
            chat.received.increment();
            chat.receivedBytes.increment(42);
            chat.sent(10);
            chat.sent(20);
            chat.cutSlow();
            chat.closed(1008);
            chat.closed(4001);
            metrics.refused(Metrics.Refusal.RIGHTS);
            metrics.apiCall("/api/totals", 200);
            metrics.apiCall("/api/totals", 200);
            metrics.apiCall("/api/totals", 429);
            String scraped = metrics.scrape();
            assertThat(scraped)
                    .contains("socketworks_connections_open{endpoint=\"/chat/{room}\"} 1")
                    .contains("socketworks_connections_opened_total{endpoint=\"/chat/{room}\"} 1")
                    .contains("socketworks_bytes_received_total{endpoint=\"/chat/{room}\"} 42")
                    .contains("socketworks_messages_sent_total{endpoint=\"/chat/{room}\"} 2")
                    .contains("socketworks_bytes_sent_total{endpoint=\"/chat/{room}\"} 30")
                    .contains("socketworks_slow_consumers_total{endpoint=\"/chat/{room}\"} 1")
                    .contains("socketworks_connections_closed_total{code=\"1008\",endpoint=\"/chat/{room}\"} 1")
                    .contains("socketworks_connections_closed_total{code=\"4xxx\",endpoint=\"/chat/{room}\"} 1")
                    .contains("socketworks_handshakes_refused_total{reason=\"rights\"} 1")
                    .contains("socketworks_handshakes_refused_total{reason=\"caps\"} 0")
                    .contains("socketworks_api_calls_total{call=\"/api/totals\",status=\"200\"} 2")
                    .contains("socketworks_api_calls_total{call=\"/api/totals\",status=\"429\"} 1")
                    .contains("jvm_threads_live_threads");
        }
    }

    /** metrics=off: every meter is a no-op, the hot path still calls them safely, and nothing is exposed. */
    @Test
    void offKeepsNothingAndCostsTheCallersNothingButTheCall() {
        try (Metrics metrics = new Metrics(false)) {
            Metrics.EndpointMeters echo = metrics.endpoint("/echo");
            echo.opened.increment();
            echo.sent(10);
            echo.delivered(5);
            echo.closed(1008, "rate limit");
            metrics.refused(Metrics.Refusal.ORIGIN);
            assertThat(metrics.on()).isFalse();
            assertThat(metrics.scrape()).doesNotContain("socketworks_").doesNotContain("jvm_");
            assertThat(metrics.figures().endpoints().get(0).sent()).isZero();
        }
    }

    @Test
    void onlyLiteralLoopbackAddressesMayScrape() {
        assertThat(MetricsServlet.isLoopback("127.0.0.1")).isTrue();
        assertThat(MetricsServlet.isLoopback("127.1.2.3")).isTrue();
        assertThat(MetricsServlet.isLoopback("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(MetricsServlet.isLoopback("::1")).isTrue();
        assertThat(MetricsServlet.isLoopback("10.0.0.1")).isFalse();
        assertThat(MetricsServlet.isLoopback("localhost")).as("a name is never looked up").isFalse();
        assertThat(MetricsServlet.isLoopback("127.0.0.1.evil.example")).isFalse();
        assertThat(MetricsServlet.isLoopback("")).isFalse();
        assertThat(MetricsServlet.isLoopback(null)).isFalse();
    }
}
