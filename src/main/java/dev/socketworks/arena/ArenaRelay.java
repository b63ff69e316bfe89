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
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the servers taking part in one arena say to each other, over the hub's log, in typed
 * messages ({@link RelayMessages}). The server that runs the arena holds the lease {@code arena.NAME},
 * saves its players on {@code arena.NAME.state} and hears the other servers' seats and commands on
 * {@code arena.NAME.in}; it sends each relaying server one batch of frames a tick on
 * {@code arena.NAME.out.SERVER}, and says who runs the arena, or that it went dormant, on
 * {@code arena.NAME.owner}. Which servers are alive is the hub's {@link Hub#isAlive liveness}.
 *
 * <p>It holds no lock across an engine call and takes none of the arena's: its deliveries only
 * enqueue, look seats up in concurrent maps, and tell {@link Relaying} what changed.
 */
final class ArenaRelay {

    static final Duration LEASE = Duration.ofSeconds(2);
    private static final Retention LATEST_ONLY = new Retention(1, 1 << 20);
    private static final Logger LOG = Logger.getLogger(ArenaRelay.class.getName());

    /** The relaying server's side: its connections, and what it does when the running server changes. */
    interface Relaying {
        /** One of this server's connections, by seat key; null if it left. */
        SharedArena.Local local(String seat);

        /** Another server runs the arena now: attach every connection here to it. */
        void runnerChanged();

        /** The running server went dormant, nobody playing anywhere. */
        void runnerWentDormant();
    }

    private final String name;
    private final Hub hub;
    private final ScheduledExecutorService scheduler;
    private final Map<String, RelayBatch> batches = new ConcurrentHashMap<>(); // where it runs: by relaying server
    private final List<Hub.Subscription> subscriptions = new ArrayList<>(); // on the arena's turn only

    ArenaRelay(String name, Hub hub, ScheduledExecutorService scheduler) {
        this.name = name;
        this.hub = hub;
        this.scheduler = scheduler;
    }

    /** Whether other servers take part: the engine is shared. */
    boolean shared() {
        return hub.shared();
    }

    /** This server's name in the engine: the prefix of its connections' seat keys. */
    String server() {
        return hub.node();
    }

    private String topic(String suffix) {
        return "arena." + name + suffix;
    }

    /** Takes or renews the lease: whether this server runs the arena. In one server's memory, always. */
    boolean lease() {
        return hub.lease(topic(""), LEASE);
    }

    void releaseLease() {
        try {
            hub.releaseLease(topic(""));
        } catch (EngineUnavailableException e) {
            // It lapses by itself.
        }
    }

    /** Saves the running arena's players: where the next server to run it carries on from. */
    void save(Arena running) {
        if (!hub.shared()) {
            return;
        }
        try {
            hub.publish(topic(".state"), JsonMessages.toJson(running.save()), LATEST_ONLY);
        } catch (EngineUnavailableException e) {
            LOG.fine(() -> "Arena " + name + " not saved: " + e.getMessage());
        }
    }

    /** What the last server to run it saved; null if nothing, or in memory. */
    Arena.SavedState saved() {
        if (!hub.shared()) {
            return null;
        }
        try {
            History history = hub.history(topic(".state"), 0, Integer.MAX_VALUE);
            List<Message> saved = history.messages();
            return saved.isEmpty() ? null : JsonMessages.fromJson(saved.get(saved.size() - 1).text(), Arena.SavedState.class);
        } catch (RuntimeException e) { // the engine unreachable, or a state this version cannot read
            LOG.log(Level.WARNING, "Arena " + name + ": its saved state could not be read; starting a new world", e);
            return null;
        }
    }

    /** Where it runs now: hears the relaying servers' seats and commands, and tells them it runs it. */
    void runHere(Arena running, Runnable seatLeft) {
        stop();
        if (hub.shared()) {
            subscriptions.add(hub.subscribe(topic(".in"), new Inbound(running, seatLeft)));
            publish(topic(".owner"), RelayMessages.owner(hub.node(), false));
        }
    }

    /** Where it ran, after the lease was released: nobody plays, so every server may go dormant. */
    void announceDormant() {
        if (hub.shared()) {
            publish(topic(".owner"), RelayMessages.owner(hub.node(), true));
        }
    }

    /** Where another server runs it: hears the frames for this server's connections and who runs it. */
    void relayFrom(Relaying relaying) {
        stop();
        subscriptions.add(hub.subscribe(topic(".out." + hub.node()), new Outbound(relaying)));
        subscriptions.add(hub.subscribe(topic(".owner"), new OwnerChanges(relaying)));
    }

    /** No more deliveries for this arena here. */
    void stop() {
        subscriptions.forEach(Hub.Subscription::close);
        subscriptions.clear();
        batches.clear();
    }

    boolean attach(String seat) {
        return publish(topic(".in"), RelayMessages.attach(seat));
    }

    boolean detach(String seat) {
        return publish(topic(".in"), RelayMessages.detach(seat));
    }

    /** False when the engine cannot be reached: the connection is told. */
    boolean commands(String seat, String commands) {
        return publish(topic(".in"), RelayMessages.commands(seat, commands));
    }

    /**
     * Where it runs: the seats relayed from servers that died leave. True if any did, so the arena may
     * now be empty.
     */
    boolean dropDeadServers(Arena running) {
        boolean dropped = false;
        for (String server : batches.keySet()) {
            if (!hub.isAlive(server)) {
                batches.remove(server);
                running.unseatAll(server + "/");
                dropped = true;
                LOG.info(() -> "Arena " + name + ": server " + server + " died; its relayed players left");
            }
        }
        return dropped;
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
        private final Runnable seatLeft;
        private final Queue<String> received = new ConcurrentLinkedQueue<>(); // deliver only enqueues; flush applies

        Inbound(Arena running, Runnable seatLeft) {
            this.running = running;
            this.seatLeft = seatLeft;
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
            String server = serverOf(key);
            if (hub.isThisServer(server)) {
                return; // this server's own connections are seated directly
            }
            switch (relayed.kind()) {
                case ATTACH -> {
                    RelayBatch batch = batches.computeIfAbsent(server,
                            s -> new RelayBatch(frames -> publishLater(topic(".out." + s), frames)));
                    running.seat(key, new Sink.Relayed(key, batch), false, scheduler);
                }
                case DETACH -> {
                    Arena.Seat seat = running.seatFor(key);
                    if (seat != null && running.unseat(seat)) {
                        seatLeft.run();
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

        private final Relaying relaying;
        private final Set<Outbox> touched = ConcurrentHashMap.newKeySet();
        private final Queue<String> resyncs = new ConcurrentLinkedQueue<>();

        Outbound(Relaying relaying) {
            this.relaying = relaying;
        }

        @Override
        public void deliver(Message message) {
            RelayMessages.Frames batch = RelayMessages.read(message.text(), RelayMessages.Frames.class);
            if (batch == null || batch.frames() == null) {
                return;
            }
            for (RelayMessages.Frame relayed : batch.frames()) {
                SharedArena.Local local = relayed.seat() == null ? null : relaying.local(relayed.seat());
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

    /** Where this server relays: a new server runs the arena, or the running one went dormant. */
    private static final class OwnerChanges implements Subscriber {

        private final Relaying relaying;
        private volatile boolean changed;
        private volatile boolean dormant;

        OwnerChanges(Relaying relaying) {
            this.relaying = relaying;
        }

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
                relaying.runnerChanged();
            }
            if (dormant) {
                dormant = false;
                relaying.runnerWentDormant();
            }
        }
    }
}
