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

    @Test
    void pastTheCommandRateTheRestOfAMessageIsNotRead() {
        CommandRate rate = new CommandRate(60);
        ArenaInput.Commands read = ArenaInput.parse("aim 1 1\n".repeat(1_000_000), rate, null);
        assertThat(read.commands()).hasSizeBetween(60, 61).containsOnly(new ArenaInput.Aim(1, 1));
        assertThat(read.commandsLimited()).isTrue();
        ArenaInput.Commands says = ArenaInput.parse("say a\nsay b\nsay c\nboost\nsay\n", new CommandRate(60), new CommandRate(2));
        assertThat(says.commands()).containsExactly(new ArenaInput.Say("a"), new ArenaInput.Say("b"), new ArenaInput.Boost());
        assertThat(says.saysLimited()).isTrue();
        assertThat(says.commandsLimited()).isFalse();
    }

    @Test
    void numbersAreCheckedByHandExactlyAsTheGrammarSays() {
        java.util.regex.Pattern grammar = java.util.regex.Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d{1,3})?");
        java.util.Random random = new java.util.Random(21);
        String alphabet = "0123456789.+-eEdxN ";
        for (int i = 0; i < 200_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(9); n > 0; n--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String candidate = text.toString();
            assertThat(ArenaInput.isPlainDecimal(candidate)).as("'%s'", candidate).isEqualTo(grammar.matcher(candidate).matches());
        }
        assertThat(ArenaInput.line("aim 1\t -2")).isEqualTo(new ArenaInput.Aim(1, -2));
    }
}
