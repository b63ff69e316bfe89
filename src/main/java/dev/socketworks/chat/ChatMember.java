package dev.socketworks.chat;

import dev.socketworks.hub.Hub;
import dev.socketworks.hub.Subscriber;
import dev.socketworks.inbound.TextAssembler;

import java.text.Normalizer;
import java.util.function.Consumer;

/**
 * One connection's part in a room: what it may send, and when. A connection subscribes to the room
 * on its first {@code chat-join} (receiving the history) or, after a reconnect, on a
 * {@code chat-resume} sent before joining (receiving only what it missed). The name given at join is
 * the one every later message goes out under; a message claiming another present member's name is
 * refused. Errors go to this connection only.
 *
 * <p>Synchronized: the container delivers one message at a time, but the close that calls
 * {@link #leave()} may come from another thread (an outbox cutting a slow consumer, undeploy).
 */
public final class ChatMember {

    /** Gives the connection its room on its first join or resume: null when no room has a place. */
    public interface RoomPlace {
        Room take();
    }

    private final String roomName;
    private final RoomPlace place;
    private final Runnable noPlace;
    private final Subscriber subscriber;
    private final Consumer<String> reply;
    private final boolean legacyClient;
    private final int maxMessageBytes;

    private Room room;
    private Hub.Subscription subscription;
    private String requestedName;
    private String name;
    private boolean left;

    /**
     * @param reply        sends to this connection only (errors)
     * @param legacyClient the Node demo's beej-chat-protocol client: its errors carry a username
     */
    public ChatMember(Room room, Subscriber subscriber, Consumer<String> reply, boolean legacyClient,
                      int maxMessageBytes) {
        this(room.name(), () -> room, () -> { }, subscriber, reply, legacyClient, maxMessageBytes);
    }

    /**
     * @param place   called on the first join or resume: a connection that only connects holds no room
     * @param noPlace called instead when no room has a place left (the connection is then closed)
     */
    public ChatMember(String roomName, RoomPlace place, Runnable noPlace, Subscriber subscriber,
                      Consumer<String> reply, boolean legacyClient, int maxMessageBytes) {
        this.roomName = roomName;
        this.place = place;
        this.noPlace = noPlace;
        this.subscriber = subscriber;
        this.reply = reply;
        this.legacyClient = legacyClient;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** True once the member holds its room (it then must be released when the connection ends). */
    private boolean takeRoom() {
        if (room == null) {
            room = place.take();
            if (room == null) {
                left = true;
                noPlace.run();
                return false;
            }
        }
        return true;
    }

    /** The room taken on the first join or resume, or null. */
    public synchronized Room room() {
        return room;
    }

    /** The client sent over its rate limit: this message was dropped. */
    public synchronized void rateLimited() {
        error("rate-limited", "too many messages: this one was dropped; slow down or be disconnected");
    }

    public synchronized void handle(String text) {
        if (left) {
            return;
        }
        ChatInput.Command command = ChatInput.parse(text);
        if (command instanceof ChatInput.Join join) {
            join(join);
        } else if (command instanceof ChatInput.Say say) {
            say(say);
        } else if (command instanceof ChatInput.Resume resume) {
            resume(resume);
        } else if (command instanceof ChatInput.Invalid invalid) {
            error(invalid.code(), invalid.message());
        }
    }

    /** Chat is JSON text; a binary message gets an error and changes nothing. */
    public synchronized void refuseBinary() {
        error("binary-not-supported", "chat messages are JSON text");
    }

    private void join(ChatInput.Join join) {
        if (name != null) {
            error("already-joined", "this connection already joined as " + name);
            return;
        }
        Usernames.Checked checked = Usernames.check(join.username());
        if (!checked.isValid()) {
            error("invalid-username", checked.error());
            return;
        }
        if (!takeRoom()) {
            return;
        }
        if (subscription == null) {
            subscription = room.subscribe(subscriber);
        }
        requestedName = checked.name();
        // chat-joined is queued inside the join, so no other member's event can come before it.
        name = room.join(checked.name(), given -> subscriber.text(ChatMessages.joined(given, room.name())));
    }

    private void say(ChatInput.Say say) {
        if (name == null) {
            error("not-joined", "send chat-join before chat-message");
            return;
        }
        String text = say.message().replace("\r\n", "\n").strip();
        if (text.isEmpty()) {
            return; // as the Node demo does: an empty line is nothing to show
        }
        // Bytes, not characters: the unit a message costs in every recipient's queue and in history.
        long bytes = TextAssembler.utf8Length(text);
        if (bytes > maxMessageBytes) {
            error("message-too-long", "message has " + bytes + " bytes (UTF-8); the limit is " + maxMessageBytes);
            return;
        }
        if (text.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t' || c == 0x7F)) {
            error("invalid-field", "message must not contain control characters other than newline and tab");
            return;
        }
        if (!room.say(name, text, otherNameClaimed(say.claimedUsername()))) {
            error("impersonation", "that name belongs to another member; you joined as " + name);
        }
    }

    /**
     * The name a message claims when it is not this member's own, else null. Messages always go out
     * under the name given at join, so a claimed name only matters when it is another member's: the
     * Node demo's client sends whatever its name field holds (a user may type a new name after
     * joining as a guest), and "Bob" who became "Bob (2)" keeps sending "Bob".
     */
    private String otherNameClaimed(String claimed) {
        if (claimed == null || claimed.isBlank()) {
            return null;
        }
        String normalized = Normalizer.normalize(claimed.strip(), Normalizer.Form.NFC);
        return normalized.equals(name) || normalized.equals(requestedName) ? null : normalized;
    }

    private void resume(ChatInput.Resume resume) {
        if (!resume.room().equals(roomName)) {
            error("wrong-room", "this connection is in room '" + roomName + "'");
            return;
        }
        if (subscription != null) {
            error("already-subscribed", "send chat-resume right after connecting, before chat-join");
            return;
        }
        if (!takeRoom()) {
            return;
        }
        subscription = room.resume(subscriber, resume.afterId());
    }

    private void error(String code, String message) {
        reply.accept(ChatMessages.error(code, message, legacyClient, name));
    }

    /** The connection ended, whatever the reason: the room hears chat-leave once, if it had joined. */
    public synchronized void leave() {
        if (left) {
            return;
        }
        left = true;
        if (subscription != null) {
            subscription.close();
        }
        if (name != null) {
            room.leave(name);
        }
    }

    public synchronized String name() {
        return name;
    }
}
