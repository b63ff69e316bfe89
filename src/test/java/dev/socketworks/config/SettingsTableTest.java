package dev.socketworks.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The settings table (src/site/markdown/configuration.md) is the settings' user documentation: it must match Settings. */
class SettingsTableTest {

    private static final Pattern ROW = Pattern.compile(
            "^\\| `socketworks\\.(\\w+)` \\| `(SOCKETWORKS_\\w+)` \\| ([^|]+) \\| ([^|]+) \\|$", Pattern.MULTILINE);

    private record Row(String environmentName, String defaultColumn, String why) {
    }

    @Test
    void theReadmeTableListsEverySettingWithItsEnvironmentNameAndDefault() throws IOException {
        Map<String, Row> rows = new LinkedHashMap<>();
        Matcher m = ROW.matcher(Files.readString(Path.of("src/site/markdown/configuration.md")));
        while (m.find()) {
            rows.put(m.group(1), new Row(m.group(2), m.group(3).strip(), m.group(4).strip()));
        }
        assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(
                Settings.ALL.stream().map(Setting::name).toList());
        for (Setting<?> setting : Settings.ALL) {
            Row row = rows.get(setting.name());
            assertThat(row.environmentName()).as(setting.name()).isEqualTo(setting.environmentName());
            if (setting.defaultValue().isEmpty()) {
                assertThat(row.defaultColumn()).as(setting.name()).startsWith("empty");
            } else {
                assertThat(row.defaultColumn()).as(setting.name()).startsWith("`" + setting.defaultValue() + "`");
            }
            assertThat(row.why()).as(setting.name()).isNotBlank();
        }
    }

    @Test
    void anInvalidValueSaysWhyTheSettingExists() {
        Map<String, String> context = Map.of("socketworks.rateBurst", "0");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SettingsLoader.load(n -> null, n -> null, context::get))
                .hasMessageContaining("It exists because " + Settings.RATE_BURST.why());
    }
}
