package dev.socketworks.arena;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class DeltaEncoderTest {

    /** What a client keeps: it knows only the frames it was sent. */
    private static final class ClientState {
        final Map<Integer, View.Player> players = new TreeMap<>();
        final Map<Integer, View.Pellet> pellets = new TreeMap<>();

        void apply(Frame frame) {
            if (frame instanceof Frame.Snapshot snapshot) {
                players.clear();
                pellets.clear();
                snapshot.players().forEach(p -> players.put(p.id(), p));
                snapshot.pellets().forEach(p -> pellets.put(p.id(), p));
            } else if (frame instanceof Frame.Delta delta) {
                delta.removed().forEach(id -> {
                    players.remove(id);
                    pellets.remove(id);
                });
                delta.addedPlayers().forEach(p -> players.put(p.id(), p));
                delta.addedPellets().forEach(p -> pellets.put(p.id(), p));
                for (View.Player m : delta.moved()) {
                    View.Player known = players.get(m.id());
                    assertThat(known).as("moved before it was added: %s", m).isNotNull();
                    players.put(m.id(), new View.Player(m.id(), known.name(), m.x(), m.y(), m.r(), known.mass()));
                }
            }
        }

        /** Equal to the view on everything the client is sent (mass is not sent). */
        void assertShows(View view) {
            Map<Integer, String> expected = new TreeMap<>();
            view.players().forEach(p -> expected.put(p.id(), p.name() + "@" + p.x() + "," + p.y() + "r" + p.r()));
            Map<Integer, String> shown = new TreeMap<>();
            players.values().forEach(p -> shown.put(p.id(), p.name() + "@" + p.x() + "," + p.y() + "r" + p.r()));
            assertThat(shown).as("players at tick %d", view.tick()).isEqualTo(expected);
            assertThat(pellets.values()).as("pellets at tick %d", view.tick()).containsExactlyInAnyOrderElementsOf(view.pellets());
        }
    }

    /**
     * Thousands of random ticks, 40 players steering at random (some eaten and joining again): what
     * each observed client rebuilds from its snapshot and deltas equals the server's view of it, at
     * every tick.
     */
    @Test
    void whatAClientRebuildsFromSnapshotAndDeltasIsWhatTheServerSees() {
        Random random = new Random(42);
        Simulation world = new Simulation(Simulation.Rules.standard(0.05), random);
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(world.join("p" + i));
        }
        Map<Integer, DeltaEncoder> encoders = new HashMap<>();
        Map<Integer, ClientState> clients = new HashMap<>();
        int deltas = 0;
        for (int tick = 0; tick < 3000; tick++) {
            for (int i = 0; i < ids.size(); i++) {
                int id = ids.get(i);
                if (!world.isPlaying(id)) {
                    ids.set(i, id = world.join("again" + tick)); // eaten: joins again, a new player
                }
                if (random.nextInt(10) == 0) {
                    world.aim(id, random.nextDouble() * 2 - 1, random.nextDouble() * 2 - 1);
                }
            }
            world.advance();
            for (int observed = 0; observed < 5; observed++) {
                int id = ids.get(observed);
                View view = world.view(id);
                if (view == null) {
                    encoders.remove(id); // eaten this tick
                    continue;
                }
                ClientState client = clients.computeIfAbsent(id, x -> new ClientState());
                DeltaEncoder encoder = encoders.get(id);
                if (encoder == null) {
                    encoder = new DeltaEncoder();
                    encoders.put(id, encoder);
                    client.apply(encoder.snapshot(view));
                } else {
                    Frame.Delta delta = encoder.delta(view);
                    if (delta != null) {
                        deltas++;
                        client.apply(delta);
                    }
                }
                client.assertShows(view);
            }
        }
        assertThat(deltas).as("the observers saw a moving world").isGreaterThan(1000);
    }

    @Test
    void nothingChangedMeansNothingSent() {
        Simulation world = new Simulation(Simulation.Rules.standard(0.05), new Random(1));
        int ann = world.join("Ann");
        DeltaEncoder encoder = new DeltaEncoder();
        encoder.snapshot(world.view(ann));
        world.advance(); // Ann has no aim: she stays, and so do the pellets she sees
        assertThat(encoder.delta(world.view(ann))).isNull();
        world.aim(ann, 1, 0);
        world.advance();
        Frame.Delta delta = encoder.delta(world.view(ann));
        assertThat(delta.moved()).extracting(View.Player::id).contains(ann);
    }
}
