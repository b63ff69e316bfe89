package dev.socketworks.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Run by the build after every container's suite (execution it-logs): the logs of the whole run, every
 * container's and every cluster node's, hold none of the API keys, tokens, token secrets or message
 * contents the tests used. Not a container test: it reads what they left in target/.
 */
class LogsHoldNoSecretsCheck {

    private static final Path TARGET = Path.of("target");
    /** A signed JWT: header and claims in base64url, both JSON objects ("eyJ" is "{\"" encoded). */
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.");
    /** Texts the tests sent as message content (API posts and chat lines): they belong to the clients only. */
    private static final List<String> CONTENTS = List.of("order 42 shipped", "Your order shipped", "an HS256 secret of at least 32 bytes");

    private static List<Path> logs() throws IOException {
        List<Path> logs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(TARGET, 8)) {
            files.filter(Files::isRegularFile).filter(file -> {
                String path = TARGET.relativize(file).toString().replace('\\', '/');
                return path.startsWith("failsafe-reports/") && path.endsWith("-output.txt")
                        || path.startsWith("cluster-nodes/") && path.endsWith(".log")
                        || path.matches("wildfly-[^/]+/standalone/log/server\\.log")
                        || path.equals("liberty/wlp/usr/servers/socketworks/logs/messages.log");
            }).forEach(logs::add);
        }
        return logs;
    }

    private static List<String> keys() throws IOException {
        List<String> keys = new ArrayList<>();
        try (Stream<Path> files = Files.list(TARGET)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches(".*keys\\.json")).toList()) {
                JsonObject document = Json.createReader(new StringReader(Files.readString(file))).readObject();
                document.getJsonArray("keys").getValuesAs(JsonObject.class).forEach(key -> keys.add(key.getString("key")));
            }
        }
        return keys;
    }

    @Test
    void noLogOfTheRunHoldsAKeyATokenOrAMessagesContent() throws IOException {
        List<Path> logs = logs();
        assertThat(logs).as("the containers' logs under target/ (did the suites run?)").isNotEmpty();
        List<String> keys = keys();
        assertThat(keys).as("the API keys the tests used").isNotEmpty();
        boolean started = false;
        for (Path log : logs) {
            String text = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
            started |= text.contains("Socketworks started");
            for (String key : keys) {
                assertThat(text.contains(key)).as(log + " holds an API key").isFalse();
            }
            assertThat(JWT.matcher(text).find()).as(log + " holds a token: " + firstMatch(text)).isFalse();
            for (String content : CONTENTS) {
                assertThat(text.contains(content)).as(log + " holds a message's content: " + content).isFalse();
            }
        }
        assertThat(started).as("the logs read are Socketworks' (one says it started)").isTrue();
    }

    private static String firstMatch(String text) {
        var matcher = JWT.matcher(text);
        if (!matcher.find()) {
            return "";
        }
        int from = Math.max(0, matcher.start() - 200);
        return text.substring(from, Math.min(text.length(), matcher.end() + 20));
    }
}
