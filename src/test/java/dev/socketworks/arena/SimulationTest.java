package dev.socketworks.arena;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SimulationTest {

    private static final Simulation.Rules RULES = Simulation.Rules.standard(0.05);

    /** A world with a fixed seed and scripted commands: ticks are reproducible, so runs can be compared. */
    private static List<String> run(long seed) {
        Simulation world = new Simulation(RULES, new Random(seed));
        int ann = world.join("Ann");
        int bob = world.join("Bob");
        world.aim(ann, 1, 0);
        world.target(bob, 100, 100);
        List<String> trace = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            world.advance();
            trace.add(world.players().toString());
        }
        return trace;
    }

    @Test
    void theSameSeedAndCommandsGiveTheSameWorld() {
        assertThat(run(7)).isEqualTo(run(7)).isNotEqualTo(run(8));
    }

    @Test
    void aPlayerMovesTowardItsAimAndStopsAtItsTargetInsideTheWorld() {
        Simulation world = new Simulation(RULES, new Random(1));
        int ann = world.join("Ann");
        Simulation.Blob blob = world.blobs().iterator().next();
        blob.x = 1000;
        blob.y = 1000;
        world.aim(ann, 1, 0);
        world.advance();
        double step = blob.x - 1000;
        assertThat(step).as("speed × tick for a starting player").isGreaterThan(0);
        assertThat(blob.y).isEqualTo(1000);
        world.aim(ann, 0.5, 0);
        world.advance();
        assertThat(blob.x - 1000 - step).as("a shorter aim moves slower").isCloseTo(step / 2, org.assertj.core.data.Offset.offset(1e-9));
        world.target(ann, 1010 + 2 * step, 1000);
        for (int i = 0; i < 100; i++) {
            world.advance();
        }
        assertThat(blob.x).as("stopped at the target").isCloseTo(1010 + 2 * step, org.assertj.core.data.Offset.offset(1e-9));
        world.aim(ann, -1, -1);
        for (int i = 0; i < 10_000; i++) {
            world.advance();
        }
        assertThat(blob.x).isZero();
        assertThat(blob.y).isZero();
    }

    @Test
    void largerPlayersAreSlower() {
        Simulation world = new Simulation(RULES, new Random(1));
        int small = world.join("small");
        int large = world.join("large");
        List<Simulation.Blob> blobs = new ArrayList<>(world.blobs());
        blobs.get(1).mass = 100;
        blobs.get(0).x = 500;
        blobs.get(0).y = 500;
        blobs.get(1).x = 2500;
        blobs.get(1).y = 2500;
        world.aim(small, 1, 0);
        world.aim(large, 1, 0);
        world.advance();
        assertThat(blobs.get(1).x - 2500).isLessThan(blobs.get(0).x - 500);
    }

    @Test
    void aPlayerEatsOneAtMostItsMassOverEatRatioThatItCovers() {
        Simulation world = new Simulation(new Simulation.Rules(4000, 4000, 0, 10, 300, 1.25, 2.5, 10, 500, 4, 0.05),
                new Random(1));
        int big = world.join("big");
        int prey = world.join("prey");
        int peer = world.join("peer");
        List<Simulation.Blob> blobs = new ArrayList<>(world.blobs());
        place(blobs.get(0), 1000, 1000, 25);
        place(blobs.get(1), 1005, 1000, 20);   // exactly 25 / 1.25: eatable
        place(blobs.get(2), 3000, 3000, 21);   // far away
        List<Simulation.Eaten> eaten = world.advance();
        assertThat(eaten).containsExactly(new Simulation.Eaten(big, prey));
        assertThat(world.isPlaying(prey)).isFalse();
        assertThat(blobs.get(0).mass).isEqualTo(45);

        place(blobs.get(2), 1003, 1000, 37);   // 45 / 37 < 1.25: neither eats the other
        assertThat(world.advance()).isEmpty();
        assertThat(world.isPlaying(peer)).isTrue();
    }

    private static void place(Simulation.Blob blob, double x, double y, double mass) {
        blob.x = x;
        blob.y = y;
        blob.mass = mass;
    }

    @Test
    void pelletsAreEatenAndRespawnSoTheWorldKeepsItsCount() {
        Simulation world = new Simulation(RULES, new Random(3));
        int ann = world.join("Ann");
        world.aim(ann, 1, 1);
        double massBefore = world.players().get(0).mass();
        for (int i = 0; i < 2000; i++) {
            world.advance();
        }
        assertThat(world.players().get(0).mass()).isGreaterThan(massBefore);
        assertThat(world.view(ann).pellets()).isNotEmpty();
    }

    @Test
    void aViewFilledIntoReusedListsIsTheFreshViewEveryTime() {
        Simulation world = new Simulation(RULES, new Random(7));
        int ann = world.join("Ann");
        int bob = world.join("Bob");
        world.aim(ann, 1, 1);
        List<View.Player> players = new ArrayList<>();
        List<View.Pellet> pellets = new ArrayList<>();
        for (int tick = 0; tick < 200; tick++) {
            world.advance();
            for (int id : new int[] {ann, bob}) {
                assertThat(world.fillView(id, players, pellets)).isTrue();
                View fresh = world.view(id);
                assertThat(players).isEqualTo(fresh.players());
                assertThat(pellets).isEqualTo(fresh.pellets());
            }
        }
    }

    @Test
    void aPlayerSeesOnlyWhatIsInItsViewAndLargerPlayersSeeFurther() {
        Simulation world = new Simulation(RULES, new Random(5));
        int ann = world.join("Ann");
        int far = world.join("far");
        List<Simulation.Blob> blobs = new ArrayList<>(world.blobs());
        place(blobs.get(0), 1000, 1000, 10);
        place(blobs.get(1), 1700, 1000, 10);
        assertThat(world.view(ann).players()).extracting(View.Player::id).containsExactly(ann);
        blobs.get(0).mass = 400; // radius 80: sees 500 + 4 × 80 = 820 units each way
        assertThat(world.view(ann).players()).extracting(View.Player::id).containsExactlyInAnyOrder(ann, far);
        assertThat(world.view(ann).pellets()).allMatch(p -> Math.abs(p.x() - 1000) <= 820 && Math.abs(p.y() - 1000) <= 820);
    }

    @Test
    void whoHearsASayIsExactlyWhoSeesTheSpeakerFoundOnTheGrid() {
        Simulation world = new Simulation(RULES, new Random(5));
        Random random = new Random(6);
        for (int i = 0; i < 300; i++) {
            world.join("p" + i);
        }
        for (Simulation.Blob blob : world.blobs()) {
            blob.mass = 10 + random.nextInt(random.nextInt(10) == 0 ? 3000 : 100); // a few large ones see far
        }
        world.advance();
        for (Simulation.Blob speaker : world.blobs()) {
            java.util.Set<Integer> hearers = new java.util.TreeSet<>();
            world.forEachViewerOf(speaker.id, hearers::add);
            java.util.Set<Integer> seeing = new java.util.TreeSet<>();
            for (Simulation.Blob viewer : world.blobs()) {
                if (world.view(viewer.id).players().stream().anyMatch(p -> p.id() == speaker.id)) {
                    seeing.add(viewer.id);
                }
            }
            assertThat(hearers).as("hearers of %d", speaker.id).isEqualTo(seeing).contains(speaker.id);
        }
    }
}
