package dev.socketworks.chat;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class UsernamesTest {

    @Test
    void namesAreTrimmedAndKept() {
        assertThat(Usernames.check("  Beej \t").name()).isEqualTo("Beej");
        assertThat(Usernames.check("Zoë 👨‍👩‍👧").isValid()).as("emoji joined by ZWJ").isTrue();
    }

    @Test
    void missingOrBlankNamesAskForAGuestName() {
        assertThat(Usernames.check(null)).isEqualTo(new Usernames.Checked(null, null));
        assertThat(Usernames.check("   ")).isEqualTo(new Usernames.Checked(null, null));
        assertThat(Usernames.guest(new Random(1))).matches("Guest [0-9a-f]{4}");
    }

    @Test
    void lengthLimitIsThirtyTwoCharactersNotUtf16Units() {
        assertThat(Usernames.check("x".repeat(32)).isValid()).isTrue();
        assertThat(Usernames.check("x".repeat(33)).error()).contains("1-32");
        assertThat(Usernames.check("😀".repeat(32)).isValid()).as("32 code points, 64 chars").isTrue();
        assertThat(Usernames.check("😀".repeat(33)).isValid()).isFalse();
    }

    @Test
    void controlAndInvisibleCharactersAreRefused() {
        assertThat(Usernames.check("Bo\nb").isValid()).isFalse();
        assertThat(Usernames.check("Bob\u0000").isValid()).isFalse();
        assertThat(Usernames.check("\u202EboB").isValid()).as("right-to-left override").isFalse();
        assertThat(Usernames.check("Bo\u200Bb").isValid()).as("zero-width space").isFalse();
        assertThat(Usernames.check("Bo\u2028b").isValid()).as("line separator").isFalse();
    }

    @Test
    void composedAndDecomposedFormsAreOneName() {
        assertThat(Usernames.check("Zoe\u0308").name()).isEqualTo("Zo\u00EB");
    }

    @Test
    void clashesGetASuffixIgnoringCase() {
        Set<String> taken = Set.of("bob", "bob (2)");
        assertThat(Usernames.unique("Alice", taken::contains)).isEqualTo("Alice");
        assertThat(Usernames.unique("BOB", taken::contains)).isEqualTo("BOB (3)");
    }

    @Test
    void blankMarkOnlyAndMixedScriptNamesAreRefusedAndLookAlikesClash() {
        assertThat(Usernames.check("Bob\u2800").isValid()).isFalse();
        assertThat(Usernames.check("\u2800").isValid()).isFalse();
        assertThat(Usernames.check("\u0301\u0316").isValid()).isFalse();
        assertThat(Usernames.check("B\u043Eb").isValid()).as("a Cyrillic o").isFalse();
        assertThat(Usernames.unique("BobI", Set.of(Usernames.key("Bobl"))::contains)).isEqualTo("BobI (2)");
    }

    @Test
    void suffixedNamesStayWithinTheLimit() {
        String longName = "y".repeat(32);
        String unique = Usernames.unique(longName, Set.of(Usernames.key(longName))::contains);
        assertThat(unique).isEqualTo("y".repeat(28) + " (2)");
        assertThat(Usernames.check(unique).isValid()).isTrue();
    }

    @Test
    void invisibleCharactersThatAreNotFormatCharactersAreRefusedToo() {
        for (String sneaky : new String[]{"Bo\u034Fb", "Bob\uFE00", "Bo\u180Bb", "\u115FBob", "Bo\u3164b",
                "Bob\uFFA0", "Bo\u00ADb", "Bob\uDB40\uDC20", "Bo\u200Db", "\u200DBob", "Bob\uFE0F"}) {
            assertThat(Usernames.check(sneaky).isValid()).as("%s", sneaky.codePoints()
                    .mapToObj(Integer::toHexString).toList()).isFalse();
        }
    }

    @Test
    void theJoinerAndEmojiPresentationStayAllowedInsideEmoji() {
        assertThat(Usernames.check("\uD83D\uDC68\u200D\uD83D\uDCBB").isValid()).as("technologist").isTrue();
        assertThat(Usernames.check("\u2764\uFE0F Ann").isValid()).as("red heart").isTrue();
        assertThat(Usernames.check("\uD83D\uDC4B\uD83C\uDFFD\u200D\u2640\uFE0F").isValid()).as("skin tone").isTrue();
    }

    @Test
    void namesThatLookAlikeShareOneKey() {
        String bob = Usernames.key("Bob");
        assertThat(Usernames.key("BOB")).isEqualTo(bob);
        assertThat(Usernames.key("\uFF22\uFF4F\uFF42")).as("fullwidth").isEqualTo(bob);
        assertThat(Usernames.key("B\u200Dob")).isEqualTo(bob);
        assertThat(Usernames.key("Bo\u034Fb")).isEqualTo(bob);
        assertThat(Usernames.key("Bob\uFE0F")).isEqualTo(bob);
        assertThat(Usernames.key("Bo\u180Bb")).isEqualTo(bob);
        assertThat(Usernames.key("Stra\u00DFe")).isEqualTo(Usernames.key("STRASSE"));
        assertThat(Usernames.key("Ann  Lee")).isEqualTo(Usernames.key("ann lee"));
        assertThat(Usernames.key("Bobby")).isNotEqualTo(bob);
    }
}
