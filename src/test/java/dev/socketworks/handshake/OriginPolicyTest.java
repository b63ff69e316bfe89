package dev.socketworks.handshake;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OriginPolicyTest {

    private static final Origin SERVER = new Origin("http", "127.0.0.1", 8080);
    private static final OriginPolicy POLICY =
            OriginPolicy.parse("same-origin, http://localhost https://app.example.com:8443,https://*.example.com");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            // same-origin: scheme, host and port of the request itself
            "http://127.0.0.1:8080,           true",
            "HTTP://127.0.0.1:8080,           true",
            "https://127.0.0.1:8080,          false",
            "http://127.0.0.1:8081,           false",
            "http://127.0.0.1,                false",
            // exact entries, default port implied by the scheme
            "http://localhost,                true",
            "http://localhost:80,             true",
            "http://LOCALHOST,                true",
            "https://app.example.com:8443,    true",
            "https://app.example.com,         true",   // also a subdomain of example.com on 443
            // subdomain wildcard: any depth, same scheme and port, never the bare domain
            "https://a.example.com,           true",
            "https://a.b.example.com,         true",
            "https://example.com,             false",
            "http://a.example.com,            false",
            "https://a.example.com:444,       false",
            "https://evilexample.com,         false",
            "https://example.com.evil.test,   false",
            "https://a.example.com.evil.test, false",
    })
    void matchesParsedSchemeHostAndPort(String origin, boolean allowed) {
        assertThat(POLICY.check(origin, SERVER, true).allowed()).isEqualTo(allowed);
    }

    /** SEC: lookalikes of an allowed origin must never pass. */
    @ParameterizedTest
    @ValueSource(strings = {
            "http://localhost.evil.test",
            "http://evil-localhost",
            "http://localhostevil",
            "http://evil.localhost.test",
            "https://localhost",
            "http://localhost:8081",
            "ws://localhost",
            "http://localhost@evil.test",
            "http://evil.test@localhost",
            "http://user:pass@localhost",
            "http://localhost/",
            "http://localhost/path",
            "http://localhost?x",
            "http://localhost#x",
            "http://localhost.",
            "http://localhost:",
            "http://localhost:0",
            "http://localhost:65536",
            " http://localhost",
            "http://localhost\r\nX-Evil: 1",
            "http://local_host",
            "localhost",
            "//localhost",
            "",
            "null",
            "NULL",
    })
    void lookalikesAreRefused(String origin) {
        assertThat(POLICY.check(origin, SERVER, true).allowed()).as(origin).isFalse();
    }

    @Test
    void missingOriginFollowsTheSetting() {
        assertThat(POLICY.check(null, SERVER, true).allowed()).isTrue();
        assertThat(POLICY.check(null, SERVER, false).allowed()).isFalse();
    }

    @Test
    void sameOriginFailsClosedWhenTheRequestOriginIsUnknown() {
        OriginPolicy sameOriginOnly = OriginPolicy.parse("same-origin");
        assertThat(sameOriginOnly.check("http://127.0.0.1:8080", null, true).allowed()).isFalse();
    }

    @Test
    void sameOriginComparesIpv6LiteralsWithOrWithoutBrackets() {
        OriginPolicy sameOriginOnly = OriginPolicy.parse("same-origin");
        Origin server = new Origin("http", "::1", 8080);
        assertThat(sameOriginOnly.check("http://[::1]:8080", server, true).allowed()).isTrue();
    }

    @Test
    void anyOriginStillRefusesNullAndMalformed() {
        OriginPolicy any = OriginPolicy.parse("*");
        assertThat(any.check("https://anything.test", SERVER, true).allowed()).isTrue();
        assertThat(any.check("null", SERVER, true).allowed()).isFalse();
        assertThat(any.check("https://a@b", SERVER, true).allowed()).isFalse();
    }

    @Test
    void refusalReasonNamesThePolicy() {
        assertThat(POLICY.check("http://evil.test", SERVER, true).reason())
                .contains("same-origin,http://localhost").contains("http://127.0.0.1:8080");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " , ", "localhost", "http://*", "http://*.", "https://*.example.com/", "http://a:99999",
            "https://x.*.example.com", "*.example.com", "http://user@host"})
    void invalidEntriesAreRejectedWithTheEntryNamed(String text) {
        assertThatThrownBy(() -> OriginPolicy.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
