package dev.socketworks.arena;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * One client's side of state replication: remembers what the client was sent, and turns each new
 * view into what changed since (or nothing, when nothing it can see changed). Pellets do not move,
 * so only their arrival and departure are sent; players carry their name once, on arrival.
 *
 * <p>It runs for every player every tick (at 500 players, hashing and sorting objects here took half
 * of the tick), so what the client has is kept in primitive arrays sorted by id, a new view is put in
 * id order by sorting primitive keys (id in the high half, place in the view in the low half), and
 * the two are compared by merging. The arrays are two sets used in turn, grown when needed, so a
 * tick allocates little here (allocation is what the collector's pauses, and so the tick's p99, pay).
 */
final class DeltaEncoder {

    /** What the client has: {@code count} players and {@code pelletCount} pellets, sorted by id. */
    private static final class Known {
        int count;
        int[] ids = new int[16];
        int[] xs = new int[16];
        int[] ys = new int[16];
        int[] rs = new int[16];
        int pelletCount;
        int[] pelletIds = new int[64];

        void ensure(int players, int pellets) {
            if (ids.length < players) {
                int size = Math.max(players, ids.length * 2);
                ids = new int[size];
                xs = new int[size];
                ys = new int[size];
                rs = new int[size];
            }
            if (pelletIds.length < pellets) {
                pelletIds = new int[Math.max(pellets, pelletIds.length * 2)];
            }
        }
    }

    private Known known = new Known();
    private Known next = new Known();
    private long[] keys = new long[64];

    /** The whole view; what the client has is now exactly this. */
    Frame.Snapshot snapshot(View view) {
        remember(view.players(), view.pellets());
        return new Frame.Snapshot(view.tick(), view.you(), view.players(), view.pellets());
    }

    private void remember(List<View.Player> players, List<View.Pellet> pellets) {
        known.ensure(players.size(), pellets.size());
        int n = inIdOrder(players, View.Player::id);
        for (int j = 0; j < n; j++) {
            View.Player p = players.get((int) keys[j]);
            known.ids[j] = p.id();
            known.xs[j] = p.x();
            known.ys[j] = p.y();
            known.rs[j] = p.r();
        }
        known.count = n;
        int m = inIdOrder(pellets, View.Pellet::id);
        for (int j = 0; j < m; j++) {
            known.pelletIds[j] = (int) (keys[j] >>> 32);
        }
        known.pelletCount = m;
    }

    // The lists a delta is made of, refilled by each call (see delta()).
    private final List<View.Player> addedPlayers = new ArrayList<>();
    private final List<View.Player> moved = new ArrayList<>();
    private final IntList removed = new IntList();
    private final List<View.Pellet> addedPellets = new ArrayList<>();
    private final Frame.Delta changes = new Frame.Delta(addedPlayers, addedPellets, moved, removed);

    Frame.Delta delta(View view) {
        return delta(view.players(), view.pellets());
    }

    /**
     * What changed since the last frame, given what the client's view holds now, or null when nothing
     * it sees did. The delta is this encoder's one, its lists refilled by each call: render it before
     * asking again (the tick does, at once), so that a tick makes no delta or list for any player.
     */
    Frame.Delta delta(List<View.Player> players, List<View.Pellet> pellets) {
        next.ensure(players.size(), pellets.size());
        addedPlayers.clear();
        moved.clear();
        removed.clear();
        addedPellets.clear();

        int n = inIdOrder(players, View.Player::id);
        int before = 0;
        for (int j = 0; j < n; j++) {
            View.Player now = players.get((int) keys[j]);
            next.ids[j] = now.id();
            next.xs[j] = now.x();
            next.ys[j] = now.y();
            next.rs[j] = now.r();
            while (before < known.count && known.ids[before] < now.id()) {
                removed.add(known.ids[before++]);
            }
            if (before < known.count && known.ids[before] == now.id()) {
                if (known.xs[before] != now.x() || known.ys[before] != now.y() || known.rs[before] != now.r()) {
                    moved.add(now);
                }
                before++;
            } else {
                addedPlayers.add(now);
            }
        }
        while (before < known.count) {
            removed.add(known.ids[before++]);
        }
        next.count = n;

        int m = inIdOrder(pellets, View.Pellet::id);
        before = 0;
        for (int j = 0; j < m; j++) {
            int id = (int) (keys[j] >>> 32);
            next.pelletIds[j] = id;
            while (before < known.pelletCount && known.pelletIds[before] < id) {
                removed.add(known.pelletIds[before++]);
            }
            if (before < known.pelletCount && known.pelletIds[before] == id) {
                before++;
            } else {
                addedPellets.add(pellets.get((int) keys[j]));
            }
        }
        while (before < known.pelletCount) {
            removed.add(known.pelletIds[before++]);
        }
        next.pelletCount = m;

        Known was = known;
        known = next;
        next = was;
        if (addedPlayers.isEmpty() && addedPellets.isEmpty() && moved.isEmpty() && removed.isEmpty()) {
            return null;
        }
        removed.sort();
        return changes;
    }

    /**
     * Fills {@code keys} so that they sort into id order, and sorts them. The id comes through a method
     * reference ({@code View.Player::id}): it captures nothing, so it is made once, where a lambda
     * capturing the list was made twice per player per tick.
     */
    private <T> int inIdOrder(List<T> items, ToIntFunction<T> id) {
        int size = items.size();
        growKeys(size);
        for (int i = 0; i < size; i++) {
            keys[i] = key(id.applyAsInt(items.get(i)), i);
        }
        Arrays.sort(keys, 0, size);
        return size;
    }

    /** A key that sorts into id order: the id (ids are positive ints) above, the place in the view below. */
    private static long key(int id, int place) {
        return ((long) id << 32) | place;
    }

    private void growKeys(int size) {
        if (keys.length < size) {
            keys = new long[Math.max(size, keys.length * 2)];
        }
    }
}
