package dev.socketworks.arena;

import dev.socketworks.json.JsonMessages;

import java.util.List;
import java.util.logging.Logger;

/**
 * What the servers taking part in one arena say to each other over the hub's log: typed records,
 * written and read with JSON-B. Who is alive is not among them: that is the hub's
 * {@link dev.socketworks.hub.Liveness liveness}.
 * <pre>
 * arena.NAME.in          {"kind":"ATTACH","seat":"node-2#k3/7"}            to the running server: a seat relayed from another server
 *                        {"kind":"COMMANDS","seat":"...","commands":"join Ann\ntarget 5 9"}   its commands, checked again where it runs
 *                        {"kind":"DETACH","seat":"..."}  {"kind":"RESYNC","seat":"..."}
 * arena.NAME.out.SERVER  {"frames":[{"seat":"...","text":"{\"type\":\"delta\",...}"}]}   one tick's messages for that server's seats, in order
 * arena.NAME.owner       {"dormant":false,"server":"node-1#a9"}               who runs it now, or that it went dormant there
 * </pre>
 */
public final class RelayMessages {

    private static final Logger LOG = Logger.getLogger(RelayMessages.class.getName());

    private RelayMessages() {
    }

    public enum Kind { ATTACH, DETACH, RESYNC, COMMANDS }

    /** To the running server: one seat's event; {@code commands} in the arena's input format (COMMANDS only). */
    public record ToRunner(Kind kind, String seat, String commands) {
    }

    /** To one relaying server: what the running server sent its seats in one tick, in order. */
    public record Frames(List<Frame> frames) {
    }

    public record Frame(String seat, String text) {
    }

    /** Who runs the arena now ({@code dormant} false), or that it went dormant on {@code server}. */
    public record Owner(boolean dormant, String server) {
    }

    static String attach(String seat) {
        return JsonMessages.toJson(new ToRunner(Kind.ATTACH, seat, null));
    }

    static String detach(String seat) {
        return JsonMessages.toJson(new ToRunner(Kind.DETACH, seat, null));
    }

    static String resync(String seat) {
        return JsonMessages.toJson(new ToRunner(Kind.RESYNC, seat, null));
    }

    static String commands(String seat, String commands) {
        return JsonMessages.toJson(new ToRunner(Kind.COMMANDS, seat, commands));
    }

    static String frames(List<Frame> frames) {
        return JsonMessages.toJson(new Frames(frames));
    }

    static String owner(String server, boolean dormant) {
        return JsonMessages.toJson(new Owner(dormant, server));
    }

    /**
     * The message, or null when it is not one (another version's, or damaged): logged, and skipped,
     * so one bad publication stops nothing.
     */
    static <T> T read(String text, Class<T> type) {
        if (text == null) {
            return null;
        }
        try {
            return JsonMessages.fromJson(text, type);
        } catch (RuntimeException e) {
            LOG.fine(() -> "Not a " + type.getSimpleName() + " relay message, skipped: " + e.getMessage());
            return null;
        }
    }
}
