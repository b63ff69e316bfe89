package dev.socketworks.handshake;

import dev.socketworks.config.SettingsLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostPolicyTest {

    private final HostPolicy defaults = HostPolicy.parse("localhost");

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "LOCALHOST", "localhost.", "127.0.0.1", "10.1.2.3", "[::1]", "::1"})
    void theDefaultAllowsLocalhostAndIpLiterals(String host) {
        assertThat(defaults.allows(host)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"attacker.example", "localhost.attacker.example", "127.0.0.1.nip.io", "evil-localhost",
            "999.1.1.1", ""})
    void theDefaultRefusesEveryOtherName(String host) {
        assertThat(defaults.allows(host)).isFalse();
        assertThat(defaults.allows(null)).isFalse();
    }

    @Test
    void namesAndSubdomainWildcardsCanBeListed() {
        HostPolicy policy = HostPolicy.parse("chat.example.com, *.internal.example");
        assertThat(policy.allows("chat.example.com")).isTrue();
        assertThat(policy.allows("a.b.internal.example")).isTrue();
        assertThat(policy.allows("internal.example")).isFalse();
        assertThat(policy.allows("localhost")).isFalse();
        assertThat(HostPolicy.parse("*").allows("anything.example")).isTrue();
        assertThatThrownBy(() -> HostPolicy.parse("http://x.example")).hasMessageContaining("not a host name");
    }

    @Test
    void aRebindingPageIsRefusedThoughItsOriginMatchesItsHost() {
        var settings = SettingsLoader.load(name -> null, name -> null, Map.<String, String>of()::get);
        UpgradeRequest rebinding = new UpgradeRequest(new Origin("http", "attacker.example", 8080), "127.0.0.1",
                5000, "attacker.example", 8080, "127.0.0.1");
        OriginPolicy.Verdict verdict = HandshakePolicy.verdict(HandshakePolicy.globalOriginPolicy(settings), settings,
                "http://attacker.example:8080", rebinding);
        assertThat(verdict.allowed()).isFalse();
        assertThat(verdict.reason()).contains("Host 'attacker.example' is not in allowedHosts");

        UpgradeRequest local = new UpgradeRequest(new Origin("http", "localhost", 8080), "127.0.0.1",
                5000, "localhost", 8080, "127.0.0.1");
        assertThat(HandshakePolicy.verdict(HandshakePolicy.globalOriginPolicy(settings), settings, "http://localhost:8080", local)
                .allowed()).isTrue();
        // Explicit origins do not depend on the Host.
        OriginPolicy explicit = OriginPolicy.parse("http://attacker.example:8080");
        assertThat(HandshakePolicy.verdict(explicit, settings, "http://attacker.example:8080", rebinding)
                .allowed()).isTrue();
    }

    @Test
    void forwardedForIsBelievedOnlyFromTrustedProxies() {
        Set<String> trusted = Set.of("10.0.0.1", "10.0.0.2");
        assertThat(ClientAddress.of("203.0.113.9", "1.2.3.4", trusted)).isEqualTo("203.0.113.9");
        assertThat(ClientAddress.of("10.0.0.1", "198.51.100.7", trusted)).isEqualTo("198.51.100.7");
        // A client's own forged entries sit left of what its proxies added: never reached.
        assertThat(ClientAddress.of("10.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.2", trusted)).isEqualTo("198.51.100.7");
        assertThat(ClientAddress.of("10.0.0.1", null, trusted)).isEqualTo("10.0.0.1");
        assertThat(ClientAddress.of("10.0.0.1", " , ", trusted)).isEqualTo("10.0.0.1");
    }

    /** One IPv6 host has a /64 of its own: 256 connections from each of its addresses would be without end. */
    @Test
    void ipv6ClientsAreCountedPerNetworkOfThePrefix() {
        Set<String> none = Set.of();
        assertThat(ClientAddress.of("2001:db8:1:2:aaaa:bbbb:cccc:dddd", null, none, 64)).isEqualTo("2001:db8:1:2:0:0:0:0/64");
        assertThat(ClientAddress.of("2001:db8:1:2::1", null, none, 64))
                .isEqualTo(ClientAddress.of("2001:db8:1:2:ffff::9", null, none, 64));
        assertThat(ClientAddress.of("2001:db8:1:3::1", null, none, 64)).isNotEqualTo(ClientAddress.of("2001:db8:1:2::1", null, none, 64));
        assertThat(ClientAddress.of("2001:db8:1:2::1", null, none, 48)).isEqualTo("2001:db8:1:0:0:0:0:0/48");
        assertThat(ClientAddress.of("fe80::1%eth0", null, none, 64)).isEqualTo("fe80:0:0:0:0:0:0:0/64");
        assertThat(ClientAddress.of("2001:db8::1", null, none, 128)).isEqualTo("2001:db8::1");
        assertThat(ClientAddress.of("::ffff:192.0.2.1", null, none, 64)).as("IPv4-mapped: its IPv4 address").isEqualTo("192.0.2.1");
        assertThat(ClientAddress.of("192.0.2.1", null, none, 64)).isEqualTo("192.0.2.1");
        assertThat(ClientAddress.of("10.0.0.1", "2001:db8:9:9::5", Set.of("10.0.0.1"), 64)).as("named by a trusted proxy")
                .isEqualTo("2001:db8:9:9:0:0:0:0/64");
    }

    /** The handshake layer owns these grammars; a bad value still fails start-up naming setting, source and why. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "socketworks.allowedOrigins | example.com | 'example.com' is not",
            "socketworks.allowedOrigins | ,           | no entries",
            "socketworks.allowedHosts   | http://a.b  | not a host name",
    })
    void invalidOriginOrHostListsFailStartUpWithTheReason(String name, String value, String reason) {
        var settings = SettingsLoader.load(n -> null, n -> null, Map.of(name, value)::get);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HandshakePolicy.validate(settings))
                .isInstanceOf(dev.socketworks.config.InvalidSettingException.class)
                .hasMessageContaining(name)
                .hasMessageContaining("context parameter")
                .hasMessageContaining(reason)
                .hasMessageContaining("It exists because");
    }
}
