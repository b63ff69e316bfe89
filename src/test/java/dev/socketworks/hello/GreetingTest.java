package dev.socketworks.hello;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GreetingTest {

    @Test
    void aNameIsGreetedTrimmed() {
        assertThat(Greeting.reply("Albert")).isEqualTo("Hello Albert!");
        assertThat(Greeting.reply("  Zoë 👨‍👩‍👧 \n")).isEqualTo("Hello Zoë 👨‍👩‍👧!");
    }

    @Test
    void theLengthLimitIsThirtyTwoCharacters() {
        assertThat(Greeting.reply("x".repeat(32))).isEqualTo("Hello " + "x".repeat(32) + "!");
        assertThat(Greeting.reply("x".repeat(33))).isEqualTo("error: name must be 1-32 characters");
        assertThat(Greeting.reply("😀".repeat(32))).as("code points, not chars").startsWith("Hello ");
    }

    @Test
    void emptyControlAndInvisibleCharactersAreRefused() {
        assertThat(Greeting.reply("")).isEqualTo("error: name must be 1-32 characters");
        assertThat(Greeting.reply("   ")).isEqualTo("error: name must be 1-32 characters");
        assertThat(Greeting.reply("Al\u0000bert")).isEqualTo("error: name must not contain control or invisible characters");
        assertThat(Greeting.reply("Al\u200Bbert")).isEqualTo("error: name must not contain control or invisible characters");
        assertThat(Greeting.reply("\u202Etrebla")).as("a bidi override").startsWith("error: ");
        assertThat(Greeting.reply("Al\uD800bert")).as("a lone surrogate").startsWith("error: ");
        assertThat(Greeting.reply("\u2800")).isEqualTo("error: name must contain a visible character");
        assertThat(Greeting.reply("Bob\u2800")).startsWith("error: ");
        assertThat(Greeting.reply("\u0301\u0316")).startsWith("error: ");
        assertThat(Greeting.reply("\uFF21lbert")).as("a full-width look-alike is a different, visible name")
                .isEqualTo("Hello \uFF21lbert!");
    }
}
