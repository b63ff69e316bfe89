package dev.socketworks.runtime;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class BasicCredentialsTest {

    private static String basic(String userColonPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void userAndPasswordAreSplitAtTheFirstColon() {
        assertThat(BasicCredentials.parse(basic("zoë:pa:ss"))).isEqualTo(new BasicCredentials("zoë", "pa:ss"));
        assertThat(BasicCredentials.parse("  basic " + basic("a:").substring(6))).isEqualTo(new BasicCredentials("a", ""));
        assertThat(new BasicCredentials("a", "secret").toString()).doesNotContain("secret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer abc", "Basic", "Basic !!!", "Basic /w==", "Basic YWJj", "Basic OnB3"})
    void whatIsNotWellFormedBasicIsRefused(String header) {
        assertThat(BasicCredentials.parse(header)).isNull(); // wrong scheme, bad Base64, bad UTF-8, no colon, no user
    }

    @Test
    void controlCharactersAndHugeHeadersAreRefused() {
        assertThat(BasicCredentials.parse(basic("a\u0000b:c"))).isNull();
        assertThat(BasicCredentials.parse(basic("a:" + "x".repeat(4096)))).isNull();
    }
}
