package dev.socketworks.arena;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * The arena's world, advanced one tick at a time: players are circles moving toward their aim at a
 * speed that falls with their size; they grow by eating pellets (which respawn) and players they
 * cover that are at most 1 / {@code eatRatio} of their mass. Pure and single-threaded: given the
 * same random source and the same commands, the same ticks (players and pellets are visited in id
 * order), so it is unit-testable without a clock. The caller serialises access.
 */
public final class Simulation {

    /**
     * @param width         the world rectangle's width, in world units
     * @param height        and its height
     * @param pellets       how many pellets the world keeps
     * @param startMass     a joining player's mass
     * @param speed         world units per second of a player of mass 1; it falls with the square root of the radius
     * @param eatRatio      an eater needs at least this times its prey's mass (the talk's Agar.io: 1.25)
     * @param boostFactor   speed multiplier while boosting, for {@code boostTicks} ticks, costing a tenth of the mass
     * @param viewBase      half the side of what a player of radius 0 sees
     * @param viewPerRadius what that half side grows by per unit of radius
     * @param tickSeconds   the simulated time of one tick
     */
    public record Rules(double width, double height, int pellets, double startMass, double speed, double eatRatio,
                        double boostFactor, int boostTicks, double viewBase, double viewPerRadius, double tickSeconds) {

        public static Rules standard(double tickSeconds) {
            return standard(tickSeconds, 4000);
        }

        /** A square world of side {@code size}, with pellets as dense as in the standard 4000 × 4000 world of 1000. */
        public static Rules standard(double tickSeconds, int size) {
            int pellets = (int) Math.max(20, Math.round(1000.0 * size * size / (4000.0 * 4000.0)));
            return new Rules(size, size, pellets, 10, 300, 1.25, 2.5, 10, 500, 4, tickSeconds);
        }
    }

    /** A player as the world holds it. */
    static final class Blob {
        final int id;
        final String name;
        double x;
        double y;
        double mass;
        double aimX; // a direction, at most of length 1
        double aimY;
        boolean targeting;
        double targetX;
        double targetY;
        int boostLeft;

        Blob(int id, String name, double x, double y, double mass) {
            this.id = id;
            this.name = name;
            this.x = x;
            this.y = y;
            this.mass = mass;
        }

        double radius() {
            return Simulation.radius(mass);
        }
    }

    /** A pellet: one unit of mass. */
    record Pellet(int id, double x, double y) {
    }

    /** Who ate whom during a tick. */
    public record Eaten(int eater, int eaten) {
    }

    private final Rules rules;
    private final RandomGenerator random;
    private final TreeMap<Integer, Blob> players = new TreeMap<>();
    private final TreeMap<Integer, Pellet> pellets = new TreeMap<>();
    private int nextId = 1;
    private long tick;

    public Simulation(Rules rules, RandomGenerator random) {
        this.rules = rules;
        this.random = random;
        while (pellets.size() < rules.pellets()) {
            spawnPellet();
        }
    }

    /** A circle's radius for its mass: area grows with mass. */
    public static double radius(double mass) {
        return 4 * Math.sqrt(mass);
    }

    public Rules rules() {
        return rules;
    }

    public long tick() {
        return tick;
    }

    /** Adds a player at a random place; its id. */
    public int join(String name) {
        int id = nextId++;
        players.put(id, new Blob(id, name, random.nextDouble() * rules.width(), random.nextDouble() * rules.height(),
                rules.startMass()));
        return id;
    }

    public boolean isPlaying(int id) {
        return players.containsKey(id);
    }

    public void leave(int id) {
        players.remove(id);
    }

    public int playerCount() {
        return players.size();
    }

    /** Moves toward a direction (shortened to length 1 if longer; 0, 0 stops). */
    public void aim(int id, double dx, double dy) {
        Blob blob = players.get(id);
        if (blob == null) {
            return;
        }
        double length = Math.hypot(dx, dy);
        blob.aimX = length > 1 ? dx / length : dx;
        blob.aimY = length > 1 ? dy / length : dy;
        blob.targeting = false;
    }

    /** Moves toward a point of the world, stopping there. */
    public void target(int id, double x, double y) {
        Blob blob = players.get(id);
        if (blob != null) {
            blob.targeting = true;
            blob.targetX = clamp(x, 0, rules.width());
            blob.targetY = clamp(y, 0, rules.height());
        }
    }

    /** A burst of speed for a tenth of the mass; ignored while boosting or when too small to pay. */
    public void boost(int id) {
        Blob blob = players.get(id);
        if (blob != null && blob.boostLeft == 0 && blob.mass >= 2 * rules.startMass()) {
            blob.mass *= 0.9;
            blob.boostLeft = rules.boostTicks();
        }
    }

    /** Advances the world by one tick; who was eaten. */
    public List<Eaten> advance() {
        tick++;
        for (Blob blob : players.values()) {
            move(blob);
        }
        List<Eaten> eaten = new ArrayList<>();
        List<Blob> bySize = new ArrayList<>(players.values());
        bySize.sort((a, b) -> a.mass != b.mass ? Double.compare(b.mass, a.mass) : Integer.compare(a.id, b.id));
        for (Blob eater : bySize) {
            if (!players.containsKey(eater.id)) {
                continue; // eaten earlier this tick
            }
            eatPellets(eater);
            for (Blob prey : bySize) {
                if (prey != eater && players.containsKey(prey.id) && eater.mass >= rules.eatRatio() * prey.mass
                        && covers(eater, prey)) {
                    eater.mass += prey.mass;
                    players.remove(prey.id);
                    eaten.add(new Eaten(eater.id, prey.id));
                }
            }
        }
        while (pellets.size() < rules.pellets()) {
            spawnPellet();
        }
        return eaten;
    }

    private void move(Blob blob) {
        double dx;
        double dy;
        if (blob.targeting) {
            dx = blob.targetX - blob.x;
            dy = blob.targetY - blob.y;
        } else {
            dx = blob.aimX;
            dy = blob.aimY;
        }
        double length = Math.hypot(dx, dy);
        if (length == 0) {
            return;
        }
        double step = rules.speed() / Math.sqrt(blob.radius() / radius(1)) * rules.tickSeconds()
                * (blob.boostLeft > 0 ? rules.boostFactor() : 1);
        if (blob.boostLeft > 0) {
            blob.boostLeft--;
        }
        // A direction moves at full speed (a shorter aim, slower); a target is reached and not passed.
        double fraction = blob.targeting ? Math.min(1, step / length) : Math.min(1, length) * step / length;
        blob.x = clamp(blob.x + dx * fraction, 0, rules.width());
        blob.y = clamp(blob.y + dy * fraction, 0, rules.height());
    }

    private void eatPellets(Blob eater) {
        double r = eater.radius();
        // Pellets are many: only those in the eater's bounding square are looked at closely.
        List<Integer> eatenPellets = new ArrayList<>();
        for (Pellet pellet : pellets.values()) {
            if (Math.abs(pellet.x() - eater.x) <= r && Math.abs(pellet.y() - eater.y) <= r
                    && Math.hypot(pellet.x() - eater.x, pellet.y() - eater.y) <= r) {
                eatenPellets.add(pellet.id());
            }
        }
        for (int id : eatenPellets) {
            pellets.remove(id);
            eater.mass += 1;
        }
    }

    /** The eater covers the prey's centre and most of it: their distance is under the eater's radius minus half the prey's. */
    private static boolean covers(Blob eater, Blob prey) {
        return Math.hypot(eater.x - prey.x, eater.y - prey.y) <= eater.radius() - prey.radius() / 2;
    }

    private void spawnPellet() {
        int id = nextId++;
        pellets.put(id, new Pellet(id, random.nextDouble() * rules.width(), random.nextDouble() * rules.height()));
    }

    private static double clamp(double value, double min, double max) {
        return Math.max(min, Math.min(max, value));
    }

    /** Half the side of the square a player sees around itself: larger players see further. */
    double viewHalfSide(Blob blob) {
        return rules.viewBase() + rules.viewPerRadius() * blob.radius();
    }

    /** What {@code playerId} sees now (null if it is not playing): the players and pellets within its view. */
    public View view(int playerId) {
        Blob self = players.get(playerId);
        if (self == null) {
            return null;
        }
        double half = viewHalfSide(self);
        List<View.Player> seenPlayers = new ArrayList<>();
        for (Blob blob : players.values()) {
            double r = blob.radius();
            if (Math.abs(blob.x - self.x) <= half + r && Math.abs(blob.y - self.y) <= half + r) {
                seenPlayers.add(new View.Player(blob.id, blob.name, (int) Math.round(blob.x), (int) Math.round(blob.y),
                        (int) Math.round(r), blob.mass));
            }
        }
        List<View.Pellet> seenPellets = new ArrayList<>();
        for (Pellet pellet : pellets.values()) {
            if (Math.abs(pellet.x() - self.x) <= half && Math.abs(pellet.y() - self.y) <= half) {
                seenPellets.add(new View.Pellet(pellet.id(), (int) Math.round(pellet.x()), (int) Math.round(pellet.y())));
            }
        }
        return new View(tick, playerId, seenPlayers, seenPellets);
    }

    /** Every player, largest first: the leaderboard's source. */
    public List<View.Player> players() {
        List<View.Player> all = new ArrayList<>();
        for (Blob blob : players.values()) {
            all.add(new View.Player(blob.id, blob.name, (int) Math.round(blob.x), (int) Math.round(blob.y),
                    (int) Math.round(blob.radius()), blob.mass));
        }
        all.sort((a, b) -> Double.compare(b.mass(), a.mass()));
        return all;
    }

    Collection<Blob> blobs() {
        return players.values();
    }

    Blob blob(int id) {
        return players.get(id);
    }

    Collection<Pellet> pelletsInWorld() {
        return pellets.values();
    }
}
