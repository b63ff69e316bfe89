package dev.socketworks.json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class DisplayNamesTest {

    private static String error(String requested) {
        return DisplayNames.check(requested, "name", 32).error();
    }

    /** "a", then k acute accents (class 230) and k grave-below marks (class 220): reverse canonical order. */
    private static String normaliserBomb(int k) {
        return "a" + "\u0301".repeat(k) + "\u0316".repeat(k);
    }

    // Without the length bound before normalising, the JDK's and ICU's normalisers take minutes on the
    // 1 MiB bomb (quadratic in the run of marks); the timeout only catches that, it measures nothing.
    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aNormaliserBombIsRefusedByItsLengthBeforeAnyNormalisation() {
        assertThat(error(normaliserBomb(512 * 1024))).isEqualTo("name must be 1-32 characters");
        assertThat(error(normaliserBomb(64 * 1024))).isEqualTo("name must be 1-32 characters");
        assertThat(DisplayNames.skeleton("Bob")).isEqualTo("bob");
    }

    @Test
    void theCheapBoundSitsAtEightCharsPerCharacter() {
        String atBound = "x".repeat(32) + " ".repeat(32 * 8 - 32); // trimmed to 32 characters: a name
        assertThat(atBound).hasSize(DisplayNames.MAX_CHARS_PER_CHARACTER * 32);
        assertThat(error(atBound)).isNull();
        assertThat(error(atBound + " ")).isEqualTo("name must be 1-32 characters");
        assertThat(DisplayNames.tooLongForAName(atBound, 32)).isFalse();
        assertThat(DisplayNames.tooLongForAName(atBound + " ", 32)).isTrue();
    }

    @Test
    void blankLookingNamesAreRefused() {
        assertThat(error("\u2800")).as("braille blank alone").isEqualTo("name must contain a visible character");
        assertThat(error("\u2800\u2800\u2800")).isEqualTo("name must contain a visible character");
        assertThat(error("Bob\u2800")).as("braille blank after Bob")
                .isEqualTo("name must not begin or end with a character that looks like a space");
        assertThat(error("\u2800Bob")).isEqualTo("name must not begin or end with a character that looks like a space");
        assertThat(error("Bob\u2800Smith")).as("inside, it is a space between words").isNull();
    }

    @Test
    void marksMustSitOnACharacterAndNotPileUp() {
        assertThat(error("\u0301\u0316")).isEqualTo("name must not have a combining mark without a letter or symbol under it");
        assertThat(error("\u0301")).isNotNull();
        assertThat(error("Bo \u0301b")).as("on a space").isNotNull();
        assertThat(error("a\u0301\u0316\u0317\u0318")).as("four marks").isNull();
        assertThat(error("e\u0316\u0317\u0318\u0319\u031C")).as("five marks below").isEqualTo("name must not stack more than 4 marks on one character");
        assertThat(error("e\u0316\u0316")).as("the same mark twice").isEqualTo("name must not repeat an invisible mark");
        assertThat(error("क्षत्रिय")).as("Devanagari with its vowel signs and viramas").isNull();
        assertThat(error("น้ำ")).as("Thai").isNull();
    }

    @Test
    void scriptsThatLookAlikeMayNotMix() {
        assertThat(error("B\u043Eb")).as("Latin with a Cyrillic o")
                .isEqualTo("name must not mix scripts that look alike, such as Latin with Cyrillic or Greek");
        assertThat(error("Ivan Иванов")).isNotNull();
        assertThat(error("Иван")).as("Cyrillic alone").isNull();
        assertThat(error("Νίκος")).as("Greek alone").isNull();
        assertThat(error("日本語テキストabc")).as("Japanese with Latin").isNull();
        assertThat(error("12\u0663")).as("Arabic-Indic digit after ASCII digits").isEqualTo("name must not mix digits of different scripts");
    }

    @Test
    void namesPeopleUseStillPass() {
        for (String name : new String[]{"Bob", "Ann 🦊", "Zoë 👨‍👩‍👧", "Guest 3fa2", "Mr. X", "José", "小明", "Bob (2)",
                "ok ❤️", "O'Brien", "ｂｏｂ"}) {
            assertThat(error(name)).as(name).isNull();
        }
    }

    @Test
    void skeletonsMakeLookAlikesOneName() {
        assertThat(DisplayNames.skeleton("BobI")).isEqualTo(DisplayNames.skeleton("bobl"));
        assertThat(DisplayNames.skeleton("ｂｏｂ")).isEqualTo(DisplayNames.skeleton("BOB"));
        assertThat(DisplayNames.skeleton("Straße")).isEqualTo(DisplayNames.skeleton("STRASSE"));
        assertThat(DisplayNames.skeleton("Bob  Smith")).isEqualTo(DisplayNames.skeleton("Bob\u2800Smith"));
        assertThat(DisplayNames.skeleton("Ann")).isNotEqualTo(DisplayNames.skeleton("Anna"));
    }
}
