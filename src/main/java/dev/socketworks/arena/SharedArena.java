package dev.socketworks.arena;

import dev.socketworks.hub.EngineUnavailableException;
import dev.socketworks.hub.History;
import dev.socketworks.hub.Hub;
import dev.socketworks.hub.Message;
import dev.socketworks.hub.Retention;
import dev.socketworks.hub.Subscriber;
import dev.socketworks.json.JsonMessages;
import dev.socketworks.outbox.Outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One arena as this server takes part in it. An arena runs on exactly one server at a time, the
 * holder of the lease {@code arena.NAME}: there it is an {@link Arena}, and players connected to other
 * servers are seats relayed through the engine. Every other server with players in it relays: their
 * commands go to the holder on {@code arena.NAME.in}; what the holder sends them comes back, one
 * batch per tick, on {@code arena.NAME.out.SERVER}. The holder saves its players (seat, name, place,
 * mass) on {@code arena.NAME.state} every {@link #WATCH}; if it dies, its lease lapses and the next
 * server to take it carries on from that state and says so on {@code arena.NAME.owner}, and the
 * other servers attach their players again: a pause of at most {@link #LEASE} plus {@link #WATCH},
 * not a new world. In one server's memory the lease is always this server's: the arena runs here.
 *
 * <p>Connecting takes nothing but a connection: the arena stays dormant here (no world, no lease, no
 * tick) until a connection joins, and only then takes one of the deployment's {@code arenaMaxArenas}
 * places (never refused for {@link Arenas#MAIN}). Where it runs, it gives the place back as soon as nobody
 * plays on any server, and says so on {@code arena.NAME.owner}: the relaying servers give theirs back
 * too, and every server's watchers wait dormant again: idle connections hold no arena anywhere.
 *
 * <p>Hub deliveries never take this object's lock (they look seats up in a concurrent map and only
 * enqueue); only the changes of role take it.
 */
final class SharedArena {

    static final Duration LEASE = Duration.ofSeconds(2);
    static final Duration WATCH = Duration.ofMillis(500);
    /** How long players restored from a saved state wait for their seat to attach again before they leave. */
    static final Duration GRACE = Duration.ofSeconds(3);
    /** How long a join relayed from here may take to reach the running server (it went dormant meanwhile: see below). */
    static final Duration SILENT_SERVER = Duration.ofSeconds(3);
    private static final Retention LATEST_ONLY = new Retention(1, 1 << 20);
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
        volatile Arena.Seat seat; // while this server runs the arena
        private volatile boolean watchOnly;
        // Relaying: its last join, until it leaves or is eaten, and when it went. A join that crossed the
        // running server's going dormant was lost there; this server applies it when it runs the arena.
        volatile String relayedJoin;
        volatile long joinRelayedAt;

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
    private final Hub hub;
    private final ScheduledExecutorService scheduler;
    private final ScheduledExecutorService engineWork;
    private final Supplier<Arena> newArena;
    private final boolean runsWhileWatched;
    private final BooleanSupplier takePlace;
    private final Runnable givePlaceBack;
    private final Runnable whenEnded;
    private final PlayerRates rates;
    private final Map<String, Local> locals = new ConcurrentHashMap<>();
    private final Map<String, RelayBatch> batches = new ConcurrentHashMap<>();
    private volatile Arena arena; // non-null while this server runs it
    // Guarded by this.
    private int seatNumbers;
    private int joining; // joins between taking a place and being applied
    // The running server went dormant while joins from here were on their way to it: applied by whichever
    // server runs the arena next (this one, or sent to another).
    private volatile boolean joinsLostWhereItRan;
    private final List<Hub.Subscription> subscriptions = new ArrayList<>();
    private ScheduledFuture<?> watch;
    private volatile boolean closed; // written under this; read without it by the registry
    private volatile boolean active; // holds a place: running or relaying; written under this

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
     * @param engineWork runs what calls the engine and may wait on it (the lease, saves, going dormant)
     */
    SharedArena(String name, Hub hub, ScheduledExecutorService scheduler, ScheduledExecutorService engineWork, PlayerRates rates,
                Supplier<Arena> newArena, boolean runsWhileWatched, BooleanSupplier takePlace, Runnable givePlaceBack,
                Runnable whenEnded) {
        this.name = name;
        this.runsWhileWatched = runsWhileWatched;
        this.hub = hub;
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

    private String topic(String suffix) {
        return "arena." + name + suffix;
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
     * {@code maxConnections} connections to the arena; {@code ended} when the arena has just ended here
     * (the caller takes a new one). Checked and counted in one step.
     */
    synchronized Opened open(Outbox outbox, int maxConnections) {
        if (closed) {
            return new Opened(null, true, false);
        }
        if (locals.size() >= maxConnections) {
            return new Opened(null, false, true);
        }
        Local local = new Local(hub.node() + "/" + ++seatNumbers, outbox);
        locals.put(local.key, local);
        if (active) {
            attach(local);
        } else if (runsWhileWatched) {
            activate(); // seats every connection here, this one included
        }
        return new Opened(local, false, false);
    }

    /** As {@link #open(Outbox, int)} without a cap, for tests: null when the arena ended. */
    Local open(Outbox outbox) {
        return open(outbox, Integer.MAX_VALUE).local();
    }

    private void attach(Local local) {
        Arena running = arena;
        if (running != null) {
            local.seat = running.seat(local.key, new Sink.Local(local.outbox), false, scheduler);
        } else {
            publish(topic(".in"), RelayMessages.attach(local.key));
        }
    }

    /**
     * The first join here takes a place and decides this server's part: running the arena, or relaying
     * to the server that does. False when every place is taken.
     */
    private boolean activate() {
        if (active) {
            return true;
        }
        if (!takePlace.getAsBoolean()) {
            return false;
        }
        active = true;
        if (hub.lease(topic(""), LEASE)) {
            run();
        } else {
            relay();
        }
        if (hub.shared()) {
            watch = engineWork.scheduleAtFixedRate(this::watch, WATCH.toMillis(), WATCH.toMillis(), TimeUnit.MILLISECONDS);
        }
        return true;
    }

    /** Called by the running arena's tick when nobody plays in it, on any server: dormant again, everywhere. */
    private void nobodyPlays() {
        try {
            engineWork.execute(this::sleepIfNobodyPlays); // not on the tick's thread: this takes our lock and the engine
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // undeploying: everything ends anyway
        }
    }

    private synchronized void sleepIfNobodyPlays() {
        Arena running = arena;
        if (closed || running == null || joining > 0 || running.playerCount() > 0) {
            return; // someone joins or joined meanwhile
        }
        stopRunning(running);
        if (hub.shared()) {
            publish(topic(".owner"), RelayMessages.owner(hub.node(), true)); // after the release: a join there takes the lease at once
        }
        arena = null;
        locals.values().forEach(local -> local.seat = null);
        goDormant();
    }

    /**
     * Where this server relays: the running server went dormant, nobody playing anywhere. This one gives
     * its place back too, unless a join from here may have crossed that (sent within {@link #SILENT_SERVER}):
     * then it stays, its watch takes the released lease, and it runs the arena with those joins applied.
     */
    private synchronized void sleepIfRelayingForNobody() {
        if (closed || !active || arena != null || joining > 0) {
            return;
        }
        if (!recentJoins().isEmpty()) {
            joinsLostWhereItRan = true;
            return;
        }
        goDormant();
    }

    /** No watch, no subscriptions, no place: the state a connection finds before anyone joins here. Under this. */
    private void goDormant() {
        if (watch != null) {
            watch.cancel(false);
            watch = null;
        }
        closeSubscriptions();
        active = false;
        givePlaceBack.run();
    }

    private List<Local> recentJoins() {
        long now = System.nanoTime();
        return locals.values().stream()
                .filter(local -> local.relayedJoin != null && now - local.joinRelayedAt < SILENT_SERVER.toNanos())
                .toList();
    }

    /** One client message, where the arena runs, or checked and rate-limited here and relayed to it. */
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
        if (read.commands().stream().anyMatch(command -> command instanceof ArenaInput.Join)) {
            boolean placed;
            synchronized (this) { // a join may take a place; until it is applied the arena may not go dormant
                placed = closed || activate();
                if (placed) {
                    joining++;
                }
            }
            if (!placed) {
                local.outbox.enqueueText(ArenaMessages.error("no-arena",
                        "every arena is in use (arenaMaxArenas); try again later, or play in " + Arenas.MAIN));
                local.outbox.flush();
                return;
            }
            try {
                if (applyHere(local, read)) { // outside our lock: applying flushes outboxes into the container
                    return;
                }
            } finally {
                synchronized (this) {
                    joining--;
                }
            }
        } else if (applyHere(local, read)) {
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
        if (any && !publish(topic(".in"), RelayMessages.commands(local.key, relayed.toString()))) {
            local.outbox.enqueueText(ArenaMessages.error("unavailable", "the arena cannot be reached now; try again"));
        }
        local.outbox.flush();
    }

    /** Applies what was read where the arena runs here; false where it does not. */
    private boolean applyHere(Local local, ArenaInput.Commands read) {
        Arena running = arena;
        Arena.Seat seat = local.seat;
        if (running != null && seat != null) {
            running.apply(seat, read);
            return true;
        }
        return false;
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

    /** A connection ended. Returns whether the arena is over here (then it has {@link #end ended}). */
    synchronized boolean close(Local local) {
        locals.remove(local.key);
        Arena running = arena;
        if (running != null && local.seat != null) {
            running.unseat(local.seat);
        } else if (active) {
            publish(topic(".in"), RelayMessages.detach(local.key));
        }
        return endIfEmpty();
    }

    /** Nobody here, and where this server runs the arena nobody relayed either: the arena ends here. */
    synchronized boolean endIfEmpty() {
        Arena running = arena;
        boolean empty = closed || (running != null ? running.seats() == 0 : locals.isEmpty());
        if (empty && !closed) {
            end();
            whenEnded.run();
        }
        return empty;
    }

    /** Leaves the arena for good (the last connection left, or undeploy): the lease goes at once, so another server can take over. */
    synchronized void end() {
        closed = true;
        if (watch != null) {
            watch.cancel(false);
        }
        Arena running = arena;
        arena = null;
        if (running != null) {
            stopRunning(running);
        }
        subscriptions.forEach(Hub.Subscription::close);
        subscriptions.clear();
        if (active) {
            active = false;
            givePlaceBack.run();
        }
    }

    /** Stops the world here and lets another server take it over at once, from what it was. */
    private void stopRunning(Arena running) {
        running.stop();
        if (hub.shared()) {
            saveQuietly(running);
            try {
                hub.releaseLease(topic(""));
            } catch (EngineUnavailableException e) {
                // It lapses by itself.
            }
        }
    }

    /** Runs the arena here: from the saved state if there is one (another server ran it), then tells the relaying servers. */
    private void run() {
        closeSubscriptions();
        Arena running = newArena.get();
        if (hub.shared()) {
            Arena.SavedState saved = savedState();
            if (saved != null) {
                running.restore(saved, GRACE);
            }
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
        running.whenNobodyPlays(this::nobodyPlays);
        arena = running;
        if (hub.shared()) {
            subscriptions.add(hub.subscribe(topic(".in"), new Inbound(running)));
            publish(topic(".owner"), RelayMessages.owner(hub.node(), false));
        }
    }

    /** Relays to the server that runs the arena: attaches every connection here to it. */
    private void relay() {
        closeSubscriptions();
        Arena running = arena;
        arena = null;
        if (running != null) {
            running.stop(); // another server took the lease: it runs the arena now
        }
        for (Local local : locals.values()) {
            local.seat = null;
        }
        subscriptions.add(hub.subscribe(topic(".out." + hub.node()), new Outbound()));
        subscriptions.add(hub.subscribe(topic(".owner"), new OwnerChanges()));
        locals.keySet().forEach(key -> publish(topic(".in"), RelayMessages.attach(key)));
    }

    private void closeSubscriptions() {
        subscriptions.forEach(Hub.Subscription::close);
        subscriptions.clear();
    }

    /**
     * Every WATCH: the runner renews its lease, saves its players and drops the seats of relaying
     * servers that died (the hub's {@link Hub#isAlive liveness}, as for chat presence); a relaying
     * server takes the lease if it lapsed.
     */
    private void watch() {
        Arena runningHere = null;
        boolean unusedLease = false;
        try {
            synchronized (this) {
                if (closed || !active) {
                    return; // a watch already waiting for the lock when it went dormant and cancelled it
                }
            }
            boolean holder = hub.lease(topic(""), LEASE); // an engine call: not under this arena's lock
            synchronized (this) {
                if (closed || !active) {
                    unusedLease = holder; // went dormant meanwhile
                } else {
                    Arena running = arena;
                    if (running != null && holder) {
                        runningHere = running;
                    } else if (running != null) {
                        LOG.warning(() -> "Arena " + name + ": another server took its lease; relaying to it");
                        relay();
                    } else if (holder) {
                        LOG.info(() -> "Arena " + name + ": its server stopped renewing its lease; running it here from its saved state");
                        run();
                    }
                }
            }
            if (unusedLease) {
                hub.releaseLease(topic(""));
            }
            if (runningHere != null) { // engine calls: not under this arena's lock
                saveQuietly(runningHere);
                dropDeadServers(runningHere);
            }
        } catch (EngineUnavailableException e) {
            LOG.fine(() -> "Arena " + name + " watch skipped: " + e.getMessage()); // the next one tries again
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Arena " + name + " watch failed", e); // thrown out of a scheduled task, it would stop the watch for good
        }
    }

    private void saveQuietly(Arena running) {
        try {
            hub.publish(topic(".state"), JsonMessages.toJson(running.save()), LATEST_ONLY);
        } catch (EngineUnavailableException e) {
            LOG.fine(() -> "Arena " + name + " not saved: " + e.getMessage());
        }
    }

    private Arena.SavedState savedState() {
        try {
            History history = hub.history(topic(".state"), 0, Integer.MAX_VALUE);
            List<Message> saved = history.messages();
            return saved.isEmpty() ? null : JsonMessages.fromJson(saved.get(saved.size() - 1).text(), Arena.SavedState.class);
        } catch (RuntimeException e) { // the engine unreachable, or a state this version cannot read
            LOG.log(Level.WARNING, "Arena " + name + ": its saved state could not be read; starting a new world", e);
            return null;
        }
    }

    /** The seats relayed from servers that died go; the arena ends here if nobody is left. */
    private void dropDeadServers(Arena running) {
        for (String server : batches.keySet()) {
            if (!hub.isAlive(server)) {
                batches.remove(server);
                running.unseatAll(server + "/");
                LOG.info(() -> "Arena " + name + ": server " + server + " died; its relayed players left");
            }
        }
        if (running.seats() == 0 && locals.isEmpty()) {
            engineWork.execute(this::endIfEmpty);
        }
    }

    /**
     * Frames for a relaying server, sent by the tick's sends: handed to the engine without waiting
     * (in order), so a slow engine delays the relayed players only, never the tick or the timers.
     */
    private void publishLater(String topic, String text) {
        hub.publishLater(topic, text, Retention.NONE).whenComplete((offset, failure) -> {
            if (failure != null) {
                LOG.fine(() -> "Arena " + name + ": frames for another server not sent: " + failure.getMessage());
            }
        });
    }

    private boolean publish(String topic, String text) {
        try {
            hub.publish(topic, text, Retention.NONE);
            return true;
        } catch (EngineUnavailableException e) {
            return false;
        }
    }

    private static String serverOf(String seatKey) {
        return seatKey.substring(0, seatKey.lastIndexOf('/'));
    }

    /** Where the arena runs: what relaying servers send it. */
    private final class Inbound implements Subscriber {

        private final Arena running;
        private final Queue<String> received = new ConcurrentLinkedQueue<>(); // deliver only enqueues; flush applies

        Inbound(Arena running) {
            this.running = running;
        }

        @Override
        public void deliver(Message message) {
            if (message.text() != null) {
                received.add(message.text());
            }
        }

        /**
         * Applies what came, in order. Flushes may run on several threads at once (a topic's sends start
         * off its turn): draining under this lock keeps a seat's attach before its commands.
         */
        @Override
        public synchronized void flush() {
            for (String text = received.poll(); text != null; text = received.poll()) {
                apply(text);
            }
        }

        private void apply(String text) {
            RelayMessages.ToRunner relayed = RelayMessages.read(text, RelayMessages.ToRunner.class);
            if (relayed == null || relayed.kind() == null || relayed.seat() == null || relayed.seat().indexOf('/') < 0) {
                return;
            }
            String key = relayed.seat();
            if (hub.isThisServer(serverOf(key))) {
                return; // this server's own connections are seated directly
            }
            String server = serverOf(key);
            switch (relayed.kind()) {
                case ATTACH -> {
                    RelayBatch batch = batches.computeIfAbsent(server,
                            s -> new RelayBatch(frames -> publishLater(topic(".out." + s), frames)));
                    running.seat(key, new Sink.Relayed(key, batch), false, scheduler);
                }
                case DETACH -> {
                    Arena.Seat seat = running.seatFor(key);
                    if (seat != null && running.unseat(seat)) {
                        engineWork.execute(SharedArena.this::endIfEmpty); // not on the hub's thread: it takes this arena's lock
                    }
                }
                case RESYNC -> running.resynchronise(key);
                case COMMANDS -> {
                    Arena.Seat seat = running.seatFor(key);
                    if (seat != null && relayed.commands() != null) {
                        running.handle(seat, relayed.commands());
                    }
                }
            }
        }
    }

    /** Where this server relays: the batches the running server sends its connections. */
    private final class Outbound implements Subscriber {

        private final Set<Outbox> touched = ConcurrentHashMap.newKeySet();
        private final Queue<String> resyncs = new ConcurrentLinkedQueue<>();

        @Override
        public void deliver(Message message) {
            RelayMessages.Frames batch = RelayMessages.read(message.text(), RelayMessages.Frames.class);
            if (batch == null || batch.frames() == null) {
                return;
            }
            for (RelayMessages.Frame relayed : batch.frames()) {
                Local local = relayed.seat() == null ? null : locals.get(relayed.seat());
                String frame = relayed.text();
                if (local == null || frame == null) {
                    continue;
                }
                if (local.outbox.queued() > Arena.BACKLOG) {
                    // Behind like a slow client where the arena runs: drop everything until it drains.
                    local.behind = true;
                    local.resyncAsked = false;
                    continue;
                }
                if (frame.startsWith("{\"type\":\"say\"") && local.outbox.queued() >= Arena.SAY_BACKLOG) {
                    continue; // as where the arena runs: a say never pushes a client behind on deltas
                }
                if (local.behind) {
                    if (!frame.startsWith("{\"type\":\"snapshot\"")) {
                        if (!local.resyncAsked) { // drained: one snapshot instead of the missed deltas
                            local.resyncAsked = true;
                            resyncs.add(local.key);
                        }
                        continue;
                    }
                    local.behind = false;
                }
                if (frame.startsWith("{\"type\":\"eaten\"")) {
                    local.relayedJoin = null; // out of the game: nothing to apply again
                }
                local.outbox.enqueueText(frame);
                touched.add(local.outbox);
            }
        }

        @Override
        public void flush() {
            for (Iterator<Outbox> it = touched.iterator(); it.hasNext(); ) {
                Outbox outbox = it.next();
                it.remove();
                outbox.flush();
            }
            for (String key = resyncs.poll(); key != null; key = resyncs.poll()) {
                publish(topic(".in"), RelayMessages.resync(key));
            }
        }
    }

    /**
     * Where this server relays: a new server runs the arena (attach every connection here to it), or
     * the running one went dormant (so may this one).
     */
    private final class OwnerChanges implements Subscriber {

        private volatile boolean changed;
        private volatile boolean dormant;

        @Override
        public void deliver(Message message) {
            RelayMessages.Owner owner = RelayMessages.read(message.text(), RelayMessages.Owner.class);
            if (owner == null) {
                return;
            }
            if (owner.dormant()) {
                dormant = true;
            } else {
                changed = true;
                dormant = false;
            }
        }

        @Override
        public synchronized void flush() { // one at a time: flushes may run on several threads
            if (changed) {
                changed = false;
                locals.keySet().forEach(key -> publish(topic(".in"), RelayMessages.attach(key)));
                if (joinsLostWhereItRan) {
                    joinsLostWhereItRan = false;
                    recentJoins().forEach(local -> publish(topic(".in"), RelayMessages.commands(local.key, local.relayedJoin)));
                }
            }
            if (dormant) {
                dormant = false;
                try {
                    engineWork.execute(SharedArena.this::sleepIfRelayingForNobody); // takes this arena's lock: not on the hub's thread
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    // undeploying: everything ends anyway
                }
            }
        }
    }
}
