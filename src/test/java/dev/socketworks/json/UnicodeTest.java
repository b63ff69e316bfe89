package dev.socketworks.json;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UnicodeTest {

    @Test
    void wellFormedMeansEverySurrogateInAnOrderedPair() {
        assertThat(Unicode.isWellFormed("plain, é, \uD83D\uDE00")).isTrue();
        assertThat(Unicode.isWellFormed("hi \uD800")).isFalse();
        assertThat(Unicode.isWellFormed("\uDC00hi")).isFalse();
        assertThat(Unicode.isWellFormed("\uDE00\uD83D")).isFalse();
        assertThat(Unicode.isWellFormed("")).isTrue();
    }

    @Test
    void quotingNeverCutsAPairAndHidesControls() {
        String emoji = "\uD83D\uDE00";
        String quoted = Unicode.quotable("a".repeat(39) + emoji + "tail", 40);
        assertThat(quoted).isEqualTo("a".repeat(39) + emoji + "...");
        assertThat(Unicode.isWellFormed(quoted)).isTrue();
        assertThat(Unicode.quotable("x\r\ny\u0000\uD800", 10)).isEqualTo("x??y??");
        assertThat(Unicode.quotable("short", 10)).isEqualTo("short");
        assertThat(Unicode.quotable("exactly10!", 10)).isEqualTo("exactly10!");
    }
}
