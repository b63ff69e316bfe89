package dev.socketworks.runtime;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The last {@link #KEPT} cuts and refusals on this server, with their reasons, for the admin page. A
 * flood of refusals only turns the ring over: it costs the server the same few hundred entries.
 */
final class RecentEvents {

    /** Events kept: what the admin page lists. */
    static final int KEPT = 100;

    /** {@code kind}: refused, cut or closed; {@code where}: the endpoint or the refusal's reason. */
    public record Event(String time, String kind, String where, String detail) {
    }

    private final ArrayDeque<Event> events = new ArrayDeque<>(KEPT); // guarded by this

    void add(String kind, String where, String detail) {
        Event event = new Event(Instant.now().toString(), kind, where, detail);
        synchronized (this) {
            if (events.size() == KEPT) {
                events.removeFirst();
            }
            events.addLast(event);
        }
    }

    /** Newest first. */
    synchronized List<Event> newestFirst() {
        List<Event> all = new java.util.ArrayList<>(events);
        java.util.Collections.reverse(all);
        return all;
    }
}
