package dev.socketworks.arena;

import dev.socketworks.auth.Identity;
import dev.socketworks.auth.Rights;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** A signed-in player's name comes from its token, checked as a join's name is. */
class ArenaConnectionTest {

    private static Identity user(String subject, String displayName) {
        return new Identity(subject, displayName, Rights.all(), Instant.now().plusSeconds(60));
    }

    @Test
    void aTokenNameTheArenaCannotShowFallsBackToTheSubjectThenToPlayer() {
        assertThat(ArenaConnection.playerName(user("u-1", "  Ann  "))).isEqualTo("Ann");
        assertThat(ArenaConnection.playerName(user("u-2", "Bad\u0000Name"))).isEqualTo("u-2");
        assertThat(ArenaConnection.playerName(user("\u202Eevil", "x".repeat(100_000)))).isEqualTo("Player");
    }
}
