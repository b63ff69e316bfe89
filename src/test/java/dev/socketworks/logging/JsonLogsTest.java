package dev.socketworks.logging;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** logFormat=json: each of Socketworks' log lines is one JSON object on one line, whatever its message holds; undone at undeploy. */
class JsonLogsTest {

    @Test
    void eachRecordIsOneJsonObjectOnOneLineAndUninstallingStopsIt() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Logger logger = Logger.getLogger("dev.socketworks.logging.test");
        JsonLogs.Installed installed = JsonLogs.install(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            logger.info("Closing connection k3v9 (/echo from 10.0.0.1): a \"quoted\"\nsecond line ✓");
            logger.log(Level.WARNING, "it broke", new IllegalStateException("ours"));
        } finally {
            installed.uninstall();
        }
        logger.info("after undeploy");
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(2);
        JsonObject first = Json.createReader(new StringReader(lines.get(0))).readObject();
        assertThat(first.getString("level")).isEqualTo("INFO");
        assertThat(first.getString("logger")).isEqualTo("dev.socketworks.logging.test");
        assertThat(first.getString("message")).isEqualTo("Closing connection k3v9 (/echo from 10.0.0.1): a \"quoted\"\nsecond line ✓");
        assertThat(first.getString("time")).endsWith("Z");
        assertThat(first.containsKey("error")).isFalse();
        JsonObject second = Json.createReader(new StringReader(lines.get(1))).readObject();
        assertThat(second.getString("level")).isEqualTo("WARNING");
        assertThat(second.getString("error")).isEqualTo("java.lang.IllegalStateException: ours");
        assertThat(second.getString("stack")).contains("JsonLogsTest");
        assertThat(Logger.getLogger("dev.socketworks").getUseParentHandlers()).as("the container's handlers again").isTrue();
    }
}
