package dev.socketworks.runtime;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeysTest {

    private static final String KEY = "k".repeat(ApiKeys.MIN_KEY_CHARS);
    private static final String OTHER = "o".repeat(40);

    private static String file(String entries) {
        return "{\"keys\": [" + entries + "]}";
    }

    @Test
    void aKeyFindsItsHolderAndItsRightsAndAnythingElseNobody() {
        ApiKeys keys = ApiKeys.parse(file("{\"name\": \"backend\", \"key\": \"" + KEY + "\", \"rights\": [\"api:broadcast\"]},"
                + "{\"name\": \"ops\", \"key\": \"" + OTHER + "\", \"rights\": [\"*\"]}"));
        assertThat(keys.find(KEY)).hasValueSatisfying(holder -> {
            assertThat(holder.name()).isEqualTo("backend");
            assertThat(holder.rights().allows("api:broadcast")).isTrue();
            assertThat(holder.rights().allows("api:totals")).isFalse();
        });
        assertThat(keys.find(OTHER)).hasValueSatisfying(holder -> assertThat(holder.rights().allows("api:totals")).isTrue());
        assertThat(keys.find(KEY + "x")).isEmpty();
        assertThat(keys.find(KEY.substring(1))).isEmpty();
        assertThat(keys.find("")).isEmpty();
        assertThat(keys.find(null)).isEmpty();
        assertThat(keys.find("k".repeat(100_000))).as("never hashed past the longest key").isEmpty();
        assertThat(keys.find("\u043a".repeat(ApiKeys.MIN_KEY_CHARS))).as("a look-alike (Cyrillic ka)").isEmpty();
    }

    @Test
    void aKeyAtTheShortestLengthIsTakenAndOneCharacterShorterIsRefused() {
        assertThat(ApiKeys.parse(file("{\"name\": \"a\", \"key\": \"" + KEY + "\", \"rights\": [\"*\"]}")).size()).isEqualTo(1);
        assertThatThrownBy(() -> ApiKeys.parse(file("{\"name\": \"a\", \"key\": \"" + KEY.substring(1) + "\", \"rights\": [\"*\"]}")))
                .hasMessage("key \"a\": key must be 32 to 256 printable ASCII characters without spaces");
        String longest = "l".repeat(ApiKeys.MAX_KEY_CHARS);
        assertThat(ApiKeys.parse(file("{\"name\": \"a\", \"key\": \"" + longest + "\", \"rights\": [\"*\"]}")).find(longest)).isPresent();
        assertThatThrownBy(() -> ApiKeys.parse(file("{\"name\": \"a\", \"key\": \"" + longest + "l\", \"rights\": [\"*\"]}")))
                .hasMessageStartingWith("key \"a\": key must be");
    }

    @Test
    void everyMistakeNamesTheKeyAndTheField() {
        assertThatThrownBy(() -> ApiKeys.parse("[]")).hasMessage("the file must hold one JSON object {\"keys\": [...]}");
        assertThatThrownBy(() -> ApiKeys.parse("{\"keys\": [], \"extra\": 1}")).hasMessage("the file must hold one field, \"keys\", an array");
        assertThatThrownBy(() -> ApiKeys.parse(file(""))).hasMessageStartingWith("\"keys\" is empty");
        assertThatThrownBy(() -> ApiKeys.parse(file("{\"name\": \"a\", \"key\": \"" + KEY + "\", \"rights\": [\"*\"], \"rigths\": []}")))
                .hasMessage("keys[0]: unknown field \"rigths\" (fields: name, key, rights)");
        assertThatThrownBy(() -> ApiKeys.parse(file("{\"key\": \"" + KEY + "\", \"rights\": [\"*\"]}")))
                .hasMessage("keys[0]: name must be a string");
        assertThatThrownBy(() -> ApiKeys.parse(file("{\"name\": \"a b\", \"key\": \"" + KEY + "\", \"rights\": [\"*\"]}")))
                .hasMessageStartingWith("key \"a b\": name must be");
        assertThatThrownBy(() -> ApiKeys.parse(file("{\"name\": \"a\", \"key\": \"" + KEY + "\", \"rights\": []}")))
                .hasMessageStartingWith("key \"a\": rights must be a non-empty array");
        assertThatThrownBy(() -> ApiKeys.parse(file("{\"name\": \"a\", \"key\": \"" + KEY + "\", \"rights\": [\"*\"]},"
                + "{\"name\": \"a\", \"key\": \"" + OTHER + "\", \"rights\": [\"*\"]}"))).hasMessage("key \"a\": name used twice");
        assertThatThrownBy(() -> ApiKeys.parse(file("{\"name\": \"a\", \"key\": \"" + KEY + "\", \"rights\": [\"*\"]},"
                + "{\"name\": \"b\", \"key\": \"" + KEY + "\", \"rights\": [\"*\"]}"))).hasMessage("key \"b\": key used by another entry");
        assertThatThrownBy(() -> ApiKeys.parse(file("{\"name\": \"a\", \"key\": \"" + KEY.substring(2) + " x\", \"rights\": [\"*\"]}")))
                .as("a space").hasMessageStartingWith("key \"a\": key must be");
    }
}
