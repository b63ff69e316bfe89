package dev.socketworks.inbound;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class FairBudgetTest {

    private final AtomicLong now = new AtomicLong();
    private final FairBudget budget = new FairBudget(300, 1 << 20, now::get);

    @Test
    void theFairShareMeetsSmallDemandsAndSplitsTheRest() {
        assertThat(FairBudget.fairShare(new long[]{10, 10, 90, 90, 90}, 200)).isEqualTo(60); // 180 left for three
        assertThat(FairBudget.fairShare(new long[]{10, 20}, 300)).as("all fits: the largest").isEqualTo(150);
        assertThat(FairBudget.fairShare(new long[]{}, 300)).isEqualTo(300);
        assertThat(FairBudget.fairShare(new long[]{1000}, 300)).isEqualTo(300);
        assertThat(FairBudget.fairShare(new long[]{0, 0, 0}, 2)).as("never zero").isEqualTo(1);
    }

    @Test
    void withinTheBudgetNothingIsRefused() {
        FairBudget.Share one = budget.join();
        FairBudget.Share two = budget.join();
        for (int i = 0; i < 150; i++) {
            assertThat(budget.take(one, 10)).isTrue();
            assertThat(budget.take(two, 10)).isTrue();
        }
    }

    /**
     * Twenty connections from one address at 90 messages a second each (they got a 100-member room cut),
     * ten quiet members behind the same NAT at 10 a second: the members lose nothing, the flooders get
     * what the budget leaves (first come while it lasts, then their share), and the address stays near
     * its budget.
     */
    @Test
    void aFloodFromManyConnectionsOfOneAddressCostsOnlyTheFlooders() {
        List<FairBudget.Share> flooders = new ArrayList<>();
        List<FairBudget.Share> members = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            flooders.add(budget.join());
        }
        for (int i = 0; i < 10; i++) {
            members.add(budget.join());
        }
        long membersRefused = 0;
        long floodersTaken = 0;
        for (int second = 0; second < 5; second++) {
            long taken = 0;
            for (int tick = 0; tick < 90; tick++) { // interleaved within the second, as they would arrive
                now.addAndGet(1_000_000_000L / 90);
                for (FairBudget.Share flooder : flooders) {
                    if (budget.take(flooder, 100)) {
                        taken++;
                        floodersTaken += second == 4 ? 1 : 0;
                    }
                }
                if (tick % 9 == 0) {
                    for (FairBudget.Share member : members) {
                        if (budget.take(member, 100)) {
                            taken++;
                        } else {
                            membersRefused++;
                        }
                    }
                }
            }
            if (second > 0) {
                assertThat(taken).as("second %d: near the budget", second).isLessThanOrEqualTo(300 + 100);
            }
        }
        assertThat(membersRefused).as("quiet members behind the flooders' address").isZero();
        assertThat(floodersTaken).as("the flooders get what the budget has left, not 20 × 90 = 1,800 a second")
                .isBetween(150L, 300L);
    }

    @Test
    void bytesAreSharedTheSameWay() {
        FairBudget small = new FairBudget(1_000_000, 10_000, now::get);
        FairBudget.Share filler = small.join();
        FairBudget.Share member = small.join();
        int filled = 0;
        for (int i = 0; i < 100; i++) {
            filled += small.take(filler, 1000) ? 1 : 0;
        }
        assertThat(filled).as("10,000 bytes a second in 1,000-byte messages").isEqualTo(10);
        now.addAndGet(1_000_000_000L);
        assertThat(small.take(member, 100)).isTrue();
        assertThat(small.leave(filler)).isFalse();
        assertThat(small.leave(member)).isTrue();
    }

    @Test
    void twiceTheBudgetForThreeSecondsRunningIsAFloodNotABurst() {
        FairBudget.Share filler = budget.join();
        for (int second = 0; second < 3; second++) {
            assertThat(budget.flooded()).as("second %d", second).isFalse();
            for (int i = 0; i < 600; i++) {
                FairBudget.Share once = budget.join(); // a new connection for every message: each a fresh share
                budget.take(once, 10);
                budget.leave(once);
            }
            now.addAndGet(1_000_000_000L);
        }
        budget.take(filler, 10);
        assertThat(budget.flooded()).as("after three seconds of twice the budget").isTrue();
        now.addAndGet(1_000_000_000L);
        budget.take(filler, 10);
        assertThat(budget.flooded()).as("a quiet second ends it").isFalse();
    }

    /**
     * A flooder held to its share gets it spread through the second, not as one burst at its start
     * (in a chat room, a burst of deliveries to every member that the others' messages queue behind),
     * while a quiet sender beside it is neither refused nor paced.
     */
    @Test
    void aSenderOverItsShareIsPacedThroughTheSecond() {
        FairBudget.Share flooder = budget.join();
        FairBudget.Share quiet = budget.join();
        for (int second = 0; second < 3; second++) {
            long takenInFirstTenth = 0;
            long taken = 0;
            for (int tick = 0; tick < 1000; tick++) { // the flooder asks 1,000 times a second, evenly
                if (budget.take(flooder, 10)) {
                    taken++;
                    takenInFirstTenth += tick < 100 ? 1 : 0;
                }
                if (tick % 100 == 0) {
                    assertThat(budget.take(quiet, 10)).as("second %d, tick %d: the quiet sender", second, tick).isTrue();
                }
                now.addAndGet(1_000_000L);
            }
            if (second > 0) {
                // Its share is 300 - 10 = 290: a twentieth at once, then 29 per tenth of a second.
                assertThat(takenInFirstTenth).as("second %d: the first tenth", second).isBetween(29L, 29L + 15L);
                assertThat(taken).as("second %d: its whole share, over the second", second).isBetween(270L, 290L);
            }
        }
    }

    /**
     * A chat room's budget paces every speaker from its first message: a flooder reconnecting into a
     * quiet second used to take what was left of the whole second at once (110 messages in 200 ms, a
     * burst of deliveries to every member that a round of the others' messages waited 100 ms behind).
     * People talking are never refused, a few lines in a row included. The room lets a burst through
     * that costs its members about a thousand deliveries: nine lines among 112 members.
     */
    @Test
    void aRoomPacesEverySpeakerFromItsFirstMessage() {
        FairBudget room = FairBudget.alwaysPaced(150, Long.MAX_VALUE / 4, now::get);
        long burst = 1000 / 112;
        List<FairBudget.Share> speakers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            speakers.add(room.join());
        }
        for (int tick = 0; tick < 25; tick++) { // two and a half seconds of ten speakers at 10 a second each
            for (FairBudget.Share speaker : speakers) {
                assertThat(room.take(speaker, 1, burst)).as("tick %d", tick).isTrue();
            }
            now.addAndGet(100_000_000L);
        }
        FairBudget.Share flooder = room.join();
        long taken = 0;
        for (int i = 0; i < 1000; i++) { // 1,000 messages in 10 ms, half a second into the window
            taken += room.take(flooder, 1, burst) ? 1 : 0;
            now.addAndGet(10_000L);
        }
        // Unpaced, it took the 100 the second had left.
        assertThat(taken).as("the flooder's first 10 ms: its burst").isEqualTo(burst);
        for (int i = 0; i < 5; i++) {
            assertThat(room.take(speakers.get(0), 1, burst)).as("a speaker's line %d of five in a row", i).isTrue();
        }
        long flooded = 0;
        for (int tick = 0; tick < 30; tick++) { // three more seconds: the flooder asks 1,000 a second
            for (int i = 0; i < 100; i++) {
                flooded += room.take(flooder, 1, burst) ? 1 : 0;
                now.addAndGet(1_000_000L);
            }
            for (FairBudget.Share speaker : speakers) {
                assertThat(room.take(speaker, 1, burst)).as("tick %d beside the flooder", tick).isTrue();
            }
        }
        assertThat(flooded).as("about what the speakers leave of 150 a second, over three seconds").isBetween(100L, 200L);
    }

    /** In a room of two, someone pasting fifty lines gets them all through: a burst costs two deliveries each. */
    @Test
    void aSmallRoomTakesALongBurst() {
        FairBudget room = FairBudget.alwaysPaced(150, Long.MAX_VALUE / 4, now::get);
        FairBudget.Share paster = room.join();
        for (int i = 0; i < 51; i++) {
            assertThat(room.take(paster, 1, 1000 / 2)).as("line %d", i).isTrue();
        }
    }
}
