package dev.socketworks.hub;

import dev.socketworks.testing.Poll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every engine must do for revocations ({@link Revocations}): a revoked user's moment is kept
 * for as long as asked, only moves forward, touches no other user, and is seen by every server
 * sharing the engine.
 */
public abstract class RevocationContract extends EngineContract {

    private static final Duration LONG = Duration.ofMinutes(5);
    private static final Instant T = Instant.parse("2026-12-05T10:00:00.123Z");

    @Test
    void aRevocationOnlyMovesForwardAndTouchesNoOtherUser() {
        String ann = "ann-" + UUID.randomUUID();
        assertThat(hub.revokedBefore(ann)).isNull();
        assertThat(hub.revoke(ann, T, LONG)).isTrue();
        assertThat(hub.revokedBefore(ann)).isEqualTo(T);
        hub.revoke(ann, T.minusSeconds(60), LONG);
        assertThat(hub.revokedBefore(ann)).as("an earlier moment does not undo a later one").isEqualTo(T);
        hub.revoke(ann, T.plusSeconds(60), LONG);
        assertThat(hub.revokedBefore(ann)).isEqualTo(T.plusSeconds(60));
        assertThat(hub.revokedBefore("bob-" + UUID.randomUUID())).isNull();
    }

    @Test
    void aRevocationEndsWhenItsTimeIsUp() throws Exception {
        String ann = "ann-" + UUID.randomUUID();
        hub.revoke(ann, T, Duration.ofMillis(50));
        Poll.until(Duration.ofSeconds(5), "the revocation lapsed", () -> hub.revokedBefore(ann) == null);
    }

    @Test
    void everyServerSharingTheEngineSeesARevocation() {
        String prefix = "t" + UUID.randomUUID() + ":";
        Hub first = open("first", prefix);
        Hub second = open("second", prefix);
        first.revoke("ann", T, LONG);
        assertThat(second.revokedBefore("ann")).isEqualTo(first.shared() ? T : null);
    }
}
