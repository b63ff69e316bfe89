package dev.socketworks.json;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class StrictJsonTest {

    private static String refusedCode(String text) {
        StrictJson.Result result = StrictJson.parse(text);
        assertThat(result).as(text).isInstanceOf(StrictJson.Refused.class);
        return ((StrictJson.Refused) result).code();
    }

    @Test
    void oneObjectIsParsed() {
        StrictJson.Result result = StrictJson.parse(" {\"add\": 5, \"s\": \"\\ud83d\\ude00 ok\"} \n");
        assertThat(result).isInstanceOf(StrictJson.Parsed.class);
        JsonObject object = ((StrictJson.Parsed) result).value().asJsonObject();
        assertThat(object.getInt("add")).isEqualTo(5);
        assertThat(object.getString("s")).isEqualTo("\uD83D\uDE00 ok");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"add\":5} junk", "{\"a\":1}{\"b\":2}", "5 6", "[1] [2]", "{\"a\":1}}", "", "   ", "{\"a\":"})
    void anythingButExactlyOneValueIsMalformed(String text) {
        assertThat(refusedCode(text)).isEqualTo("malformed-json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"hi \\ud800\"", "{\"m\":\"\\udc00 x\"}", "{\"\\ud800\":1}", "[\"\\ude00\\ud83d\"]",
            "{\"m\":\"end \\ud83d\"}"})
    void loneSurrogatesAreRefusedAsAnInvalidField(String text) {
        assertThat(refusedCode(text)).isEqualTo("invalid-field");
    }

    @Test
    void nestingIsAllowedToTheLimitAndRefusedPastIt() {
        String atLimit = "[".repeat(StrictJson.MAX_DEPTH) + "]".repeat(StrictJson.MAX_DEPTH);
        assertThat(StrictJson.parse(atLimit)).isInstanceOf(StrictJson.Parsed.class);
        String past = "[".repeat(StrictJson.MAX_DEPTH + 1) + "]".repeat(StrictJson.MAX_DEPTH + 1);
        assertThat(refusedCode(past)).isEqualTo("malformed-json");
    }

    @Test
    void parserBombsGetAnErrorNotAnException() {
        // Past Parsson's own limits (depth 1000, number length 1100), which throw RuntimeException.
        assertThat(refusedCode("[".repeat(100_000))).isEqualTo("malformed-json");
        assertThat(refusedCode("{\"a\":".repeat(5_000))).isEqualTo("malformed-json");
        assertThat(refusedCode("{\"add\":" + "9".repeat(5_000) + "}")).isEqualTo("invalid-field");
        assertThat(refusedCode("{\"add\":1e" + "9".repeat(5_000) + "}")).isEqualTo("invalid-field");
    }

    @Test
    void numbersAreAllowedToTheLengthLimit() {
        String atLimit = "{\"n\":" + "1".repeat(StrictJson.MAX_NUMBER_CHARS) + "}";
        assertThat(StrictJson.parse(atLimit)).isInstanceOf(StrictJson.Parsed.class);
        String past = "{\"n\":" + "1".repeat(StrictJson.MAX_NUMBER_CHARS + 1) + "}";
        assertThat(refusedCode(past)).isEqualTo("invalid-field");
    }
}
