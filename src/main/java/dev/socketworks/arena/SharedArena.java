package dev.socketworks.arena;

import dev.socketworks.hub.EngineUnavailableException;
import dev.socketworks.hub.Hub;
import dev.socketworks.outbox.Outbox;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * One arena as this server takes part in it. An arena runs on exactly one server at a time, the
 * holder of its lease: there it is an {@link Arena}, and players connected to other servers are seats
 * relayed through the engine; every other server with players in it relays to that one. What the
 * servers say to each other is {@link ArenaRelay}'s. The running server saves its players every
 * {@link #WATCH}; if it dies, its lease lapses and the next server to take it carries on from that
 * state, and the other servers attach their players again: a pause of at most the lease plus
 * {@link #WATCH}, not a new world. In one server's memory the lease is always this server's.
 *
 * <p>Connecting takes nothing but a connection: the arena stays dormant here (no world, no lease, no
 * tick) until a connection joins, and only then takes one of the deployment's {@code arenaMaxArenas}
 * places (never refused for {@link Arenas#MAIN}). Where it runs, it gives the place back as soon as nobody
 * plays on any server, and says so: the relaying servers give theirs back too, and every server's
 * watchers wait dormant again: idle connections hold no arena anywhere.
 *
 * <p>Every change of role (start, run, relay, go dormant, end), every arrival and departure, and every
 * join happen on the arena's {@link ArenaTurn}, one at a time, holding no lock: they call the engine.
 * This object's lock guards only who is connected and whether the arena ended; hub deliveries never
 * take it. A connection's other commands go straight to the running arena, or to the engine, from the
 * connection's own thread, unless something of its own still waits on the turn (they keep its order).
 */
final class SharedArena implements ArenaRelay.Relaying {

    static final Duration WATCH = Duration.ofMillis(500);
    /** How long players restored from a saved state wait for their seat to attach again before they leave. */
    static final Duration GRACE = Duration.ofSeconds(3);
    /** How long a join relayed from here may take to reach the running server (it went dormant meanwhile: see below). */
    static final Duration SILENT_SERVER = Duration.ofSeconds(3);
    private static final Logger LOG = Logger.getLogger(SharedArena.class.getName());

    /** A connection on this server. */
    final class Local {
        final String key;
        final Outbox outbox;
        final CommandRate rate;
        final CommandRate sayRate;
        // Relaying: dropping frames behind the client's backlog, and whether a snapshot was asked for since it drained.
        // Written by the hub's delivering thread only.
        volatile boolean behind;
        volatile boolean resyncAsked;
        volatile Arena.Seat seat; // while this server runs the arena; written on the turn
        private volatile boolean watchOnly;
        // Relaying: its last join, until it leaves or is eaten, and when it went. A join that crossed the
        // running server's going dormant was lost there; this server applies it when it runs the arena.
        volatile String relayedJoin;
        volatile long joinRelayedAt;
        /** Its messages waiting on the turn: while any does, the next waits too, so they apply in order. */
        final AtomicInteger onTurn = new AtomicInteger();

        private volatile String playsAs;

        /** This connection may watch the arena but not play (an {@code arena-watch} right without {@code arena}). */
        void watchOnly() {
            watchOnly = true;
        }

        /** The name this connection plays under whatever it asks for: a signed-in user's, or a guest's made here. */
        void playsAs(String name) {
            playsAs = name;
        }

        Local(String key, Outbox outbox) {
            this.key = key;
            this.outbox = outbox;
            this.rate = rates.commands();
            this.sayRate = rates.says();
        }
    }

    private final String name;
    private final ArenaRelay relay;
    private final ArenaTurn turn;
    private final ScheduledExecutorService scheduler;
    private final ScheduledExecutorService engineWork;
    private final Supplier<Arena> newArena;
    private final boolean runsWhileWatched;
    private final BooleanSupplier takePlace;
    private final Runnable givePlaceBack;
    private final Runnable whenEnded;
    private final PlayerRates rates;
    private final Map<String, Local> locals = new ConcurrentHashMap<>(); // added and removed under this
    private final AtomicBoolean watchWaiting = new AtomicBoolean();
    // Guarded by this.
    private int seatNumbers;
    private volatile boolean closed; // written under this; read without it
    // Written on the turn only.
    private volatile Arena arena; // non-null while this server runs it
    private volatile boolean active; // holds a place: running or relaying
    private ScheduledFuture<?> watch;
    // The running server went dormant while joins from here were on their way to it: applied by whichever
    // server runs the arena next (this one, or sent to another).
    private volatile boolean joinsLostWhereItRan;

    /**
     * @param runsWhileWatched whether the first connection starts it, joining or not (main with bots: a lone
     *                         visitor sees life)
     * @param takePlace     asked for one of the deployment's arena places when the first connection here joins
     * @param givePlaceBack told when this arena no longer holds its place (nobody plays, or it ended)
     * @param whenEnded     told when the arena ended here by itself (its last connection left), so it can be forgotten
     */
    SharedArena(String name, Hub hub, ScheduledExecutorService scheduler, PlayerRates rates, Supplier<Arena> newArena,
                boolean runsWhileWatched, BooleanSupplier takePlace, Runnable givePlaceBack, Runnable whenEnded) {
        this(name, hub, scheduler, scheduler, rates, newArena, runsWhileWatched, takePlace, givePlaceBack, whenEnded);
    }

    /**
     * @param scheduler  runs the arena's tick and its sends: never waits on the engine
     * @param engineWork runs what calls the engine and may wait on it (the watch, changes handed off the tick's thread)
     */
    SharedArena(String name, Hub hub, ScheduledExecutorService scheduler, ScheduledExecutorService engineWork, PlayerRates rates,
                Supplier<Arena> newArena, boolean runsWhileWatched, BooleanSupplier takePlace, Runnable givePlaceBack,
                Runnable whenEnded) {
        this.name = name;
        this.runsWhileWatched = runsWhileWatched;
        this.relay = new ArenaRelay(name, hub, scheduler);
        this.turn = new ArenaTurn(name, engineWork);
        this.scheduler = scheduler;
        this.engineWork = engineWork;
        this.rates = rates;
        this.newArena = newArena;
        this.takePlace = takePlace;
        this.givePlaceBack = givePlaceBack;
        this.whenEnded = whenEnded;
    }

    /** An arena for tests: always given a place. */
    SharedArena(String name, Hub hub, ScheduledExecutorService scheduler, PlayerRates rates, Supplier<Arena> newArena,
                Runnable whenEnded) {
        this(name, hub, scheduler, rates, newArena, false, () -> true, () -> { }, whenEnded);
    }

    /** Whether it holds one of the deployment's places (someone here joined, and it has not gone dormant since). */
    boolean active() {
        return active;
    }

    String name() {
        return name;
    }

    /** Whether the arena has ended here; a new connection then needs a new one. */
    boolean ended() {
        return closed;
    }

    /** Connections on this server. */
    int localSeats() {
        return locals.size();
    }

    /** Every seat, where this server runs the arena; this server's, where it relays. */
    int seats() {
        Arena running = arena;
        return running != null ? running.seats() : locals.size();
    }

    /** The outcome of {@link #open}: a connection's place here, or why there is none. */
    record Opened(Local local, boolean ended, boolean full) {
    }

    /**
     * A connection arrives, watching until it joins. Refused ({@code full}) when this server already has
     * {@code maxConnections} connections to the arena, or the arena's turn has {@link ArenaTurn#MAX_WAITING} waiting; {@code ended} when the arena has just ended here
     * (the caller takes a new one). Checked and counted in one step; seated on the turn.
     */
    Opened open(Outbox outbox, int maxConnections) {
        Local local;
        synchronized (this) {
            if (closed) {
                return new Opened(null, true, false);
            }
            if (locals.size() >= maxConnections) {
                return new Opened(null, false, true);
            }
            local = new Local(relay.server() + "/" + ++seatNumbers, outbox);
            locals.put(local.key, local);
        }
        if (!turn.run(() -> arrive(local))) {
            // The turn is full (the engine stalled under many joins): refused like a full arena, not left unseated.
            synchronized (this) {
                locals.remove(local.key);
            }
            return new Opened(null, false, true);
        }
        return new Opened(local, false, false);
    }

    /** As {@link #open(Outbox, int)} without a cap, for tests: null when the arena ended. */
    Local open(Outbox outbox) {
        return open(outbox, Integer.MAX_VALUE).local();
    }

    /** On the turn: a new connection is seated where the arena runs, or attached to it from here. */
    private void arrive(Local local) {
        if (closed || !locals.containsKey(local.key)) {
            return;
        }
        try {
            if (active) {
                Arena running = arena;
                if (running != null) {
                    local.seat = running.seat(local.key, new Sink.Local(local.outbox), false, scheduler);
                } else {
                    relay.attach(local.key);
                }
            } else if (runsWhileWatched) {
                activate(); // seats every connection here, this one included
            }
        } catch (EngineUnavailableException e) {
            LOG.fine(() -> "Arena " + name + ": a connection waits for the engine: " + e.getMessage()); // the watch attaches it
        }
    }

    /**
     * On the turn: the first join here takes a place and decides this server's part, running the arena
     * or relaying to the server that does. False when every place is taken.
     */
    private boolean activate() {
        if (active) {
            return true;
        }
        if (!takePlace.getAsBoolean()) {
            return false;
        }
        active = true;
        try {
            if (relay.lease()) {
                run();
            } else {
                relay();
            }
        } catch (EngineUnavailableException e) {
            Arena running = arena;
            arena = null;
            if (running != null) {
                running.stop();
            }
            relay.stop();
            active = false;
            givePlaceBack.run();
            throw e;
        }
        if (relay.shared()) {
            watch = engineWork.scheduleAtFixedRate(this::watchOnTurn, WATCH.toMillis(), WATCH.toMillis(), TimeUnit.MILLISECONDS);
        }
        return true;
    }

    /** On the turn, from the running arena's tick (handed off) when nobody plays on any server: dormant again, everywhere. */
    private void sleepIfNobodyPlays() {
        Arena running = arena;
        if (closed || running == null || running.playerCount() > 0) {
            return; // someone joined meanwhile
        }
        stopRunning(running);
        relay.announceDormant(); // after the release: a join there takes the lease at once
        arena = null;
        locals.values().forEach(local -> local.seat = null);
        goDormant();
    }

    /**
     * On the turn, where this server relays: the running server went dormant, nobody playing anywhere.
     * This one gives its place back too, unless a join from here may have crossed that (sent within
     * {@link #SILENT_SERVER}): then it stays, its watch takes the released lease, and it runs the arena
     * with those joins applied.
     */
    private void sleepIfRelayingForNobody() {
        if (closed || !active || arena != null) {
            return;
        }
        if (!recentJoins().isEmpty()) {
            joinsLostWhereItRan = true;
            return;
        }
        goDormant();
    }

    /** On the turn: no watch, no subscriptions, no place: the state a connection finds before anyone joins here. */
    private void goDormant() {
        if (watch != null) {
            watch.cancel(false);
            watch = null;
        }
        relay.stop();
        active = false;
        givePlaceBack.run();
    }

    private List<Local> recentJoins() {
        long now = System.nanoTime();
        return locals.values().stream()
                .filter(local -> local.relayedJoin != null && now - local.joinRelayedAt < SILENT_SERVER.toNanos())
                .toList();
    }

    /**
     * One client message, where the arena runs, or checked and rate-limited here and relayed to it. A
     * join (which may start the arena here) goes through the turn; so does whatever follows it while
     * it waits there.
     */
    void handle(Local local, String message) {
        // Read here, once, as far as this connection's rates allow; the arena applies what was read.
        ArenaInput.Commands read = ArenaInput.parse(message, local.rate, local.sayRate);
        if (local.watchOnly && read.commands().stream().anyMatch(command -> command instanceof ArenaInput.Join)) {
            local.outbox.enqueueText(ArenaMessages.error("forbidden", "playing in arena " + name + " needs the right arena:" + name));
            local.outbox.flush();
            read = new ArenaInput.Commands(read.commands().stream().filter(command -> !(command instanceof ArenaInput.Join)).toList(),
                    read.commandsLimited(), read.saysLimited());
        }
        String fixedName = local.playsAs;
        if (fixedName != null) {
            read = new ArenaInput.Commands(read.commands().stream()
                    .map(command -> command instanceof ArenaInput.Join ? new ArenaInput.Join(fixedName) : command).toList(),
                    read.commandsLimited(), read.saysLimited());
        }
        boolean joins = read.commands().stream().anyMatch(command -> command instanceof ArenaInput.Join);
        if (!joins && local.onTurn.get() == 0) {
            apply(local, read);
            return;
        }
        ArenaInput.Commands onTurn = read;
        local.onTurn.incrementAndGet();
        boolean taken = turn.run(() -> {
            try {
                joinOnTurn(local, onTurn, joins);
            } finally {
                local.onTurn.decrementAndGet();
            }
        });
        if (!taken) {
            local.onTurn.decrementAndGet();
            local.outbox.enqueueText(ArenaMessages.error("unavailable", "the arena cannot be reached now; try again"));
            local.outbox.flush();
        }
    }

    private void joinOnTurn(Local local, ArenaInput.Commands read, boolean joins) {
        if (joins && !closed) {
            boolean placed;
            try {
                placed = activate();
            } catch (EngineUnavailableException e) {
                local.outbox.enqueueText(ArenaMessages.error("unavailable", "the arena cannot be reached now; try again"));
                local.outbox.flush();
                return;
            }
            if (!placed) {
                local.outbox.enqueueText(ArenaMessages.error("no-arena",
                        "every arena is in use (arenaMaxArenas); try again later, or play in " + Arenas.MAIN));
                local.outbox.flush();
                return;
            }
        }
        apply(local, read);
    }

    /** Applies what was read where the arena runs here, relays it where it runs elsewhere, or answers for a dormant arena. */
    private void apply(Local local, ArenaInput.Commands read) {
        Arena running = arena;
        Arena.Seat seat = local.seat;
        if (running != null && seat != null) {
            running.apply(seat, read);
            return;
        }
        if (!active) {
            answerDormant(local, read);
            return;
        }
        StringBuilder relayed = new StringBuilder();
        boolean any = false;
        for (ArenaInput.Command command : read.commands()) {
            if (command instanceof ArenaInput.Invalid invalid) {
                local.outbox.enqueueText(ArenaMessages.error(invalid.code(), invalid.message()));
            } else {
                relayed.append(relayed.isEmpty() ? "" : "\n").append(ArenaInput.format(command));
                any = true;
                if (command instanceof ArenaInput.Join) {
                    local.relayedJoin = ArenaInput.format(command);
                    local.joinRelayedAt = System.nanoTime();
                } else if (command instanceof ArenaInput.Leave) {
                    local.relayedJoin = null;
                }
            }
        }
        if (read.commandsLimited()) {
            local.outbox.enqueueText(rates.commandsLimited());
        }
        if (read.saysLimited()) {
            local.outbox.enqueueText(rates.saysLimited());
        }
        if (any && !relay.commands(local.key, relayed.toString())) {
            local.outbox.enqueueText(ArenaMessages.error("unavailable", "the arena cannot be reached now; try again"));
        }
        local.outbox.flush();
    }

    /** Dormant and no join: what the arena would answer a connection that does not play. */
    private void answerDormant(Local local, ArenaInput.Commands read) {
        for (ArenaInput.Command command : read.commands()) {
            local.outbox.enqueueText(command instanceof ArenaInput.Invalid invalid
                    ? ArenaMessages.error(invalid.code(), invalid.message())
                    : ArenaMessages.error("not-playing", "send join NAME first"));
        }
        if (read.commandsLimited()) {
            local.outbox.enqueueText(rates.commandsLimited());
        }
        if (read.saysLimited()) {
            local.outbox.enqueueText(rates.saysLimited());
        }
        local.outbox.flush();
    }

    /**
     * A connection ended; its seat leaves on the turn. Returns whether the arena is over here (then it
     * has ended and told the registry); false also while the turn is busy, which tells the registry itself.
     */
    boolean close(Local local) {
        synchronized (this) {
            locals.remove(local.key);
        }
        turn.runAlways(() -> {
            Arena running = arena;
            Arena.Seat seat = local.seat;
            if (running != null && seat != null) {
                running.unseat(seat);
            } else if (active) {
                relay.detach(local.key);
            }
            endIfEmpty();
        });
        return closed;
    }

    /**
     * On the turn: nobody here, and where this server runs the arena nobody relayed either: the arena
     * ends here. Decided under this lock with {@link #open}, so a connection arriving meanwhile either
     * counts or finds the arena ended.
     */
    private void endIfEmpty() {
        synchronized (this) {
            Arena running = arena;
            if (closed || !locals.isEmpty() || (running != null && running.seats() > 0)) {
                return;
            }
            closed = true;
        }
        endOnTurn();
        whenEnded.run();
    }

    /** Leaves the arena for good (the last connection left, or undeploy): the lease goes at once, so another server can take over. */
    void end() {
        synchronized (this) {
            closed = true;
        }
        turn.run(this::endOnTurn);
    }

    private void endOnTurn() {
        if (watch != null) {
            watch.cancel(false);
            watch = null;
        }
        Arena running = arena;
        arena = null;
        if (running != null) {
            stopRunning(running);
        }
        relay.stop();
        if (active) {
            active = false;
            givePlaceBack.run();
        }
    }

    /** Stops the world here and lets another server take it over at once, from what it was. */
    private void stopRunning(Arena running) {
        running.stop();
        if (relay.shared()) {
            relay.save(running);
            relay.releaseLease();
        }
    }

    /** On the turn: runs the arena here, from the saved state if there is one (another server ran it), and tells the relaying servers. */
    private void run() {
        relay.stop();
        Arena running = newArena.get();
        Arena.SavedState saved = relay.saved();
        if (saved != null) {
            running.restore(saved, GRACE);
        }
        for (Local local : locals.values()) {
            local.seat = running.seat(local.key, new Sink.Local(local.outbox), false, scheduler); // rates applied in handle
        }
        if (joinsLostWhereItRan) {
            joinsLostWhereItRan = false;
            for (Local local : recentJoins()) {
                running.handle(local.seat, local.relayedJoin); // already playing, if it did arrive: an error, no harm
            }
        }
        locals.values().forEach(local -> local.relayedJoin = null);
        running.whenNobodyPlays(() -> turn.handOff(this::sleepIfNobodyPlays)); // not on the tick's thread: it calls the engine
        arena = running;
        relay.runHere(running, () -> turn.handOff(this::endIfEmpty));
    }

    /** On the turn: relays to the server that runs the arena, attaching every connection here to it. */
    private void relay() {
        Arena running = arena;
        arena = null;
        if (running != null) {
            running.stop(); // another server took the lease: it runs the arena now
        }
        for (Local local : locals.values()) {
            local.seat = null;
        }
        relay.relayFrom(this);
        locals.keySet().forEach(relay::attach);
    }

    @Override
    public Local local(String seat) {
        return locals.get(seat);
    }

    /** From a delivery: another server runs the arena now. */
    @Override
    public void runnerChanged() {
        turn.handOff(() -> {
            if (closed || !active || arena != null) {
                return;
            }
            locals.keySet().forEach(relay::attach);
            if (joinsLostWhereItRan) {
                joinsLostWhereItRan = false;
                recentJoins().forEach(local -> relay.commands(local.key, local.relayedJoin));
            }
        });
    }

    /** From a delivery: the running server went dormant. */
    @Override
    public void runnerWentDormant() {
        turn.handOff(this::sleepIfRelayingForNobody);
    }

    /** Every {@link #WATCH}, on the engine's work: one watch waits on the turn at most. */
    private void watchOnTurn() {
        if (watchWaiting.compareAndSet(false, true)) {
            turn.run(() -> {
                watchWaiting.set(false);
                watch();
            });
        }
    }

    /**
     * On the turn: the runner renews its lease, saves its players and drops the seats of relaying
     * servers that died (the hub's liveness, as for chat presence); a relaying server takes the lease
     * if it lapsed.
     */
    private void watch() {
        if (closed || !active) {
            return; // a watch already waiting when it went dormant and cancelled it
        }
        try {
            boolean holder = relay.lease();
            Arena running = arena;
            if (running != null && holder) {
                relay.save(running);
                if (relay.dropDeadServers(running)) {
                    endIfEmpty();
                }
            } else if (running != null) {
                LOG.warning(() -> "Arena " + name + ": another server took its lease; relaying to it");
                relay();
            } else if (holder) {
                LOG.info(() -> "Arena " + name + ": its server stopped renewing its lease; running it here from its saved state");
                run();
            }
        } catch (EngineUnavailableException e) {
            LOG.fine(() -> "Arena " + name + " watch skipped: " + e.getMessage()); // the next one tries again
        }
    }
}
