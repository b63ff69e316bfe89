package dev.socketworks.handshake;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SubprotocolsTest {

    @ParameterizedTest(name = "supported [{0}], offered [{1}] -> ''{2}''")
    @CsvSource(delimiter = '|', value = {
            "chat.v1 beej-chat-protocol | chat.v1                     | chat.v1",
            "chat.v1 beej-chat-protocol | beej-chat-protocol chat.v1  | beej-chat-protocol",
            "chat.v1 beej-chat-protocol | x beej-chat-protocol        | beej-chat-protocol",
            "chat.v1                    | x y                         | ''",
            "chat.v1                    | ''                          | ''",
            "''                         | chat.v1                     | ''",
            "chat.v1                    | CHAT.V1                     | ''",
    })
    void choosesTheClientsFirstSupportedChoice(String supported, String offered, String expected) {
        assertThat(Subprotocols.choose(words(supported), words(offered))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a, b      | a b",
            "a,b,,c    | a b c",
            "' a '     | a",
    })
    void splitsHeaderValues(String header, String expected) {
        assertThat(Subprotocols.tokens(List.of(header))).isEqualTo(words(expected));
    }

    private static List<String> words(String text) {
        return text.isBlank() ? List.of() : Arrays.asList(text.trim().split("\\s+"));
    }
}
