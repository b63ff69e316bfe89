package dev.socketworks.arena;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import java.util.function.IntConsumer;
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
        final String quotedName;
        double x;
        double y;
        double mass;
        double aimX; // a direction, at most of length 1
        double aimY;
        boolean targeting;
        double targetX;
        double targetY;
        int boostLeft;
        int rank; // place by size during a tick's eating, largest first
        boolean eaten; // during a tick's eating: asked of every eater and prey, so not looked up by a boxed id
        View.Player shown; // what views show of it at this tick: made once per tick, not once per viewer

        Blob(int id, String name, double x, double y, double mass) {
            this.id = id;
            this.name = name;
            this.quotedName = View.quoted(name);
            this.x = x;
            this.y = y;
            this.mass = mass;
        }

        double radius() {
            return Simulation.radius(mass);
        }
    }

    /** A pellet: one unit of mass. It never moves, so what clients are shown of it is made once. */
    record Pellet(int id, double x, double y, View.Pellet shown) {

        Pellet(int id, double x, double y) {
            this(id, x, y, new View.Pellet(id, (int) Math.round(x), (int) Math.round(y)));
        }
    }

    /** Who ate whom during a tick. */
    public record Eaten(int eater, int eaten) {
    }

    /**
     * The side of a square of the grid that indexes pellets and players: a view (about 1,000 units
     * across) or an eater's reach then looks at a few dozen cells instead of every pellet and player,
     * which keeps a tick linear in the players (at 500 players it was quadratic and took 50 ms).
     */
    static final double CELL = 200;

    private final Rules rules;
    private final RandomGenerator random;
    private final TreeMap<Integer, Blob> players = new TreeMap<>();
    private final TreeMap<Integer, Pellet> pellets = new TreeMap<>();
    private final int cellsX;
    private final int cellsY;
    private final List<List<Pellet>> pelletCells;
    private final List<List<Blob>> playerCells; // rebuilt after players move, join or leave
    private boolean playerCellsStale = true;
    private double largestRadius;
    private int nextId = 1;
    private long tick;

    public Simulation(Rules rules, RandomGenerator random) {
        this.rules = rules;
        this.random = random;
        this.cellsX = Math.max(1, (int) Math.ceil(rules.width() / CELL));
        this.cellsY = Math.max(1, (int) Math.ceil(rules.height() / CELL));
        this.pelletCells = new ArrayList<>(cellsX * cellsY);
        this.playerCells = new ArrayList<>(cellsX * cellsY);
        for (int i = 0; i < cellsX * cellsY; i++) {
            pelletCells.add(new ArrayList<>());
            playerCells.add(new ArrayList<>());
        }
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
        playerCellsStale = true;
        return id;
    }

    /** A player carried over from another server's saved state: its name, place and mass; its new id. */
    int restore(String name, double x, double y, double mass) {
        int id = nextId++;
        players.put(id, new Blob(id, name, clamp(x, 0, rules.width()), clamp(y, 0, rules.height()), Math.max(rules.startMass(), mass)));
        playerCellsStale = true;
        return id;
    }

    public boolean isPlaying(int id) {
        return players.containsKey(id);
    }

    public void leave(int id) {
        players.remove(id);
        playerCellsStale = true;
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
        playerCellsStale = true;
        indexPlayers();
        List<Eaten> eaten = new ArrayList<>();
        List<Blob> bySize = new ArrayList<>(players.values());
        bySize.sort((a, b) -> a.mass != b.mass ? Double.compare(b.mass, a.mass) : Integer.compare(a.id, b.id));
        for (int rank = 0; rank < bySize.size(); rank++) {
            bySize.get(rank).rank = rank;
        }
        for (Blob eater : bySize) {
            if (eater.eaten) {
                continue; // eaten earlier this tick
            }
            eatPellets(eater);
            // Prey lies within the eater's radius; growing by a meal widens the reach, so look again.
            boolean ate = true;
            while (ate) {
                ate = false;
                List<Blob> near = playersNear(eater.x, eater.y, eater.radius());
                near.sort((a, b) -> Integer.compare(a.rank, b.rank));
                for (Blob prey : near) {
                    if (prey != eater && !prey.eaten && eater.mass >= rules.eatRatio() * prey.mass
                            && covers(eater, prey)) {
                        eater.mass += prey.mass;
                        players.remove(prey.id);
                        prey.eaten = true;
                        eaten.add(new Eaten(eater.id, prey.id));
                        ate = true;
                    }
                }
            }
        }
        playerCellsStale = true; // removals and growth
        while (pellets.size() < rules.pellets()) {
            spawnPellet();
        }
        return eaten;
    }

    private int cellX(double x) {
        return Math.min(cellsX - 1, Math.max(0, (int) (x / CELL)));
    }

    private int cellY(double y) {
        return Math.min(cellsY - 1, Math.max(0, (int) (y / CELL)));
    }

    private void indexPlayers() {
        if (!playerCellsStale) {
            return;
        }
        playerCells.forEach(List::clear);
        largestRadius = 0;
        for (Blob blob : players.values()) {
            playerCells.get(cellY(blob.y) * cellsX + cellX(blob.x)).add(blob);
            double r = blob.radius();
            largestRadius = Math.max(largestRadius, r);
            int x = (int) Math.round(blob.x);
            int y = (int) Math.round(blob.y);
            int shownRadius = (int) Math.round(r);
            View.Player before = blob.shown;
            // The same object while nothing shown changed: the delta encoder then skips it by identity.
            if (before == null || before.x() != x || before.y() != y || before.r() != shownRadius || before.mass() != blob.mass) {
                blob.shown = new View.Player(blob.id, blob.name, blob.quotedName, x, y, shownRadius, blob.mass);
            }
        }
        playerCellsStale = false;
    }

    // Scratch lists of advance(), one thread's: refilled for every player every tick instead of made anew.
    private final List<Blob> nearPlayers = new ArrayList<>();
    private final List<Pellet> nearPellets = new ArrayList<>();

    /**
     * Players whose centre lies in the cells that the square of half side {@code reach} around x, y
     * touches. The list is refilled by the next call: use it before asking again.
     */
    private List<Blob> playersNear(double x, double y, double reach) {
        List<Blob> near = nearPlayers;
        near.clear();
        for (int cy = cellY(y - reach); cy <= cellY(y + reach); cy++) {
            for (int cx = cellX(x - reach); cx <= cellX(x + reach); cx++) {
                addEach(near, playerCells.get(cy * cellsX + cx));
            }
        }
        return near;
    }

    /** {@code into.addAll(from)} without the array copy of {@code from} that {@code addAll} makes first. */
    private static <T> void addEach(List<T> into, List<T> from) {
        for (int i = 0, n = from.size(); i < n; i++) {
            into.add(from.get(i));
        }
    }

    /** As {@link #playersNear}, for pellets; refilled by the next call too. */
    private List<Pellet> pelletsNear(double x, double y, double reach) {
        List<Pellet> near = nearPellets;
        near.clear();
        for (int cy = cellY(y - reach); cy <= cellY(y + reach); cy++) {
            for (int cx = cellX(x - reach); cx <= cellX(x + reach); cx++) {
                addEach(near, pelletCells.get(cy * cellsX + cx));
            }
        }
        return near;
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
        for (Pellet pellet : pelletsNear(eater.x, eater.y, r)) {
            double dx = pellet.x() - eater.x;
            double dy = pellet.y() - eater.y;
            if (dx * dx + dy * dy <= r * r) { // Math.hypot guards against overflow nobody here needs, slowly
                pellets.remove(pellet.id());
                pelletCells.get(cellY(pellet.y()) * cellsX + cellX(pellet.x())).remove(pellet);
                eater.mass += 1;
            }
        }
    }

    /** The eater covers the prey's centre and most of it: their distance is under the eater's radius minus half the prey's. */
    private static boolean covers(Blob eater, Blob prey) {
        double reach = eater.radius() - prey.radius() / 2;
        double dx = eater.x - prey.x;
        double dy = eater.y - prey.y;
        return reach >= 0 && dx * dx + dy * dy <= reach * reach;
    }

    private void spawnPellet() {
        int id = nextId++;
        Pellet pellet = new Pellet(id, random.nextDouble() * rules.width(), random.nextDouble() * rules.height());
        pellets.put(id, pellet);
        pelletCells.get(cellY(pellet.y()) * cellsX + cellX(pellet.x())).add(pellet);
    }

    private static double clamp(double value, double min, double max) {
        return Math.max(min, Math.min(max, value));
    }

    /** Half the side of the square a player sees around itself: larger players see further. */
    double viewHalfSide(Blob blob) {
        return rules.viewBase() + rules.viewPerRadius() * blob.radius();
    }

    /** Brings the index up to date, so that views can then be taken from several threads at once (they only read). */
    void prepareViews() {
        indexPlayers();
    }

    /** What {@code playerId} sees now (null if it is not playing): the players and pellets within its view. */
    public View view(int playerId) {
        List<View.Player> seenPlayers = new ArrayList<>(64);
        List<View.Pellet> seenPellets = new ArrayList<>(128);
        return fillView(playerId, seenPlayers, seenPellets) ? new View(tick, playerId, seenPlayers, seenPellets) : null;
    }

    /**
     * What {@link #view(int)} holds, put in the caller's lists (cleared first); false if the player is
     * not playing. The tick builds every player's view 20 times a second: lists made anew each time
     * were a fifth of what a tick allocated, and a View for each, with its wrappers, a quarter of the rest.
     * The id comes boxed, as the caller keeps it: ids pass 127 at once, and boxing one for every view
     * was then the largest thing the tick allocated besides its frames.
     */
    boolean fillView(Integer playerId, List<View.Player> seenPlayers, List<View.Pellet> seenPellets) {
        Blob self = players.get(playerId);
        if (self == null) {
            return false;
        }
        indexPlayers();
        double half = viewHalfSide(self);
        seenPlayers.clear();
        seenPellets.clear();
        // The cells are walked in place (no list of candidates): this runs for every player every tick.
        // Indexed, not for-each: called from the tick's parallel stream, the iterators escaped and were
        // half a gigabyte of a 500-player run's allocation (JFR), a young collection every few seconds.
        double reach = half + largestRadius;
        for (int cy = cellY(self.y - reach); cy <= cellY(self.y + reach); cy++) {
            for (int cx = cellX(self.x - reach); cx <= cellX(self.x + reach); cx++) {
                List<Blob> cell = playerCells.get(cy * cellsX + cx);
                for (int i = 0, n = cell.size(); i < n; i++) {
                    Blob blob = cell.get(i);
                    double r = blob.radius();
                    if (Math.abs(blob.x - self.x) <= half + r && Math.abs(blob.y - self.y) <= half + r) {
                        seenPlayers.add(blob.shown);
                    }
                }
            }
        }
        for (int cy = cellY(self.y - half); cy <= cellY(self.y + half); cy++) {
            for (int cx = cellX(self.x - half); cx <= cellX(self.x + half); cx++) {
                List<Pellet> cell = pelletCells.get(cy * cellsX + cx);
                for (int i = 0, n = cell.size(); i < n; i++) {
                    Pellet pellet = cell.get(i);
                    if (Math.abs(pellet.x() - self.x) <= half && Math.abs(pellet.y() - self.y) <= half) {
                        seenPellets.add(pellet.shown());
                    }
                }
            }
        }
        return true;
    }

    /**
     * Each player whose view holds {@code playerId} now, itself included (who hears what it says):
     * only the cells that the largest view could reach it from are looked at, so the cost is the
     * players near it, not every player.
     */
    void forEachViewerOf(int playerId, IntConsumer viewer) {
        Blob seen = players.get(playerId);
        if (seen == null) {
            return;
        }
        indexPlayers();
        double r = seen.radius();
        double reach = rules.viewBase() + rules.viewPerRadius() * largestRadius + r;
        for (int cy = cellY(seen.y - reach); cy <= cellY(seen.y + reach); cy++) {
            for (int cx = cellX(seen.x - reach); cx <= cellX(seen.x + reach); cx++) {
                for (Blob blob : playerCells.get(cy * cellsX + cx)) {
                    double half = viewHalfSide(blob); // as view() decides what blob sees
                    if (Math.abs(seen.x - blob.x) <= half + r && Math.abs(seen.y - blob.y) <= half + r) {
                        viewer.accept(blob.id);
                    }
                }
            }
        }
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
