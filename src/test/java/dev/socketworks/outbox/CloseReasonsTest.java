package dev.socketworks.outbox;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class CloseReasonsTest {

    @Test
    void shortReasonsAreKept() {
        assertThat(CloseReasons.fit("slow consumer")).isEqualTo("slow consumer");
        String exact = "x".repeat(123);
        assertThat(CloseReasons.fit(exact)).isEqualTo(exact);
    }

    @Test
    void longReasonsAreCutToFitTheCloseFrame() {
        String cut = CloseReasons.fit("\u20ac".repeat(100));
        assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
        assertThat(cut).endsWith("...").startsWith("\u20ac\u20ac");
    }
}
