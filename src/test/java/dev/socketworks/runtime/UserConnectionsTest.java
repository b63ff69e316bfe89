package dev.socketworks.runtime;

import dev.socketworks.hub.EngineUnavailableException;
import dev.socketworks.hub.InMemoryHub;
import dev.socketworks.hub.Places;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UserConnectionsTest {

    @Test
    void aUserOpensAtMostMaxAndAClosedConnectionGivesItsPlaceBack() {
        UserConnections users = new UserConnections(new InMemoryHub().places(), 2);
        Runnable first = users.open("ann");
        assertThat(first).isNotNull();
        assertThat(users.open("ann")).isNotNull();
        assertThat(users.mayOpen("ann")).isFalse();
        assertThat(users.open("ann")).isNull();
        assertThat(users.open("bob")).as("per user").isNotNull();
        first.run();
        assertThat(users.mayOpen("ann")).isTrue();
        assertThat(users.open("ann")).isNotNull();
    }

    /** An engine away neither locks users out nor lets them open without bound: each server caps alone meanwhile. */
    @Test
    void whileTheEngineIsAwayEachServerCapsOnItsOwn() {
        Places away = new Places() {
            @Override
            public boolean take(String group, int max) {
                throw new EngineUnavailableException("away", null);
            }

            @Override
            public long held(String group) {
                throw new EngineUnavailableException("away", null);
            }

            @Override
            public void giveBack(String group) {
                throw new AssertionError("not taken here");
            }
        };
        UserConnections users = new UserConnections(away, 2);
        assertThat(users.mayOpen("ann")).isTrue();
        Runnable first = users.open("ann");
        assertThat(users.open("ann")).isNotNull();
        assertThat(users.mayOpen("ann")).isFalse();
        assertThat(users.open("ann")).isNull();
        first.run();
        assertThat(users.open("ann")).isNotNull();
    }
}
