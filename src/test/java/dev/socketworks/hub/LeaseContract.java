package dev.socketworks.hub;

import dev.socketworks.testing.Poll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every engine must do for leases ({@link Leases}): a holder renews its lease and gives it up;
 * where servers share the engine, one at a time holds it, and a holder that stops renewing loses it
 * when its time runs out. In one server's memory there is no other server: every lease is its own.
 */
public abstract class LeaseContract extends EngineContract {

    private static final Duration LONG = Duration.ofSeconds(30);

    @Test
    void aHolderRenewsItsLeaseAndCanTakeItAgainAfterGivingItUp() {
        assertThat(hub.lease("ticker", LONG)).isTrue();
        assertThat(hub.lease("ticker", LONG)).as("renewed by its holder").isTrue();
        hub.releaseLease("ticker");
        assertThat(hub.lease("ticker", LONG)).as("free again once given up").isTrue();
        assertThat(hub.lease("another", LONG)).as("leases are held apart").isTrue();
    }

    /** Several servers: one holds the lease at a time; a release by another changes nothing; a release by the holder frees it at once. */
    @Test
    void oneServerAtATimeHoldsALease() {
        String prefix = "t" + UUID.randomUUID() + ":";
        Hub first = open("first", prefix);
        Hub second = open("second", prefix);
        if (!first.shared()) {
            assertThat(first.lease("ticker", LONG)).as("alone in memory: every lease is this server's").isTrue();
            return;
        }
        assertThat(first.lease("ticker", LONG)).isTrue();
        assertThat(second.lease("ticker", LONG)).isFalse();
        second.releaseLease("ticker"); // not the holder: nothing happens
        assertThat(second.lease("ticker", LONG)).isFalse();
        first.releaseLease("ticker");
        assertThat(second.lease("ticker", LONG)).isTrue();
        assertThat(first.lease("ticker", LONG)).isFalse();
    }

    /** A holder that stops renewing (it died) loses the lease when its time runs out, and another takes it. */
    @Test
    void aLeaseNotRenewedLapsesForTheNextServer() throws Exception {
        String prefix = "t" + UUID.randomUUID() + ":";
        Hub first = open("first", prefix);
        Hub second = open("second", prefix);
        if (!first.shared()) {
            return; // one server's memory: no other server to take it (the first test covers it)
        }
        assertThat(first.lease("arena.main", Duration.ofMillis(300))).isTrue();
        assertThat(second.lease("arena.main", LONG)).isFalse();
        Poll.until(Duration.ofSeconds(5), "the lease lapsed for the second server", () -> second.lease("arena.main", LONG));
        assertThat(first.lease("arena.main", LONG)).isFalse();
    }
}
