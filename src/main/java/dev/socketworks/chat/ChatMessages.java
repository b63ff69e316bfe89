package dev.socketworks.chat;

import dev.socketworks.hub.Member;
import dev.socketworks.hub.Message;
import dev.socketworks.json.ErrorMessage;
import dev.socketworks.json.JsonMessages;
import dev.socketworks.json.Unicode;
import dev.socketworks.outbox.OutboxSubscriber;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * What the chat server sends. The three types of the Node demo's beej-chat-protocol keep their
 * fields; {@code id} and {@code time} are additions its client ignores:
 * <pre>
 * {"type":"chat-join",    "payload":{"username":"Beej","id":1763718000000001,"time":"2026-11-21T10:00:00.123Z"}}
 * {"type":"chat-message", "payload":{"username":"Beej","message":"hi","id":1763718000000002,"time":"..."}}
 * {"type":"chat-leave",   "payload":{"username":"Beej","id":1763718000000003,"time":"..."}}
 * {"type":"chat-presence","payload":{"username":"Beej","usernames":["Beej","Guest 3fa2"],"count":2,
 *                                    "members":[{"username":"Beej","user":"u-17"},{"username":"Guest 3fa2"}]}}   to the joiner only
 * {"type":"chat-presence-diff","payload":{"username":"Cid","joins":[{"username":"Cid","id":...,"time":"..."}],
 *                                         "leaves":[{"username":"Ann","user":"u-17","id":...,"time":"..."}],"id":...}}   changes that waited
 * {"type":"chat-joined",  "payload":{"username":"Beej (2)","room":"lobby"}}   to the joiner only: its name
 * {"type":"chat-message", "payload":{"username":"Ann","user":"u-17","message":"hi",...}}   a signed-in member's events carry its user id
 * {"type":"error",        "payload":{"code":"message-too-long","message":"..."}}
 * {"type":"chat-reset",   "payload":{"username":"Beej","room":"lobby","reason":"..."}}   the room's past was lost
 * </pre>
 * Presence is state once, then changes: a joiner gets the member list right after its own
 * {@code chat-join} (the room as that join left it), and from then on only the {@code chat-join}
 * and {@code chat-leave} of others, one member each. No message carries the whole list to everyone:
 * a join or leave costs O(1) bytes per member, not O(members), so the churn of a crowd rejoining
 * costs the room little. Changes that come close together are coalesced ({@link PresenceBatches}):
 * one {@code chat-presence-diff} names, per member, its last change since the one before (joins and
 * leaves name different members, so their order does not matter), {@code count} is the room's size
 * and {@code id} the last change's. A joiner's list names at most {@code chatPresenceListMax}
 * members; {@code count} says how many there are. Above that size a room's changes are counted, not
 * named: always as a {@code chat-presence-diff}.
 *
 * <p>The demo's client reads {@code payload.username} from every message it gets, before looking at
 * the type, so every payload sent to it carries one: the joiner's own name in its presence list,
 * and errors on that protocol carry the connection's own name.
 */
public final class ChatMessages {

    public static final String JOIN = "chat-join";
    public static final String MESSAGE = "chat-message";
    public static final String LEAVE = "chat-leave";
    public static final String PRESENCE = "chat-presence";
    public static final String PRESENCE_DIFF = "chat-presence-diff";
    public static final String JOINED = "chat-joined";
    public static final String RESET = "chat-reset";

    @JsonbPropertyOrder({"type", "payload"})
    public record Event(String type, EventPayload payload) {
    }

    /** {@code message} is null (and left out) for joins and leaves; {@code user} for guests. */
    @JsonbPropertyOrder({"username", "user", "message", "id", "time"})
    public record EventPayload(String username, String user, String message, long id, String time) {
    }

    /**
     * In {@code chat-presence} ({@link #presence}): {@code members} says who is who, the user id of
     * each authenticated member (absent for guests); {@code count} how many members there are, of
     * which {@code usernames} and {@code members} name the first.
     */

    @JsonbPropertyOrder({"type", "payload"})
    public record PresenceDiff(String type, PresenceDiffPayload payload) {
    }

    /**
     * {@code username}: the first change's member, as every payload has one for the Node demo's
     * client; {@code count}: the room's members after the last change.
     */
    @JsonbPropertyOrder({"username", "joins", "leaves", "count", "id"})
    public record PresenceDiffPayload(String username, List<Change> joins, List<Change> leaves, int count, long id) {
    }

    @JsonbPropertyOrder({"username", "user", "id", "time"})
    public record Change(String username, String user, long id, String time) {
    }

    @JsonbPropertyOrder({"username", "user"})
    public record PresentMember(String username, String user) {
    }

    @JsonbPropertyOrder({"type", "payload"})
    public record Joined(String type, JoinedPayload payload) {
    }

    /** {@code expiresAt}: when the member's token expires (ISO-8601), absent for a guest. */
    @JsonbPropertyOrder({"username", "room", "expiresAt"})
    public record JoinedPayload(String username, String room, String expiresAt) {
    }

    @JsonbPropertyOrder({"type", "payload"})
    public record Reset(String type, ResetPayload payload) {
    }

    /** {@code username}: the member's own name, as every payload has one for the Node demo's client. */
    @JsonbPropertyOrder({"username", "room", "reason"})
    public record ResetPayload(String username, String room, String reason) {
    }

    @JsonbPropertyOrder({"type", "payload"})
    public record LegacyError(String type, LegacyErrorPayload payload) {
    }

    @JsonbPropertyOrder({"code", "message", "username"})
    public record LegacyErrorPayload(String code, String message, String username) {
    }

    /**
     * A room event as the hub carries it: the client's form without the id, which is the
     * publication's offset and only known once published.
     */
    @JsonbPropertyOrder({"type", "username", "user", "message", "time"})
    public record RoomEvent(String type, String username, String user, String message, String time) {
    }

    /**
     * What a member's client gets for one publication on its room's topic: the event with its id.
     * Computed once per publication.
     */
    static final Function<Message, List<String>> RENDER = OutboxSubscriber.oncePerMessage(ChatMessages::render);

    private ChatMessages() {
    }

    static String roomEvent(String type, String username, String user, String message, Instant time) {
        return JsonMessages.toJson(new RoomEvent(type, username, user, message, time.toString()));
    }

    private static List<String> render(Message published) {
        return List.of(JsonMessages.toJson(event(published)));
    }

    /** A publication on a room's topic as its members get it, its id included. */
    static Event event(Message published) {
        RoomEvent e = JsonMessages.fromJson(published.text(), RoomEvent.class);
        return new Event(e.type(), new EventPayload(e.username(), e.user(), e.message(), published.offset(), e.time()));
    }

    /**
     * The room's members, in join order, for the member known as {@code ownName}: the state its
     * changes apply to. {@code members} may be the first {@code count}.
     */
    static String presence(String ownName, List<Member> members, int count) {
        return presenceMeasured(ownName, members, count).text();
    }

    /** A text and its UTF-8 size, measured in parts. */
    record Measured(String text, long bytes) {
    }

    /**
     * As {@link #presence(String, List, int)}, with its UTF-8 size. A crowd's joiners get the same list:
     * its two arrays are rendered and measured once (a millisecond for 1,000), each joiner's name and
     * the count put around them.
     */
    static Measured presenceMeasured(String ownName, List<Member> members, int count) {
        RenderedList list = lastList;
        if (list == null || !list.members().equals(members)) {
            String usernames = JsonMessages.toJson(members.stream().map(Member::name).toList());
            String present = JsonMessages.toJson(members.stream().map(m -> new PresentMember(m.name(), m.user())).toList());
            list = new RenderedList(List.copyOf(members), usernames, present,
                    Unicode.utf8Length(usernames) + Unicode.utf8Length(present));
            lastList = list;
        }
        String name = JsonMessages.toJson(ownName);
        String counted = Integer.toString(Math.max(count, members.size()));
        String text = PRESENCE_START + name + USERNAMES + list.usernames() + COUNT + counted + MEMBERS + list.present() + "}}";
        long bytes = PRESENCE_START.length() + Unicode.utf8Length(name) + USERNAMES.length() + COUNT.length() + counted.length()
                + MEMBERS.length() + 2 + list.bytes();
        return new Measured(text, bytes);
    }

    private static final String USERNAMES = ",\"usernames\":";
    private static final String COUNT = ",\"count\":";
    private static final String MEMBERS = ",\"members\":";

    private static final String PRESENCE_START = "{\"type\":\"" + PRESENCE + "\",\"payload\":{\"username\":";

    /** The last member list rendered: its names and its members, as JSON arrays. */
    private record RenderedList(List<Member> members, String usernames, String present, long bytes) {
    }

    private static volatile RenderedList lastList;

    static String presence(String ownName, List<Member> members) {
        return presence(ownName, members, members.size());
    }

    // RoomEvent's first property is its type (JsonbPropertyOrder), so a prefix tells a presence
    // change from a chat message without parsing every publication.
    private static final String JOIN_PREFIX = "{\"type\":\"" + JOIN + "\"";
    private static final String LEAVE_PREFIX = "{\"type\":\"" + LEAVE + "\"";

    /** Whether the publication is a room's chat-join or chat-leave. */
    static boolean isPresenceChange(Message published) {
        String text = published.text();
        return text != null && (text.startsWith(JOIN_PREFIX) || text.startsWith(LEAVE_PREFIX));
    }

    /**
     * Presence changes (chat-join and chat-leave publications, in offset order) as one message: each
     * member's last change only, so a member who left and came back within the batch is a join. A
     * change that left the room with more than {@code listMax} members is counted, not named:
     * everyone hearing of everyone in a crowd of n costs O(n²), which no room of thousands affords.
     */
    static String presenceDiff(List<Message> changes, int listMax) {
        java.util.LinkedHashMap<String, RoomEvent> last = new java.util.LinkedHashMap<>();
        java.util.Map<String, Long> ids = new java.util.HashMap<>();
        for (Message change : changes) {
            if (change.present() > listMax) {
                continue;
            }
            RoomEvent e = JsonMessages.fromJson(change.text(), RoomEvent.class);
            String key = Usernames.key(e.username());
            last.remove(key); // re-inserted: the order is that of each member's last change
            last.put(key, e);
            ids.put(key, change.offset());
        }
        List<Change> joins = new java.util.ArrayList<>();
        List<Change> leaves = new java.util.ArrayList<>();
        last.forEach((key, e) -> (JOIN.equals(e.type()) ? joins : leaves).add(new Change(e.username(), e.user(), ids.get(key), e.time())));
        String first = JsonMessages.fromJson(changes.get(0).text(), RoomEvent.class).username();
        Message newest = changes.get(changes.size() - 1);
        return JsonMessages.toJson(new PresenceDiff(PRESENCE_DIFF, new PresenceDiffPayload(first, joins, leaves,
                newest.present(), newest.offset())));
    }

    /** Tells a joiner the name it was given (the room may have added a suffix or made it a guest). */
    static String joined(String username, String room) {
        return joined(username, room, null);
    }

    static String joined(String username, String room, java.time.Instant expiresAt) {
        return JsonMessages.toJson(new Joined(JOINED, new JoinedPayload(username, room,
                expiresAt == null ? null : expiresAt.toString())));
    }

    /**
     * The room's history, presence and id sequence were lost (the shared engine lost its data): what
     * the client shows is no longer continuous with what follows. Ids still increase.
     */
    static String reset(String ownName, String room) {
        return JsonMessages.toJson(new Reset(RESET, new ResetPayload(ownName == null ? "" : ownName, room,
                "the room's history was lost on the server; messages before this may be missing and resume cannot replay them")));
    }

    /** An error for the sender; on the demo's protocol it carries the connection's name ("" before joining). */
    static String error(String code, String message, boolean legacyClient, String ownName) {
        if (!legacyClient) {
            return ErrorMessage.json(code, message);
        }
        return JsonMessages.toJson(new LegacyError("error",
                new LegacyErrorPayload(code, message, ownName == null ? "" : ownName)));
    }
}
