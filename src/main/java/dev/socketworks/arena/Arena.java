package dev.socketworks.arena;

import dev.socketworks.logging.LogLimiter;
import dev.socketworks.outbox.Outbox;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

/**
 * One arena: its world, its connections, and the tick that advances the world and sends each player
 * what changed in its view. Commands and ticks are serialised by one lock, held only to change the
 * world and to enqueue on outboxes; outboxes are flushed after it is released. The tick runs while
 * anyone is connected.
 *
 * <p>A client whose outbox backs up is not sent an ever-growing queue of deltas: past
 * {@value #BACKLOG} queued messages it gets nothing more until it drains, then a fresh snapshot.
 */
public final class Arena {

    /** Queued messages past which a client is skipped and later re-synchronised with a snapshot. */
    static final int BACKLOG = 8;
    /** Queued messages from which a hearer misses a say: says alone can never push it to {@link #BACKLOG}. */
    static final int SAY_BACKLOG = BACKLOG / 2;

    /** Players from which a tick computes their frames on several cores: below, handing work out costs more than it saves. */
    static final int PARALLEL_FROM = 64;

    /**
     * One connection: playing (with a player id) or watching the leaderboard until it joins. Its key
     * names it across servers ({@code node/number}); a relayed seat's commands were already limited
     * by the server it is connected to.
     */
    public final class Seat {
        final String key;
        final Sink sink;
        final CommandRate rate; // both null for a relayed seat: its server applied them
        final CommandRate sayRate;
        int player = -1; // guarded by lock; set through play()
        Integer playerKey; // the same, boxed once per join rather than for each tick's view (null: not playing)
        DeltaEncoder encoder;
        boolean needsSnapshot;
        // Reused every tick by the one thread building this seat's frame (see frameFor).
        final List<View.Player> seenPlayers = new ArrayList<>();
        final List<View.Pellet> seenPellets = new ArrayList<>();
        final StringBuilder frameText = new StringBuilder();

        Seat(String key, Sink sink, boolean rateLimited) {
            this.key = key;
            this.sink = sink;
            this.rate = rateLimited ? rates.commands() : null;
            this.sayRate = rateLimited ? rates.says() : null;
        }
    }

    /** A player as saved for another server to carry on with: its seat, name, place and mass. */
    public record SavedPlayer(String seat, String name, double x, double y, double mass) {
    }

    public record SavedState(List<SavedPlayer> players) {
    }

    private static final Logger LOG = Logger.getLogger(Arena.class.getName());

    private final String name;
    private final Simulation world;
    private final Bots bots;
    private final TickStats stats = new TickStats();
    private volatile java.util.function.LongConsumer tickMeter = nanos -> { }; // the metrics' timer: lock-free to record

    void measureTicksWith(java.util.function.LongConsumer meter) {
        this.tickMeter = meter;
    }
    private final PlayerRates rates;
    private final int maxPlayers;
    private final long tickMillis;
    private volatile Runnable whenNobodyPlays = () -> { };
    private final Object lock = new Object();
    // Guarded by lock.
    private final Map<String, Seat> seats = new LinkedHashMap<>();
    private final Map<Integer, Seat> seatsByPlayer = new HashMap<>(); // the seats playing, by their player
    // Players restored from a saved state, by seat key, until their seat attaches again (or the grace ends).
    private final Map<String, Integer> unclaimed = new HashMap<>();
    private long unclaimedUntil;
    private int localSeats;
    private ScheduledFuture<?> timer;
    private ScheduledExecutorService scheduler;
    // Sinks the tick filled, flushed by one task at a time on another thread (below); at most one entry per seat.
    private final Set<Sink> unflushed = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean flushing = new AtomicBoolean();

    Arena(String name, Simulation.Rules rules, RandomGenerator random, PlayerRates rates, int maxPlayers, long tickMillis,
          int bots) {
        this.name = name;
        this.world = new Simulation(rules, random);
        this.bots = new Bots(world, bots);
        this.rates = rates;
        this.maxPlayers = maxPlayers;
        this.tickMillis = tickMillis;
    }

    public String name() {
        return name;
    }

    /** A connection arrives; the first starts the tick on {@code scheduler} (null: the caller ticks, in tests). */
    public Seat seat(Outbox outbox, ScheduledExecutorService scheduler) {
        synchronized (lock) {
            return seat("local/" + ++localSeats, new Sink.Local(outbox), true, scheduler);
        }
    }

    /**
     * A seat under {@code key}: a connection on this server, or one relayed from another. A key that
     * held a player in the state this arena was restored from gets that player back, and a snapshot.
     */
    Seat seat(String key, Sink sink, boolean rateLimited, ScheduledExecutorService scheduler) {
        synchronized (lock) {
            Seat seat = new Seat(key, sink, rateLimited);
            Seat replaced = seats.put(key, seat);
            if (replaced != null && replaced.player >= 0) {
                play(seat, replaced.player); // the same seat attached again (its server saw a new owner)
            }
            Integer restored = unclaimed.remove(key);
            if (restored != null && world.isPlaying(restored)) {
                play(seat, restored);
            }
            if (seat.player >= 0) {
                seat.encoder = new DeltaEncoder();
                seat.needsSnapshot = true;
            }
            if (timer == null && scheduler != null) {
                this.scheduler = scheduler;
                timer = scheduler.scheduleAtFixedRate(this::tick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
            }
            return seat;
        }
    }

    Seat seatFor(String key) {
        synchronized (lock) {
            return seats.get(key);
        }
    }

    /** A connection ended: its player leaves; the last stops the tick. Returns whether the arena is now empty. */
    public boolean unseat(Seat seat) {
        synchronized (lock) {
            if (seats.get(seat.key) == seat) {
                seats.remove(seat.key);
            }
            if (seat.player >= 0) {
                world.leave(seat.player);
                play(seat, -1);
            }
            if (seats.isEmpty()) {
                stopTicking();
            }
            return seats.isEmpty();
        }
    }

    /** Seats whose key starts with {@code prefix} (a server's): gone with that server. */
    void unseatAll(String prefix) {
        List<Seat> gone;
        synchronized (lock) {
            gone = seats.values().stream().filter(s -> s.key.startsWith(prefix)).toList();
        }
        gone.forEach(this::unseat);
    }

    /** Stops the tick for good: another server runs the arena now, or the application stops. */
    void stop() {
        synchronized (lock) {
            stopTicking();
        }
    }

    private void stopTicking() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
            // What an operator sizing arenaTickMs and arenaMaxPlayers needs, once per arena's run (the benchmark
            // reads it too); every visit to a new arena name ends one, so it is limited like a client's mistakes.
            String summary = stats.summary();
            LogLimiter.log(LOG, Level.INFO, "arena stopped", () -> "Arena " + name + " stopped: " + summary);
        }
    }

    public int seats() {
        synchronized (lock) {
            return seats.size();
        }
    }

    /** Players in the world: seated, restored and waiting for their seat, and bots. */
    int playerCount() {
        synchronized (lock) {
            return world.playerCount();
        }
    }

    /** Told (outside the lock, on the tick's thread) after each tick in which nobody played. */
    void whenNobodyPlays(Runnable listener) {
        whenNobodyPlays = listener;
    }

    /** The players and their seats, for another server to carry on from if this one dies. Bots are not saved: every arena makes its own. */
    SavedState save() {
        synchronized (lock) {
            List<SavedPlayer> saved = new ArrayList<>();
            for (Seat seat : seats.values()) {
                Simulation.Blob blob = seat.player >= 0 ? world.blob(seat.player) : null;
                if (blob != null) {
                    saved.add(new SavedPlayer(seat.key, blob.name, blob.x, blob.y, blob.mass));
                }
            }
            unclaimed.forEach((key, id) -> {
                Simulation.Blob blob = world.blob(id);
                if (blob != null) {
                    saved.add(new SavedPlayer(key, blob.name, blob.x, blob.y, blob.mass));
                }
            });
            return new SavedState(saved);
        }
    }

    /**
     * Carries on from a saved state: its players are placed back with their mass, each waiting for
     * its seat to attach again; those whose seat does not come within {@code grace} (their server
     * died with the last owner) leave.
     */
    void restore(SavedState state, java.time.Duration grace) {
        synchronized (lock) {
            for (SavedPlayer player : state.players()) {
                if (!seats.containsKey(player.seat())) {
                    unclaimed.put(player.seat(), world.restore(player.name(), player.x(), player.y(), player.mass()));
                }
            }
            unclaimedUntil = System.nanoTime() + grace.toNanos();
        }
    }

    /** One client message: each line a command. Errors go to this client only; the connection stays. */
    public void handle(Seat seat, String message) {
        // Read before taking the arena's lock, and only as far as the sender's rates allow (a game client
        // sends on every mouse move: the excess is dropped unread): a message of many lines costs its
        // sender, not the tick. The rates are the connection's own, and its messages come one at a time.
        apply(seat, ArenaInput.parse(message, seat.rate, seat.sayRate));
    }

    /** Commands read from one message (as far as its sender's rates allowed), applied in order. */
    void apply(Seat seat, ArenaInput.Commands read) {
        List<Sink> toFlush = new ArrayList<>();
        synchronized (lock) {
            for (ArenaInput.Command command : read.commands()) {
                apply(seat, command, toFlush);
            }
            if (read.commandsLimited()) {
                seat.sink.send(rates.commandsLimited());
            }
            if (read.saysLimited()) {
                seat.sink.send(rates.saysLimited());
            }
            toFlush.add(seat.sink);
        }
        toFlush.forEach(Sink::flush);
    }

    /** Sets the player a seat plays (-1: none), keeping the index by player in step. Under the lock. */
    private void play(Seat seat, int player) {
        if (seat.player >= 0 && seatsByPlayer.get(seat.player) == seat) {
            seatsByPlayer.remove(seat.player);
        }
        seat.player = player;
        seat.playerKey = player >= 0 ? player : null;
        if (player >= 0) {
            seatsByPlayer.put(player, seat);
        }
    }

    /** A relayed seat's server dropped messages behind its client's backlog: it gets a snapshot at the next tick. */
    void resynchronise(String key) {
        synchronized (lock) {
            Seat seat = seats.get(key);
            if (seat != null && seat.player >= 0) {
                seat.needsSnapshot = true;
            }
        }
    }

    private void apply(Seat seat, ArenaInput.Command command, List<Sink> toFlush) {
        if (command instanceof ArenaInput.Invalid invalid) {
            seat.sink.send(ArenaMessages.error(invalid.code(), invalid.message()));
        } else if (command instanceof ArenaInput.Join join) {
            if (seat.player >= 0) {
                seat.sink.send(ArenaMessages.error("already-playing", "you are playing; leave first"));
                return;
            }
            // Checked and taken under the one lock, wherever the joiner is connected: a cap, not a hint.
            if (seatsByPlayer.size() + unclaimed.size() >= maxPlayers) {
                seat.sink.send(ArenaMessages.error("arena-full",
                        "arena " + name + " is full (arenaMaxPlayers " + maxPlayers + "); watch, or join again later"));
                return;
            }
            play(seat, world.join(join.name()));
            seat.encoder = new DeltaEncoder();
            seat.sink.send(ArenaMessages.snapshot(seat.encoder.snapshot(world.view(seat.player)), world.rules()));
        } else if (seat.player < 0) {
            seat.sink.send(ArenaMessages.error("not-playing", "send join NAME first"));
        } else if (command instanceof ArenaInput.Aim aim) {
            world.aim(seat.player, aim.dx(), aim.dy());
        } else if (command instanceof ArenaInput.Target target) {
            world.target(seat.player, target.x(), target.y());
        } else if (command instanceof ArenaInput.Boost) {
            world.boost(seat.player);
        } else if (command instanceof ArenaInput.Say say) {
            String line = ArenaMessages.say(seat.player, nameOf(seat.player), say.text());
            // Only the players whose view holds the speaker, found on the world's grid: a say costs its
            // hearers, not the arena. A hearer with a few messages queued misses it rather than fall
            // behind on deltas: chat is not owed, the state is.
            world.forEachViewerOf(seat.player, viewer -> {
                Seat hearer = seatsByPlayer.get(viewer);
                if (hearer != null && hearer.sink.queued() < SAY_BACKLOG) {
                    hearer.sink.send(line);
                    toFlush.add(hearer.sink);
                }
            });
        } else if (command instanceof ArenaInput.Leave) {
            world.leave(seat.player);
            play(seat, -1);
            seat.encoder = null;
        }
    }

    private String nameOf(int player) {
        Simulation.Blob blob = world.blob(player);
        return blob == null ? "" : blob.name;
    }

    /** One tick: advance the world, tell the eaten, send each player its delta (or nothing), the leaderboard each second. */
    public void tick() {
        try {
            tickOnce();
        } catch (RuntimeException e) {
            // Thrown out of a scheduled task, it would stop the arena's clock for good.
            LOG.log(Level.SEVERE, "Arena " + name + " tick failed", e);
        }
    }

    private void tickOnce() {
        long started = System.nanoTime();
        List<Sink> toFlush = new ArrayList<>();
        String[] frames;
        int[] othersSeen;
        synchronized (lock) {
            if (!unclaimed.isEmpty() && System.nanoTime() > unclaimedUntil) {
                unclaimed.values().forEach(world::leave); // their server died with the arena's last one
                unclaimed.clear();
            }
            bots.steer();
            List<Simulation.Eaten> eaten = world.advance();
            for (Simulation.Eaten e : eaten) {
                Seat seat = seatsByPlayer.get(e.eaten());
                if (seat != null) {
                    play(seat, -1);
                    seat.encoder = null;
                    seat.sink.send(ArenaMessages.eaten(nameOf(e.eater())));
                    toFlush.add(seat.sink);
                }
            }
            List<Seat> playing = new ArrayList<>(seats.size());
            for (Seat seat : seats.values()) {
                if (seat.player >= 0) {
                    playing.add(seat);
                }
            }
            frames = new String[playing.size()];
            othersSeen = new int[playing.size()];
            Arrays.fill(othersSeen, -1); // stays -1 for a player skipped this tick
            world.prepareViews(); // from here to the end of the loop below the world is only read
            IntStream each = IntStream.range(0, frames.length);
            // Each player's view and delta is its own: many are computed on every core. The caller's
            // thread takes part (work stealing), so this never waits on a pool that is busy elsewhere.
            (frames.length >= PARALLEL_FROM ? each.parallel() : each).forEach(i -> frames[i] = frameFor(playing.get(i), othersSeen, i));
            for (int i = 0; i < frames.length; i++) {
                if (frames[i] != null) {
                    playing.get(i).sink.send(frames[i]);
                    toFlush.add(playing.get(i).sink);
                }
            }
            if (world.tick() % Math.max(1, 1000 / tickMillis) == 0) {
                String board = ArenaMessages.leaderboard(world.players());
                for (Seat seat : seats.values()) {
                    if (seat.sink.queued() <= BACKLOG) { // the next one replaces it: nothing is owed
                        seat.sink.send(board);
                        toFlush.add(seat.sink);
                    }
                }
            }
        }
        long elapsed = System.nanoTime() - started;
        tickMeter.accept(elapsed);
        flushElsewhere(toFlush);
        boolean nobodyPlays;
        synchronized (lock) {
            stats.record(elapsed, world.playerCount(), () -> ArenaMessages.fullState(world));
            for (int seen : othersSeen) {
                if (seen >= 0) {
                    stats.viewed(seen);
                }
            }
            nobodyPlays = world.playerCount() == 0;
        }
        if (nobodyPlays) {
            whenNobodyPlays.run();
        }
    }

    /**
     * A container may write a message on the thread that sends it (Tomcat does), so 500 sends took
     * half of a 500-player tick. They are handed to another thread of the scheduler instead, where
     * they overlap the next tick. One flushing task at a time per arena, draining a set that holds
     * each sink once: if sending falls behind, nothing queues up but that set.
     */
    private void flushElsewhere(List<Sink> sinks) {
        ScheduledExecutorService executor = scheduler;
        if (executor == null) {
            sinks.forEach(Sink::flush); // ticked by a test: at once, on its thread
            return;
        }
        unflushed.addAll(sinks);
        if (flushing.compareAndSet(false, true)) {
            try {
                executor.execute(this::drainUnflushed);
            } catch (RejectedExecutionException e) {
                flushing.set(false); // undeploying: the sessions are closing anyway
            }
        }
    }

    private void drainUnflushed() {
        do {
            for (Iterator<Sink> it = unflushed.iterator(); it.hasNext(); ) {
                Sink sink = it.next();
                it.remove();
                sink.flush();
            }
            flushing.set(false);
            // A sink added after the loop but before the flag was cleared has nobody to flush it: take it.
        } while (!unflushed.isEmpty() && flushing.compareAndSet(false, true));
    }

    /** What one player is sent this tick: a delta, a snapshot after it fell behind, or nothing (null). */
    private String frameFor(Seat seat, int[] othersSeen, int index) {
        if (seat.sink.queued() > BACKLOG) {
            seat.needsSnapshot = true; // state replication, not a log: it will get the state, not the history
            return null;
        }
        // Into the seat's own lists, and no View object: this runs for every player every tick.
        if (!world.fillView(seat.playerKey, seat.seenPlayers, seat.seenPellets)) {
            return null; // not in the world: nothing to show, and never the last tick's lists again
        }
        othersSeen[index] = seat.seenPlayers.size() - 1;
        if (seat.needsSnapshot) {
            seat.needsSnapshot = false;
            View view = new View(world.tick(), seat.player, seat.seenPlayers, seat.seenPellets);
            return ArenaMessages.snapshot(seat.encoder.snapshot(view), world.rules());
        }
        Frame.Delta delta = seat.encoder.delta(seat.seenPlayers, seat.seenPellets);
        return delta == null ? null : ArenaMessages.delta(world.tick(), delta, seat.frameText);
    }

}
