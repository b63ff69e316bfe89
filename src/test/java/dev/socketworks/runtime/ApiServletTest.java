package dev.socketworks.runtime;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The query numbers every call takes (limit): absent, at each bound, past it, and not a number at all. */
class ApiServletTest {

    @Test
    void aQueryNumberIsTakenOnlyWithinItsBounds() {
        assertThat(ApiServlet.wholeNumber(null, 100, 1, 1000)).isEqualTo(100);
        assertThat(ApiServlet.wholeNumber("1", 100, 1, 1000)).isEqualTo(1);
        assertThat(ApiServlet.wholeNumber("1000", 100, 1, 1000)).isEqualTo(1000);
        assertThat(ApiServlet.wholeNumber("0", 100, 1, 1000)).isNull();
        assertThat(ApiServlet.wholeNumber("1001", 100, 1, 1000)).isNull();
        assertThat(ApiServlet.wholeNumber("-1", 100, 1, 1000)).isNull();
        assertThat(ApiServlet.wholeNumber("9".repeat(40), 100, 1, 1000)).as("no overflow").isNull();
        assertThat(ApiServlet.wholeNumber("１０", 100, 1, 1000)).as("fullwidth digits are not digits here").isNull();
        assertThat(ApiServlet.wholeNumber("", 100, 1, 1000)).isNull();
    }
}
