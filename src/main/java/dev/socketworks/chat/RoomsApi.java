package dev.socketworks.chat;

import dev.socketworks.hub.History;
import dev.socketworks.hub.Member;
import dev.socketworks.runtime.ApiServlet;
import dev.socketworks.runtime.AppContext;
import dev.socketworks.runtime.ServerControl;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /api/rooms}: chat rooms on every server. {@code GET /api/rooms} lists the rooms with
 * connections (most first) and how many each has on all servers together; {@code GET
 * /api/rooms/{room}} its members and last id; {@code GET /api/rooms/{room}/history?after=ID} the
 * messages it keeps after an id; {@code POST /api/rooms/{room}/messages} with
 * {@code {"from": "name", "message": "..."}} says something in it, kept in history and delivered as a
 * member's message is. A room the API touches takes a place among {@code chatMaxRooms} like a joined
 * one (then made way for when idle): the API cannot grow the server's rooms past their bound.
 */
@WebServlet(urlPatterns = {"/api/rooms", "/api/rooms/*"})
public class RoomsApi extends ApiServlet {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1_000;
    private static final Pattern ROOM_CALL = Pattern.compile("/([^/]+)(/history|/messages)?");

    /** A room and its connections on every server that answered. */
    public record RoomUse(String room, int connections) {
    }

    /** One server's rooms in use. */
    public record ServerRooms(Map<String, Integer> rooms) {
    }

    public record RoomList(int total, boolean truncated, List<RoomUse> rooms, List<String> missing) {
    }

    /** {@code user} is absent for a guest. */
    public record Present(String username, String user) {
    }

    /** A room's state: how many members, the first {@code limit} of them, and its last event's id. */
    public record RoomState(String room, int count, List<Present> members, long lastId) {
    }

    /**
     * Kept messages after {@code after}; {@code complete} (given with {@code after}) false when some
     * after it were already dropped, or {@code after} is from the room's earlier life.
     */
    public record RoomHistory(String room, long lastId, Boolean complete, List<ChatMessages.Event> events) {
    }

    public record Posted(String room, long id) {
    }

    @Override
    protected Map<String, String> rights() {
        return Map.of("GET", "api:rooms", "POST", "api:rooms");
    }

    @Override
    protected void call(HttpServletRequest request, HttpServletResponse response, AppContext app) throws IOException, InterruptedException {
        String path = request.getPathInfo();
        boolean get = request.getMethod().equals("GET");
        if (path == null || path.equals("/")) {
            if (get) {
                list(request, response, app);
            } else {
                error(response, 404, "not-found", "POST /api/rooms/{room}/messages");
            }
            return;
        }
        Matcher call = ROOM_CALL.matcher(path);
        String what = call.matches() ? (call.group(2) == null ? "" : call.group(2)) : null;
        if (what == null || get == what.equals("/messages")) {
            error(response, 404, "not-found", "no such call: " + request.getMethod() + " /api/rooms" + path);
            return;
        }
        String name = call.group(1);
        if (!ChatRooms.isValidName(name)) {
            error(response, 400, "invalid-room", "a room name is 1-64 letters, digits, '.', '_' or '-'");
            return;
        }
        ChatRooms rooms = ChatRooms.of(app);
        Room room = rooms.acquire(name);
        if (room == null) {
            response.setHeader("Retry-After", "10");
            error(response, 503, "rooms-full", "every chat room on this server is in use (chatMaxRooms)");
            return;
        }
        try {
            switch (what) {
                case "" -> state(request, response, room);
                case "/history" -> history(request, response, app, room);
                default -> post(request, response, app, room);
            }
        } finally {
            rooms.release(room);
        }
    }

    private static void list(HttpServletRequest request, HttpServletResponse response, AppContext app) throws IOException, InterruptedException {
        Integer limit = wholeNumber(request.getParameter("limit"), DEFAULT_LIMIT, 1, MAX_LIMIT);
        if (limit == null) {
            error(response, 400, "invalid-field", "limit must be a whole number from 1 to " + MAX_LIMIT);
            return;
        }
        ServerControl.Answers answers = app.control().ask("rooms", Map.of());
        Map<String, Integer> connections = new TreeMap<>();
        answers.bodies(ServerRooms.class).forEach(server -> server.rooms().forEach((room, n) -> connections.merge(room, n, Integer::sum)));
        List<RoomUse> all = connections.entrySet().stream().map(e -> new RoomUse(e.getKey(), e.getValue()))
                .sorted(Comparator.comparingInt(RoomUse::connections).reversed().thenComparing(RoomUse::room)).toList();
        json(response, 200, new RoomList(all.size(), all.size() > limit, all.subList(0, Math.min(limit, all.size())), answers.missing()));
    }

    private static void state(HttpServletRequest request, HttpServletResponse response, Room room) throws IOException {
        Integer limit = wholeNumber(request.getParameter("limit"), DEFAULT_LIMIT, 1, MAX_LIMIT);
        if (limit == null) {
            error(response, 400, "invalid-field", "limit must be a whole number from 1 to " + MAX_LIMIT);
            return;
        }
        List<Member> members = room.presence();
        long lastId = room.lastId();
        json(response, 200, new RoomState(room.name(), members.size(),
                members.stream().limit(limit).map(m -> new Present(m.name(), m.user())).toList(), lastId));
    }

    private static void history(HttpServletRequest request, HttpServletResponse response, AppContext app, Room room) throws IOException {
        Integer limit = wholeNumber(request.getParameter("limit"), DEFAULT_LIMIT, 1, MAX_LIMIT);
        String afterText = request.getParameter("after");
        Long after = afterText == null ? Long.valueOf(Long.MIN_VALUE) : afterText.matches("[0-9]{1,18}") ? Long.valueOf(afterText) : null;
        if (limit == null || after == null) {
            error(response, 400, "invalid-field", "after must be an id (a whole number >= 0); limit a whole number from 1 to " + MAX_LIMIT);
            return;
        }
        History kept = room.history(after, limit);
        List<ChatMessages.Event> events = kept.messages().stream().filter(m -> !m.isBinary()).map(ChatMessages::event).toList();
        json(response, 200, new RoomHistory(room.name(), kept.lastOffset(), afterText == null ? null : kept.complete(), events));
    }

    private static void post(HttpServletRequest request, HttpServletResponse response, AppContext app, Room room) throws IOException {
        JsonObject body = jsonBody(request, response, app.settings().maxMessageBytes());
        if (body == null) {
            return;
        }
        if (!Set.of("from", "message").containsAll(body.keySet()) || !(body.get("from") instanceof JsonString from)
                || !(body.get("message") instanceof JsonString message)) {
            error(response, 400, "invalid-field", "send {\"from\": \"a name\", \"message\": \"...\"}");
            return;
        }
        Usernames.Checked name = Usernames.check(from.getString());
        if (name.name() == null) {
            error(response, 400, "invalid-username", name.error() == null ? "from must name who speaks" : name.error());
            return;
        }
        CheckedText text = CheckedText.of(message.getString(), app.settings().chatMaxMessageBytes());
        if (text.code() != null || text.text().isEmpty()) {
            error(response, 400, text.code() == null ? "invalid-field" : text.code(), text.code() == null ? "message is empty" : text.message());
            return;
        }
        long id = room.announce(name.name(), text.text());
        if (id < 0) {
            error(response, 409, "impersonation", "a member of " + room.name() + " holds the name " + name.name());
            return;
        }
        json(response, 200, new Posted(room.name(), id));
    }

    /** What this server answers: its rooms with connections. */
    static void answerOn(AppContext app) {
        app.control().answer("rooms", args -> new ServerRooms(ChatRooms.of(app).inUse()));
    }
}
