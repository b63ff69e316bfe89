package dev.socketworks.hub;

import dev.socketworks.testing.Concurrently;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** What every engine must do for places counted across servers ({@link Places}). Each engine's test runs it (memory, Redis, Redis Cluster). */
public abstract class PlacesContract extends EngineContract {

    private static final Retention KEEP_100 = new Retention(100, Long.MAX_VALUE);
    /** A group holds at most max places; one given back is free again; groups count apart. */
    @Test
    void aGroupHoldsAtMostMaxPlacesUntilOneIsGivenBack() {
        Places places = hub.places();
        for (int i = 0; i < 3; i++) {
            assertThat(places.take("user-a", 3)).isTrue();
        }
        assertThat(places.take("user-a", 3)).isFalse();
        assertThat(places.held("user-a")).isEqualTo(3);
        assertThat(places.take("user-b", 3)).as("another group").isTrue();
        places.giveBack("user-a");
        assertThat(places.held("user-a")).isEqualTo(2);
        assertThat(places.take("user-a", 3)).isTrue();
        for (int i = 0; i < 3; i++) {
            places.giveBack("user-a");
        }
        assertThat(places.held("user-a")).isZero();
        assertThat(places.held("nobody")).isZero();
    }

    /** Taken all at once, the cap is exact: the check and the count are one step. */
    @Test
    void thePlaceCapHoldsUnderAStorm() throws Exception {
        java.util.concurrent.atomic.AtomicInteger taken = new java.util.concurrent.atomic.AtomicInteger();
        Concurrently.run(16, id -> {
            for (int i = 0; i < 4; i++) {
                if (hub.places().take("storm", 5)) {
                    taken.incrementAndGet();
                }
            }
        });
        assertThat(taken.get()).isEqualTo(5);
        assertThat(hub.places().held("storm")).isEqualTo(5);
    }

}
