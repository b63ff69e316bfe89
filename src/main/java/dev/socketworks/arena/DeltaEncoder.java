package dev.socketworks.arena;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One client's side of state replication: remembers what the client was sent, and turns each new
 * view into what changed since (or nothing, when nothing it can see changed). Pellets do not move,
 * so only their arrival and departure are sent; players carry their name once, on arrival.
 */
final class DeltaEncoder {

    private final Map<Integer, View.Player> players = new HashMap<>();
    private final Set<Integer> pellets = new HashSet<>();

    /** The whole view; what the client has is now exactly this. */
    Frame.Snapshot snapshot(View view) {
        players.clear();
        pellets.clear();
        view.players().forEach(p -> players.put(p.id(), p));
        view.pellets().forEach(p -> pellets.add(p.id()));
        return new Frame.Snapshot(view.tick(), view.you(), view.players(), view.pellets());
    }

    /** What changed since the last frame, or null when nothing the client sees did. */
    Frame.Delta delta(View view) {
        List<View.Player> addedPlayers = new ArrayList<>();
        List<Frame.Moved> moved = new ArrayList<>();
        Set<Integer> stillSeen = new HashSet<>();
        for (View.Player now : view.players()) {
            stillSeen.add(now.id());
            View.Player before = players.put(now.id(), now);
            if (before == null) {
                addedPlayers.add(now);
            } else if (before.x() != now.x() || before.y() != now.y() || before.r() != now.r()) {
                moved.add(new Frame.Moved(now.id(), now.x(), now.y(), now.r()));
            }
        }
        List<Integer> removed = new ArrayList<>();
        players.keySet().removeIf(id -> {
            if (!stillSeen.contains(id)) {
                removed.add(id);
                return true;
            }
            return false;
        });
        List<View.Pellet> addedPellets = new ArrayList<>();
        Set<Integer> pelletsSeen = new HashSet<>();
        for (View.Pellet pellet : view.pellets()) {
            pelletsSeen.add(pellet.id());
            if (pellets.add(pellet.id())) {
                addedPellets.add(pellet);
            }
        }
        pellets.removeIf(id -> {
            if (!pelletsSeen.contains(id)) {
                removed.add(id);
                return true;
            }
            return false;
        });
        if (addedPlayers.isEmpty() && addedPellets.isEmpty() && moved.isEmpty() && removed.isEmpty()) {
            return null;
        }
        removed.sort(Integer::compare);
        return new Frame.Delta(view.tick(), addedPlayers, addedPellets, moved, removed);
    }
}
