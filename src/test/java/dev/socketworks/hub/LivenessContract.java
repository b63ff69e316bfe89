package dev.socketworks.hub;

import dev.socketworks.testing.Poll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every engine must do for server liveness ({@link Liveness}): this server is alive; a server
 * nobody knows is not; where servers share the engine, each sees the others alive while they run and
 * dead once one has closed. In one server's memory there is no other server.
 */
public abstract class LivenessContract extends EngineContract {

    @Test
    void thisServerIsAliveAndOneNobodyKnowsIsNot() {
        assertThat(hub.isAlive(hub.node())).isTrue();
        assertThat(hub.isAlive("nobody#0")).isFalse();
        assertThat(hub.servers()).first().isEqualTo(hub.node());
    }

    @Test
    void serversSharingTheEngineSeeEachOtherAliveUntilOneCloses() throws Exception {
        String prefix = "t" + UUID.randomUUID() + ":";
        Hub first = open("first", prefix);
        Hub second = open("second", prefix);
        if (!first.shared()) {
            assertThat(first.isAlive(second.node())).as("alone in memory: another hub is another world").isFalse();
            assertThat(first.servers()).containsExactly(first.node());
            return;
        }
        String secondNode = second.node();
        assertThat(first.isAlive(secondNode)).isTrue();
        assertThat(first.servers()).as("this server first, then the others").startsWith(first.node()).contains(secondNode)
                .doesNotHaveDuplicates();
        assertThat(second.servers()).startsWith(secondNode).contains(first.node());
        assertThat(second.isAlive(first.node())).isTrue();
        second.close(); // its goodbye: dead for the others at once, not after nodeDeadAfterMs
        Poll.until(Duration.ofSeconds(5), "the closed server is dead for the other", () -> !first.isAlive(secondNode));
        assertThat(first.servers()).doesNotContain(secondNode).startsWith(first.node());
        assertThat(first.isAlive(first.node())).isTrue();
    }
}
