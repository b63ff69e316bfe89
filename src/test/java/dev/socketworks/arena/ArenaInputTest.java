package dev.socketworks.arena;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ArenaInputTest {

    @Test
    void oneCommandPerLineSeveralPerMessage() {
        assertThat(ArenaInput.parse("join Ann\r\naim 0.6 -0.8\n\ntarget 100 2e3\nboost\nsay hello there\nleave"))
                .containsExactly(new ArenaInput.Join("Ann"), new ArenaInput.Aim(0.6, -0.8), new ArenaInput.Target(100, 2000),
                        new ArenaInput.Boost(), new ArenaInput.Say("hello there"), new ArenaInput.Leave());
    }

    @Test
    void malformedCommandsGetACodeAndAReason() {
        assertThat(ArenaInput.line("fly")).isEqualTo(new ArenaInput.Invalid("unknown-command",
                "unknown command 'fly'; use join NAME, aim DX DY, target X Y, boost, say TEXT or leave"));
        assertThat(ArenaInput.line("aim 1")).isInstanceOf(ArenaInput.Invalid.class);
        assertThat(ArenaInput.line("aim 1 2 3")).isInstanceOf(ArenaInput.Invalid.class);
        for (String bad : new String[]{"NaN", "Infinity", "0x10", "1d", "1e400", "10000001", "1,5", ""}) {
            assertThat(ArenaInput.line("target " + bad + " 1")).as(bad).isInstanceOf(ArenaInput.Invalid.class);
        }
        assertThat(ArenaInput.line("target 10000000 -10000000")).isEqualTo(new ArenaInput.Target(1e7, -1e7));
        assertThat(ArenaInput.line("boost now")).isInstanceOf(ArenaInput.Invalid.class);
        assertThat(ArenaInput.line("join")).isEqualTo(new ArenaInput.Invalid("invalid-name", "name must be 1-32 characters"));
        assertThat(ArenaInput.line("join A\u200Bnn")).isInstanceOf(ArenaInput.Invalid.class);
        assertThat(ArenaInput.line("join Bob\u2800")).as("a braille blank after Bob").isInstanceOf(ArenaInput.Invalid.class);
        assertThat(ArenaInput.line("join \u0301\u0316")).as("marks alone").isInstanceOf(ArenaInput.Invalid.class);
        assertThat(ArenaInput.line("join a" + "\u0301".repeat(100_000) + "\u0316".repeat(100_000)))
                .as("a normaliser bomb, refused by its length").isEqualTo(new ArenaInput.Invalid("invalid-name", "name must be 1-32 characters"));
    }

    @Test
    void aSayIsBoundedAndPlain() {
        assertThat(ArenaInput.line("say " + "x".repeat(280))).isInstanceOf(ArenaInput.Say.class);
        assertThat(ArenaInput.line("say " + "x".repeat(281))).isEqualTo(new ArenaInput.Invalid("too-long",
                "say takes at most 280 bytes (UTF-8)"));
        assertThat(ArenaInput.line("say \u0007bell")).isInstanceOf(ArenaInput.Invalid.class);
        assertThat(ArenaInput.line("say lone \uD800")).isInstanceOf(ArenaInput.Invalid.class);
        assertThat(ArenaInput.line("say")).isInstanceOf(ArenaInput.Invalid.class);
    }
}
