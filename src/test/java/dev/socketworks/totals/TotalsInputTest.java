package dev.socketworks.totals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class TotalsInputTest {

    @ParameterizedTest
    @CsvSource({"5, 5", "-3, -3", "' 12 ', 12", "+7, 7", "9223372036854775807, 9223372036854775807"})
    void textNumbers(String message, long amount) {
        assertThat(TotalsInput.text(message)).isEqualTo(new TotalsInput.Parsed(amount, null, null, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "five", "1.5", "1e3", "9223372036854775808", "{\"add\":1}", "0x10"})
    void textRejectsWithTheSeedsWording(String message) {
        assertThat(TotalsInput.text(message).errorMessage()).isEqualTo("cannot process input");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"add\": 5}                     | 5",
            "{\"add\": -9223372036854775808}  | -9223372036854775808",
            "{\"add\": 2.0}                   | 2",
            "{\"add\": 1.2e3}                 | 1200",
            "{\"add\": 1, \"note\": \"x\"}     | 1",
    })
    void jsonAdds(String message, long amount) {
        assertThat(TotalsInput.json(message)).isEqualTo(new TotalsInput.Parsed(amount, null, null, null));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"add\": 5                      | malformed-json",
            "not json                         | malformed-json",
            "''                               | malformed-json",
            "[1]                              | invalid-message",
            "{\"sub\": 5}                     | invalid-message",
            "{\"add\": \"5\"}                 | invalid-field",
            "{\"add\": 1.5}                   | invalid-field",
            "{\"add\": null}                  | invalid-field",
            "{\"add\": 9223372036854775808}   | invalid-field",
            "{\"add\": 1e1000000}             | invalid-field",
            "{\"add\": 1e-1000000}            | invalid-field",
            "{\"add\":5} junk                 | malformed-json",
            "{\"add\":5}{\"add\":6}           | malformed-json",
            "{\"add\":5}}                     | malformed-json",
            "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]] | malformed-json",
            "{\"add\": 5, \"note\": \"\\ud800\"} | invalid-field",
            "{\"type\": \"add\"}             | invalid-message",
            "{\"type\": 1}                  | invalid-message",
            "{\"type\": \"refresh\"}         | invalid-field",
            "{\"type\": \"refresh\", \"payload\": {\"token\": 5}} | invalid-field",
    })
    void jsonErrorsHaveCodes(String message, String code) {
        TotalsInput.Parsed parsed = TotalsInput.json(message);
        assertThat(parsed.isError()).isTrue();
        assertThat(parsed.errorCode()).isEqualTo(code);
    }

    @org.junit.jupiter.api.Test
    void aRefreshCarriesItsToken() {
        assertThat(TotalsInput.json("{\"type\":\"refresh\",\"payload\":{\"token\":\"abc.def.ghi\"}}").refreshToken())
                .isEqualTo("abc.def.ghi");
    }

    @org.junit.jupiter.api.Test
    void parserBombsGetACodedErrorNotAnException() {
        assertThat(TotalsInput.json("[".repeat(5000)).errorCode()).isEqualTo("malformed-json");
        assertThat(TotalsInput.json("{\"add\":" + "9".repeat(5000) + "}").errorCode()).isEqualTo("invalid-field");
    }
}
