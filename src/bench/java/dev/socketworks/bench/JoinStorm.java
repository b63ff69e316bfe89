package dev.socketworks.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * chat-join-storm: N members connect to one chat room (spread over the target's nodes) and join as
 * fast as the handshakes allow, each keeping its count of the room as a page does (chat-presence,
 * then chat-join, chat-leave and chat-presence-diff). Measured: joins a second, members the server cut
 * during the storm, and how long after the last join every member's count of the room is right (a
 * list names everyone up to chatPresenceListMax; above it changes are counted, not named).
 */
final class JoinStorm {

    private static final int CONNECT_CONCURRENCY = 256;
    /** How long after the last join the lists may take to agree before the run counts the stale ones. */
    private static final long CONVERGE_WITHIN_NANOS = TimeUnit.SECONDS.toNanos(120);

    private final int members;

    private JoinStorm(int members) {
        this.members = members;
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (int members : new int[] {1000, 10_000}) {
            JoinStorm storm = new JoinStorm(members);
            cases.add(new Case("chat-join-storm", members + " members join one room",
                    t -> t.chatRoomPrefix() != null && t.maxConnections() > members, storm::run));
        }
        return cases;
    }

    /**
     * One member's count of the room, kept as chat.js keeps it: the count in its chat-presence, one
     * more or less per chat-join and chat-leave, the count a chat-presence-diff gives. Read without a
     * JSON parser: 10,000 joiners each get a list of 1,000 names, and the load client shares the
     * machine's cores with the servers it measures.
     */
    private static final class Member implements WsClient.Handler {
        private static final Pattern TYPE = Pattern.compile("^\\{\"type\":\"([a-z-]+)\"");
        private static final String ERROR_TYPE = "\"type\":\"error\"}";
        private static final Pattern COUNT = Pattern.compile("\"count\":(\\d+)");
        private int count;
        private boolean joined;
        final AtomicInteger joinedCount;
        final AtomicLong lastJoinedNanos;
        final AtomicInteger refused;

        Member(AtomicInteger joinedCount, AtomicLong lastJoinedNanos, AtomicInteger refused) {
            this.joinedCount = joinedCount;
            this.lastJoinedNanos = lastJoinedNanos;
            this.refused = refused;
        }

        @Override
        public synchronized void text(WsClient client, String text) {
            Matcher type = TYPE.matcher(text);
            String kind = type.find() ? type.group(1) : text.endsWith(ERROR_TYPE) ? "error" : null; // an error's type comes last
            if (kind == null) {
                return;
            }
            switch (kind) {
                case "chat-joined" -> {
                    joined = true;
                    joinedCount.incrementAndGet();
                    lastJoinedNanos.accumulateAndGet(System.nanoTime(), Math::max);
                }
                case "error" -> refused.incrementAndGet(); // a join answered with an error (unavailable: the engine too slow)
                case "chat-join" -> count++;
                case "chat-leave" -> count--;
                case "chat-presence", "chat-presence-diff" -> {
                    Matcher counted = COUNT.matcher(text);
                    if (counted.find()) {
                        count = Integer.parseInt(counted.group(1));
                    }
                }
                default -> {
                }
            }
        }

        synchronized int count() {
            return count;
        }

        synchronized boolean joined() {
            return joined;
        }
    }

    private Map<String, Double> run(Target target) throws Exception {
        String room = "storm-" + Long.toHexString(System.nanoTime());
        AtomicInteger joined = new AtomicInteger();
        AtomicLong lastJoined = new AtomicLong();
        AtomicInteger refused = new AtomicInteger();
        List<Member> views = new ArrayList<>();
        List<WsClient> clients = new ArrayList<>();
        try {
            Semaphore connecting = new Semaphore(CONNECT_CONCURRENCY);
            List<CompletableFuture<WsClient>> opening = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < members; i++) {
                connecting.acquire();
                Member view = new Member(joined, lastJoined, refused);
                views.add(view);
                int index = i;
                URI uri = URI.create(target.node(index).chatRoomPrefix() + room);
                opening.add(WsClient.connect(uri, null, true, view)
                        .whenComplete((c, e) -> connecting.release())
                        .thenApply(c -> {
                            c.sendText("{\"type\":\"chat-join\",\"payload\":{\"username\":\"m" + index + "\"}}");
                            return c;
                        }));
            }
            for (CompletableFuture<WsClient> future : opening) {
                clients.add(future.get(120, TimeUnit.SECONDS));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (joined.get() + refused.get() < members && System.nanoTime() < deadline
                    && clients.stream().noneMatch(c -> c.closedFuture().isDone())) {
                Server.pause(20);
            }
            int cut = (int) clients.stream().filter(c -> c.closedFuture().isDone()).count();
            if (joined.get() + refused.get() < members && cut == 0) {
                throw new BenchFailure("only " + joined.get() + " of " + members + " joined within 120 s (" + refused.get() + " refused)");
            }
            double joinSeconds = (lastJoined.get() - start) / 1e9;
            // Every member's count must come to be the room's.
            long convergeDeadline = System.nanoTime() + CONVERGE_WITHIN_NANOS;
            int expected = joined.get();
            while (stale(views, expected) > 0 && cut == 0 && System.nanoTime() < convergeDeadline) {
                Server.pause(50);
            }
            int stale = stale(views, expected);
            double converged = (System.nanoTime() - lastJoined.get()) / 1e9;
            cut = (int) clients.stream().filter(c -> c.closedFuture().isDone()).count();
            Map<String, Double> figures = Case.figures();
            figures.put("joins/s", joined.get() / joinSeconds);
            figures.put("cut", (double) cut);
            figures.put("joins refused", (double) refused.get());
            figures.put("stale lists", (double) stale);
            figures.put("lists agree s", stale == 0 ? converged : Double.NaN);
            return figures;
        } finally {
            clients.forEach(WsClient::abort);
        }
    }

    /** Members whose count of the room is not {@code room}; the refused, who never joined, are not asked. */
    private int stale(List<Member> views, int room) {
        int stale = 0;
        for (Member view : views) {
            if (view.joined() && view.count() != room) {
                stale++;
            }
        }
        return stale;
    }
}
