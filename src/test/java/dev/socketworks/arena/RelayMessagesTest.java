package dev.socketworks.arena;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The arena's relay messages are typed JSON: what one server writes the other reads back as written, and what is not one is skipped. */
class RelayMessagesTest {

    @Test
    void eachMessageReadsBackAsWritten() {
        assertThat(RelayMessages.read(RelayMessages.commands("n1#a/7", "join Ann\ntarget 5 9"), RelayMessages.ToRunner.class))
                .isEqualTo(new RelayMessages.ToRunner(RelayMessages.Kind.COMMANDS, "n1#a/7", "join Ann\ntarget 5 9"));
        assertThat(RelayMessages.read(RelayMessages.attach("n1#a/7"), RelayMessages.ToRunner.class).kind()).isEqualTo(RelayMessages.Kind.ATTACH);
        assertThat(RelayMessages.read(RelayMessages.owner("n2#b", true), RelayMessages.Owner.class))
                .isEqualTo(new RelayMessages.Owner(true, "n2#b"));
        // A frame is a JSON message with tabs and newlines in its strings: carried as it was, whatever it holds.
        List<RelayMessages.Frame> frames = List.of(new RelayMessages.Frame("n1#a/7", "{\"type\":\"say\",\"text\":\"a\\tb\\nc\"}"),
                new RelayMessages.Frame("n1#a/8", "{\"type\":\"delta\"}"));
        assertThat(RelayMessages.read(RelayMessages.frames(frames), RelayMessages.Frames.class).frames()).isEqualTo(frames);
    }

    @Test
    void whatIsNotARelayMessageIsSkipped() {
        assertThat(RelayMessages.read("attach n1#a/7", RelayMessages.ToRunner.class)).as("the old text format").isNull();
        assertThat(RelayMessages.read("{\"kind\":\"EXPLODE\"}", RelayMessages.ToRunner.class)).isNull();
        assertThat(RelayMessages.read(null, RelayMessages.Frames.class)).isNull();
    }
}
