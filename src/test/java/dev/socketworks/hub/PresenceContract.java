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

/** What every engine must do for the presence role ({@link Presence}): unique keys, changes announced on the log, the list to the one who entered, a user's one entry. Each engine's test runs it (memory, Redis, Redis Cluster). */
public abstract class PresenceContract extends EngineContract {

    private static final Retention KEEP_100 = new Retention(100, Long.MAX_VALUE);
    @Test
    void presenceIsUniqueByKeyAndEachChangeIsPublishedAloneWhileTheEntererGetsTheMembers() {
        Recorder r = new Recorder();
        hub.subscribe("room", r);
        Member ann = new Member("ann", "Ann", hub.node(), null);
        Member bob = new Member("bob", "Bob", hub.node(), null);

        OptionalLong annIn = hub.enter("room", ann, "ann joined");
        assertThat(hub.enter("room", new Member("ann", "ANN", hub.node(), null), "again")).isEmpty();
        OptionalLong bobIn = hub.enter("room", bob, "bob joined");
        assertThat(hub.members("room")).containsExactly(ann, bob);
        OptionalLong annOut = hub.leave("room", "ann", "ann left");
        assertThat(hub.leave("room", "ann", "ann left twice")).isEmpty();

        assertThat(annIn).isPresent();
        assertThat(List.of(bobIn.getAsLong(), annOut.getAsLong())).containsExactly(annIn.getAsLong() + 1, annIn.getAsLong() + 2);
        List<Message> seen = r.await(3);
        assertThat(seen).extracting(Message::text).containsExactly("ann joined", "bob joined", "ann left");
        assertThat(hub.history("room", Long.MIN_VALUE, 10).messages()).as("presence changes are not history").isEmpty();
        assertThat(hub.members("room")).containsExactly(bob);
    }

    /**
     * A subscriber that does not receive presence (a room's member: one relay per server takes the
     * changes for all) gets every other publication in order and no change; the relay gets the
     * changes. The enterer learns the offset its list is as of.
     */
    @Test
    void aSubscriberThatDoesNotReceivePresenceGetsEverythingElseAndTheEntererLearnsWhatItsListIsAsOf() {
        Recorder member = new Recorder() {
            @Override
            public boolean receivesPresence() {
                return false;
            }
        };
        Recorder relay = new Recorder();
        hub.subscribe("quiet", relay);
        hub.subscribe("quiet", member);
        hub.publish("quiet", "before", KEEP_100);
        Hub.Entered ann = hub.enter("quiet", new Member("ann", "Ann", hub.node(), "u-ann"), "ann joined", 10).orElseThrow();
        long said = hub.publish("quiet", "after", KEEP_100);
        hub.leave("quiet", "ann", "ann left");
        long last = hub.publish("quiet", "last", KEEP_100);

        assertThat(ann.asOf()).as("an announced entry's list is as of its announcement").isEqualTo(ann.offset());
        assertThat(relay.await(5)).extracting(Message::text).containsExactly("before", "ann joined", "after", "ann left", "last");
        assertThat(member.await(3)).extracting(Message::text).containsExactly("before", "after", "last");
        assertThat(member.all()).hasSize(3);

        Hub.Entered again = hub.enter("quiet", new Member("ann2", "Ann", hub.node(), "u-ann"), "ann joined", 10).orElseThrow();
        Hub.Entered shared = hub.enter("quiet", new Member("ann3", "Ann", hub.node(), "u-ann"), "not announced", 10).orElseThrow();
        assertThat(shared.offset()).isEqualTo(Hub.NOT_ANNOUNCED);
        assertThat(shared.asOf()).as("a shared entry's list is as of the topic's last offset").isEqualTo(again.offset());
        assertThat(again.offset()).isGreaterThan(last).isGreaterThan(said);
    }

    /** The list goes to the one who entered, as of its entry, and at most listMax of it: a join is O(listMax), not O(room). */
    @Test
    void theEntererGetsTheMembersAsOfItsEntryAndAtMostListMaxOfThem() {
        for (int i = 0; i < 5; i++) {
            assertThat(hub.enter("crowd", new Member("m" + i, "M" + i, hub.node(), null), "m" + i + " joined", 3)).isPresent();
        }
        Hub.Entered sixth = hub.enter("crowd", new Member("m5", "M5", hub.node(), null), "m5 joined", 3).orElseThrow();
        assertThat(sixth.count()).isEqualTo(6);
        assertThat(sixth.members()).extracting(Member::key).containsExactly("m0", "m1", "m2");
        assertThat(sixth.member().name()).isEqualTo("M5");
        assertThat(sixth.offset()).isEqualTo(hub.leave("crowd", "m5", "m5 left").getAsLong() - 1);

        Hub.Entered unlisted = hub.enter("crowd", new Member("m6", "M6", hub.node(), null), "m6 joined", 0).orElseThrow();
        assertThat(unlisted.members()).isEmpty();
        assertThat(unlisted.count()).isEqualTo(6);
    }

    /** A user's second connection finds its entry whatever name it asks for: one user, one entry. */
    @Test
    void aUsersConnectionFindsItsEntryUnderTheNameItHoldsWhateverItAsks() {
        Member ann = new Member("ann (2)", "Ann (2)", hub.node(), "user-2");
        assertThat(hub.enter("names", ann, "ann (2) joined")).isPresent();
        Hub.Entered again = hub.enter("names", new Member("ann", "Ann", hub.node(), "user-2"), "again", 10).orElseThrow();
        assertThat(again.offset()).isEqualTo(Hub.NOT_ANNOUNCED);
        assertThat(again.member()).isEqualTo(ann);
        assertThat(again.members()).containsExactly(ann);
        assertThat(hub.members("names")).containsExactly(ann);
        assertThat(hub.leave("names", "ann (2)", "one tab left")).hasValue(Hub.NOT_ANNOUNCED);
        assertThat(hub.leave("names", "ann (2)", "ann (2) left")).isPresent();
        assertThat(hub.enter("names", new Member("ann", "Ann", hub.node(), "user-2"), "back as Ann", 10).orElseThrow().member().name())
                .as("once gone, the user enters under the name it asks").isEqualTo("Ann");
    }

    @Test
    void aUsersConnectionsShareOneEntryWhichLeavesWithTheLast() {
        Recorder r = new Recorder();
        hub.subscribe("shared", r);
        Member ann = new Member("ann", "Ann", hub.node(), "user-1");

        OptionalLong in = hub.enter("shared", ann, "ann joined");
        assertThat(in).isPresent();
        assertThat(in.getAsLong()).isNotEqualTo(Hub.NOT_ANNOUNCED);
        assertThat(hub.enter("shared", new Member("ann", "Ann", hub.node(), "user-1"), "second tab"))
                .as("the same user holds the entry once more").hasValue(Hub.NOT_ANNOUNCED);
        assertThat(hub.enter("shared", new Member("ann", "Ann", hub.node(), "user-2"), "another user")).isEmpty();
        assertThat(hub.enter("shared", new Member("ann", "Ann", hub.node(), null), "a guest")).isEmpty();
        assertThat(hub.members("shared")).containsExactly(ann);

        assertThat(hub.leave("shared", "ann", "first tab left")).hasValue(Hub.NOT_ANNOUNCED);
        assertThat(hub.members("shared")).as("listed while a connection remains").containsExactly(ann);
        OptionalLong out = hub.leave("shared", "ann", "ann left");
        assertThat(out).isPresent();
        assertThat(out.getAsLong()).isEqualTo(in.getAsLong() + 1);
        assertThat(hub.leave("shared", "ann", "again")).isEmpty();
        assertThat(hub.members("shared")).isEmpty();
        assertThat(r.await(2)).extracting(Message::text).containsExactly("ann joined", "ann left");

        Member guest = new Member("bob", "Bob", hub.node(), null);
        hub.enter("shared", guest, "bob joined");
        assertThat(hub.enter("shared", guest, "bob again")).as("a guest's entry is its connection's alone").isEmpty();
        assertThat(hub.leave("shared", "bob", "bob left")).isPresent();
        assertThat(hub.members("shared")).isEmpty();
    }

    @Test
    void presenceAndPublicationsShareOneOffsetSequence() {
        long said = hub.publish("room", "hello", KEEP_100);
        long entered = hub.enter("room", new Member("k", "K", hub.node(), null), "joined").getAsLong();
        assertThat(entered).isEqualTo(said + 1);
        assertThat(hub.publish("room", "bye", KEEP_100)).isEqualTo(said + 2);
    }

}
