package dev.socketworks.countdown;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CountdownRequestTest {

    @Test
    void defaultsAreTheLecturesTenEveryHalfSecond() {
        assertThat(CountdownRequest.parse(Map.of())).isEqualTo(new CountdownRequest(10, Duration.ofMillis(500)));
    }

    @ParameterizedTest
    @CsvSource({"1, 50", "1000, 60000", "' 7 ', 100"})
    void acceptsTheBoundaries(String from, String intervalMs) {
        CountdownRequest request = CountdownRequest.parse(Map.of("from", List.of(from), "intervalMs", List.of(intervalMs)));
        assertThat(request.from()).isEqualTo(Integer.parseInt(from.strip()));
        assertThat(request.interval()).isEqualTo(Duration.ofMillis(Long.parseLong(intervalMs)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "from       | 0     | from must be from 1 to 1000",
            "from       | 1001  | from must be from 1 to 1000",
            "from       | ten   | from must be a whole number from 1 to 1000",
            "intervalMs | 49    | intervalMs must be from 50 to 60000",
            "intervalMs | 60001 | intervalMs must be from 50 to 60000",
            "intervalMs | 1e3   | intervalMs must be a whole number from 50 to 60000",
    })
    void refusesOutOfRangeValuesWithAReason(String name, String value, String reason) {
        assertThatThrownBy(() -> CountdownRequest.parse(Map.of(name, List.of(value))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(reason);
    }
}
