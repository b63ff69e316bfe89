package dev.socketworks.chat;

import dev.socketworks.chat.ChatInput.Invalid;
import dev.socketworks.chat.ChatInput.Join;
import dev.socketworks.chat.ChatInput.Resume;
import dev.socketworks.chat.ChatInput.Say;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChatInputTest {

    @Test
    void theNodeDemosMessagesParse() {
        assertThat(ChatInput.parse("{\"type\":\"chat-join\",\"payload\":{\"username\":\"Beej\"}}"))
                .isEqualTo(new Join("Beej"));
        assertThat(ChatInput.parse("{\"type\":\"chat-message\",\"payload\":{\"username\":\"Beej\",\"message\":\"hi\"}}"))
                .isEqualTo(new Say("Beej", "hi"));
    }

    @Test
    void usernameIsOptional() {
        assertThat(ChatInput.parse("{\"type\":\"chat-join\"}")).isEqualTo(new Join(null));
        assertThat(ChatInput.parse("{\"type\":\"chat-join\",\"payload\":{\"username\":null}}")).isEqualTo(new Join(null));
        assertThat(ChatInput.parse("{\"type\":\"chat-message\",\"payload\":{\"message\":\"hi\"}}")).isEqualTo(new Say(null, "hi"));
    }

    @Test
    void resumeCarriesRoomAndLastSeenId() {
        assertThat(ChatInput.parse("{\"type\":\"refresh\",\"payload\":{\"token\":\"a.b.c\"}}"))
                .isEqualTo(new ChatInput.Refresh("a.b.c"));
        assertThat(ChatInput.parse("{\"type\":\"chat-resume\",\"payload\":{\"room\":\"lobby\",\"afterId\":1763718000000002}}"))
                .isEqualTo(new Resume("lobby", 1763718000000002L));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not json                                                        | malformed-json",
            "{\"type\":\"chat-join\"                                          | malformed-json",
            "[1,2]                                                           | invalid-message",
            "\"chat-join\"                                                   | invalid-message",
            "{\"payload\":{}}                                                | invalid-message",
            "{\"type\":7}                                                    | invalid-message",
            "{\"type\":\"chat-dance\"}                                       | unknown-type",
            "{\"type\":\"chat-leave\",\"payload\":{\"username\":\"x\"}}      | unknown-type",
            "{\"type\":\"chat-join\",\"payload\":\"Beej\"}                   | invalid-field",
            "{\"type\":\"chat-join\",\"payload\":{\"username\":42}}          | invalid-field",
            "{\"type\":\"chat-join\",\"payload\":{\"username\":[\"a\"]}}     | invalid-field",
            "{\"type\":\"chat-message\",\"payload\":{\"username\":\"a\"}}    | invalid-field",
            "{\"type\":\"chat-message\",\"payload\":{\"message\":{}}}        | invalid-field",
            "{\"type\":\"chat-message\"}                                     | invalid-field",
            "{\"type\":\"chat-resume\",\"payload\":{\"room\":\"lobby\"}}     | invalid-field",
            "{\"type\":\"refresh\",\"payload\":{}}                       | invalid-field",
            "{\"type\":\"refresh\",\"payload\":{\"token\":42}}            | invalid-field",
            "{\"type\":\"chat-resume\",\"payload\":{\"room\":\"lobby\",\"afterId\":-1}}  | invalid-field",
            "{\"type\":\"chat-resume\",\"payload\":{\"room\":\"lobby\",\"afterId\":1.5}} | invalid-field",
            "{\"type\":\"chat-resume\",\"payload\":{\"room\":\"lobby\",\"afterId\":1e999999999}} | invalid-field",
            "{\"type\":\"chat-resume\",\"payload\":{\"room\":\"lobby\",\"afterId\":\"5\"}} | invalid-field",
            "{\"type\":\"chat-resume\",\"payload\":{\"afterId\":5}}          | invalid-field",
            "{\"type\":\"chat-join\"} junk                                  | malformed-json",
            "{\"type\":\"chat-join\"}{\"type\":\"chat-join\"}                 | malformed-json",
            "{\"type\":\"chat-message\",\"payload\":{\"message\":\"hi \\ud800\"}} | invalid-field",
            "{\"type\":\"chat-join\",\"payload\":{\"username\":\"\\udfff\"}}  | invalid-field",
            "{\"type\":\"chat-resume\",\"payload\":{\"room\":\"lobby\",\"afterId\":1111111111111111111111111111111111111111111111111111111111111111111111111}} | invalid-field",
    })
    void badInputBecomesACodedError(String input, String code) {
        assertThat(ChatInput.parse(input)).isInstanceOfSatisfying(Invalid.class, invalid -> {
            assertThat(invalid.code()).isEqualTo(code);
            assertThat(invalid.message()).isNotBlank();
        });
    }

    @Test
    void parserBombsGetACodedErrorNotAnException() {
        // Deeper than Parsson's own limit (1000), which throws a RuntimeException, not JsonException.
        assertThat(ChatInput.parse("[".repeat(2000))).isInstanceOfSatisfying(Invalid.class,
                invalid -> assertThat(invalid.code()).isEqualTo("malformed-json"));
        String deep = "{\"type\":\"chat-message\",\"payload\":" + "{\"a\":".repeat(1500) + "1" + "}".repeat(1501);
        assertThat(ChatInput.parse(deep)).isInstanceOfSatisfying(Invalid.class,
                invalid -> assertThat(invalid.code()).isEqualTo("malformed-json"));
        String longNumber = "{\"type\":\"chat-resume\",\"payload\":{\"room\":\"lobby\",\"afterId\":" + "9".repeat(2000) + "}}";
        assertThat(ChatInput.parse(longNumber)).isInstanceOfSatisfying(Invalid.class,
                invalid -> assertThat(invalid.code()).isEqualTo("invalid-field"));
    }

    @Test
    void anUnknownTypeIsCutOnACodePointBoundary() {
        Invalid invalid = (Invalid) ChatInput.parse("{\"type\":\"" + "y".repeat(39) + "\\ud83d\\ude00" + "z".repeat(10) + "\"}");
        assertThat(dev.socketworks.json.Unicode.isWellFormed(invalid.message())).isTrue();
        assertThat(invalid.message()).contains("y".repeat(39) + "\uD83D\uDE00...");
    }

    @Test
    void anUnknownTypeIsEchoedShortAndPrintable() {
        Invalid invalid = (Invalid) ChatInput.parse("{\"type\":\"x\\u0007" + "y".repeat(100) + "\"}");
        assertThat(invalid.message()).doesNotContain("\u0007").hasSizeLessThan(120);
    }
}
