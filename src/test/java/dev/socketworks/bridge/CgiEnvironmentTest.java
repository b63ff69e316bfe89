package dev.socketworks.bridge;

import dev.socketworks.handshake.HandshakeContext;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CgiEnvironmentTest {

    private final HandshakeContext client = new HandshakeContext("127.0.0.1", 51234, "127.0.0.1", "example.test", 8080,
            "/socketworks/run/env", "a=1&b=two",
            Map.of("user-agent", List.of("curl/8"), "x-forwarded-for", List.of("10.0.0.1", "10.0.0.2"),
                    "proxy", List.of("http://evil.example:3128"), "path", List.of("/tmp/evil"),
                    "bad header!", List.of("x"), "x-nul", List.of("a\0b")),
            false, List.of(), null, "/run/{name}");

    private Route.Program route(List<String> pass, Map<String, String> set) {
        return new Route.Program(List.of("/usr/bin/env"), Path.of("/"), pass, set);
    }

    @Test
    void describesTheClientTheWayCgiProgramsExpect() {
        Map<String, String> env = CgiEnvironment.build(route(List.of(), Map.of()), client, "id-1", Map.of());

        assertThat(env).containsEntry("REMOTE_ADDR", "127.0.0.1")
                .containsEntry("REMOTE_PORT", "51234")
                .containsEntry("SERVER_NAME", "example.test")
                .containsEntry("SERVER_PORT", "8080")
                .containsEntry("QUERY_STRING", "a=1&b=two")
                .containsEntry("REQUEST_URI", "/socketworks/run/env?a=1&b=two")
                .containsEntry("REQUEST_METHOD", "GET")
                .containsEntry("UNIQUE_ID", "id-1")
                .containsEntry("HTTP_USER_AGENT", "curl/8")
                .containsEntry("HTTP_X_FORWARDED_FOR", "10.0.0.1, 10.0.0.2")
                .containsEntry("HTTP_X_NUL", "ab");
    }

    @Test
    void onlyAllowlistedServerVariablesPassAndNoClientValueReplacesThem() {
        Map<String, String> server = Map.of("PATH", "/usr/bin", "HOME", "/root", "SECRET", "s3cret");
        Map<String, String> env = CgiEnvironment.build(route(List.of("PATH", "LANG"), Map.of("MODE", "demo")),
                client, "id", server);

        assertThat(env).containsEntry("PATH", "/usr/bin").containsEntry("MODE", "demo")
                .doesNotContainKeys("HOME", "SECRET", "LANG");
        assertThat(env).containsEntry("HTTP_PATH", "/tmp/evil"); // a header only ever becomes HTTP_*
    }

    @Test
    void aProxyHeaderNeverBecomesHttpProxy() {
        Map<String, String> env = CgiEnvironment.build(route(List.of(), Map.of()), client, "id", Map.of());

        assertThat(env).doesNotContainKey("HTTP_PROXY");
        assertThat(env.keySet()).allMatch(name -> name.matches("[A-Z0-9_]+"));
    }

    @Test
    void aUserWithATokenIsTheRemoteUserAndAGuestIsNobody() {
        HandshakeContext user = new HandshakeContext("127.0.0.1", 1, "127.0.0.1", "h", 80, "/run/env", "", Map.of(), false,
                List.of(), new dev.socketworks.auth.Identity("u-42", "Ann", dev.socketworks.auth.Rights.none(), null), "/run/{name}");
        Map<String, String> env = CgiEnvironment.build(route(List.of(), Map.of()), user, "id", Map.of());
        assertThat(env).containsEntry("REMOTE_USER", "u-42").containsEntry("AUTH_TYPE", "Bearer");
        Map<String, String> guest = CgiEnvironment.build(route(List.of(), Map.of()), client, "id", Map.of());
        assertThat(guest).containsEntry("REMOTE_USER", "").containsEntry("AUTH_TYPE", "");
    }
}
