package dev.socketworks.auth;

import java.util.List;

/**
 * The rights that let a connection open on a path, checked before the upgrade (HTTP 403 without any
 * of them). Looking is enough to connect: {@code chat-read:R} opens {@code /chat/R} (and {@code chat:R}
 * implies it); what a connection may then do is checked per action by its service.
 */
public final class PathRights {

    private PathRights() {
    }

    /**
     * Any one of these opens {@code path} (the container's decoded path within the application); empty
     * when the path is no WebSocket endpoint's (the container answers it, as before).
     */
    public static List<String> toConnect(String path) {
        String[] segments = path.split("/", -1);
        if (segments.length < 2 || !segments[0].isEmpty()) {
            return List.of();
        }
        String first = segments[1];
        String second = segments.length == 3 ? segments[2] : null;
        if (segments.length > 3 || second != null && second.isEmpty()) {
            return List.of();
        }
        return switch (first) {
            case "echo", "hello", "ticker", "countdown" -> second == null ? List.of(first) : List.of();
            case "broadcast" -> second == null ? List.of("broadcast:read", "broadcast:publish") : List.of();
            case "totals" -> second == null ? List.of("totals:read", "totals:add") : List.of();
            case "chat" -> List.of("chat-read:" + (second == null ? LOBBY : second));
            case "arena" -> List.of("arena-watch:" + (second == null ? MAIN_ARENA : second));
            case "run" -> second == null ? List.of() : List.of("run:" + second);
            case "admin" -> "stream".equals(second) ? List.of("admin") : List.of(); // and never a guest: AdmissionFilter
            default -> List.of();
        };
    }

    /** The room {@code /chat} serves. */
    public static final String LOBBY = "lobby";
    /** The arena {@code /arena} serves. */
    public static final String MAIN_ARENA = "main";
}
