package dev.socketworks.auth;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class RightsTest {

    @ParameterizedTest(name = "{0} allows {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            *                     | chat:lobby          | true
            *                     | echo                | true
            chat:lobby            | chat:lobby          | true
            chat:lobby            | chat:lobby2         | false
            chat:lobby            | chat-read:lobby     | true
            chat-read:lobby       | chat:lobby          | false
            chat:*                | chat:any room       | true
            chat:*                | chat-read:x         | true
            chat:team-*           | chat:team-red       | true
            chat:team-*           | chat:other          | false
            chat:*-ops            | chat:eu-ops         | true
            chat:*-ops            | chat:eu-ops-2       | false
            arena:main            | arena-watch:main    | true
            arena-watch:*         | arena:main          | false
            broadcast:publish     | broadcast:read      | false
            totals:add            | totals:read         | false
            run:*                 | run:fizzbuzz        | true
            echo                  | echo2               | false
            *o                    | echo                | true
            a*b*c                 | aXXbYYc             | true
            a*b*c                 | aXXbYY              | false
            ''                    | echo                | false
            """)
    void oneMatcherForEveryRight(String pattern, String right, boolean allowed) {
        assertThat(Rights.parse(pattern).allows(right)).isEqualTo(allowed);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            'chat:a, echo'   | echo       | true
            'chat:a, echo'   | chat:a     | true
            'chat:a, echo'   | hello      | false
            """)
    void aSettingListsSeveral(String list, String right, boolean allowed) {
        assertThat(Rights.parse(list).allows(right)).isEqualTo(allowed);
    }

    @org.junit.jupiter.api.Test
    void patternsAndRightsAreBoundedInLength() {
        // The matcher's worst case (a star before every character, no match) is pattern × text steps.
        assertThat(Rights.matches("*a".repeat(100) + "b", "a".repeat(255))).isFalse();
        assertThat(Rights.parse("x".repeat(Rights.MAX_PATTERN_CHARS + 1)).isEmpty()).as("too long: grants nothing").isTrue();
        assertThat(Rights.all().allows("c".repeat(Rights.MAX_PATTERN_CHARS + 1))).isFalse();
    }
}
