package dev.socketworks.chat;

import dev.socketworks.hub.EngineUnavailableException;
import dev.socketworks.hub.Hub;
import dev.socketworks.hub.Message;
import dev.socketworks.hub.Subscriber;
import dev.socketworks.inbound.FairBudget;
import dev.socketworks.json.DisplayNames;
import dev.socketworks.json.TokenNotices;
import dev.socketworks.json.Unicode;
import dev.socketworks.outbox.Outbox;
import dev.socketworks.outbox.OutboxSubscriber;

import java.util.ArrayList;
import java.util.List;

/**
 * One connection's part in a room: what it may send, and when. A connection subscribes to the room
 * on its first {@code chat-join} (receiving the history) or, after a reconnect, on a
 * {@code chat-resume} sent before joining (receiving only what it missed). The name given at join is
 * the one every later message goes out under; a message claiming another present member's name is
 * refused. Errors go to this connection only.
 *
 * <p>The container delivers one message at a time, so {@link #handle} runs on one thread at a time;
 * {@link #leave()} may come from another (an outbox cutting a slow consumer, undeploy). The lock
 * guards only the hand-over of this member's fields: it is never held while calling the hub, so a
 * send that blocks in the container holds up nobody.
 */
public final class ChatMember {

    /** Gives the connection its room on its first join or resume, and takes it back when it leaves. */
    public interface RoomPlace {
        /** The room, or null when no room has a place. */
        Room take();

        void giveBack(Room room);
    }

    private final String roomName;
    private final RoomPlace place;
    private final Runnable noPlace;
    private final Outbox outbox;
    private final JoinGate feed;
    private final boolean legacyClient;
    private final int maxMessageBytes;
    private final Object sender; // what the room's budget knows this member by: its client address
    private long roomBusyToldAt = System.nanoTime() - 1_000_000_000L; // messages are handled one at a time
    private volatile java.util.function.LongConsumer overRoomShare = bytes -> { };

    private final Object lock = new Object();
    // Written by the message thread; read by leave(). Guarded by lock.
    private Room room;
    private Hub.Subscription subscription;
    private String requestedName;
    private String name;
    private boolean left;
    private volatile boolean readOnly;
    private volatile Token token;
    private volatile boolean guestsNamedByRoom;
    private String user; // the signed-in user's id once joined, null for a guest; written once by the message thread
    private FairBudget.Share speaking; // guarded by lock: this member's share of the room's budget, once it spoke
    private volatile PresenceBatches presenceBatches; // the room's, once taken: read by the feed

    /**
     * @param outbox       this connection's: room traffic, its name and its errors all go through it
     * @param legacyClient the Node demo's beej-chat-protocol client: its errors carry a username
     */
    public ChatMember(Room room, Outbox outbox, boolean legacyClient, int maxMessageBytes) {
        this(room.name(), new RoomPlace() {
            @Override
            public Room take() {
                return room;
            }

            @Override
            public void giveBack(Room given) {
            }
        }, () -> { }, outbox, legacyClient, maxMessageBytes, new Object());
    }

    /**
     * @param place   called on the first join or resume: a connection that only connects holds no room
     * @param noPlace called instead when no room has a place left (the connection is then closed)
     */
    public ChatMember(String roomName, RoomPlace place, Runnable noPlace, Outbox outbox, boolean legacyClient,
                      int maxMessageBytes, Object sender) {
        this.sender = sender;
        this.roomName = roomName;
        this.place = place;
        this.noPlace = noPlace;
        this.outbox = outbox;
        this.feed = new JoinGate(new OutboxSubscriber(outbox, ChatMessages.RENDER));
        this.legacyClient = legacyClient;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** True once the member holds its room (given back when it leaves). */
    private boolean takeRoom() {
        if (room != null) {
            return true;
        }
        Room taken = place.take();
        if (taken == null) {
            synchronized (lock) {
                left = true;
            }
            noPlace.run();
            return false;
        }
        synchronized (lock) {
            if (!left) {
                room = taken;
                presenceBatches = taken.presenceBatches();
                return true;
            }
        }
        place.giveBack(taken); // left meanwhile
        return false;
    }

    /** The room taken on the first join or resume, or null. */
    public Room room() {
        synchronized (lock) {
            return room;
        }
    }

    /** Told, with the message's size, when the room's budget refused one of this member's messages. */
    public void whenOverRoomShare(java.util.function.LongConsumer listener) {
        this.overRoomShare = listener;
    }

    /** The client sent over its rate limit: this message was dropped. */
    public void rateLimited() {
        error("rate-limited", "too many messages: this one was dropped; slow down or be disconnected");
    }

    public void handle(String text) {
        if (hasLeft()) {
            return;
        }
        ChatInput.Command command = ChatInput.parse(text);
        try {
            if (command instanceof ChatInput.Join join) {
                join(join);
            } else if (command instanceof ChatInput.Say say) {
                say(say);
            } else if (command instanceof ChatInput.Resume resume) {
                resume(resume);
            } else if (command instanceof ChatInput.Refresh refresh) {
                refresh(refresh);
            } else if (command instanceof ChatInput.Invalid invalid) {
                error(invalid.code(), invalid.message());
            }
        } catch (EngineUnavailableException e) {
            // Each step that reaches the engine changes nothing when it fails; the client may retry.
            error("unavailable", "the chat service is unreachable for the moment; nothing was done; try again shortly");
        }
    }

    /** Chat is JSON text; a binary message gets an error and changes nothing. */
    public void refuseBinary() {
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
        Token signedIn = token;
        String asked = checked.name();
        if (signedIn != null) {
            asked = tokenName(signedIn);
            if (asked == null) {
                error("invalid-username", "the name in your token cannot be shown (" + Usernames.check(signedIn.displayName()).error() + ")");
                return;
            }
        } else if (guestsNamedByRoom) {
            asked = null;
        }
        if (!takeRoom() || subscription == null && !subscribed(room.subscribe(feed))) {
            return;
        }
        // The room's traffic waits until the joiner is told its name: chat-joined comes first.
        feed.hold();
        Room.Entry entry;
        try {
            entry = room.join(asked, signedIn == null ? null : signedIn.user());
        } catch (EngineUnavailableException e) {
            feed.release(null, null);
            throw e;
        }
        if (entry == null) {
            feed.release(null, null);
            error("name-unavailable", "other members took every form of that name meanwhile; try again");
            return;
        }
        String given = entry.name();
        boolean stillHere;
        synchronized (lock) {
            requestedName = checked.name();
            name = given;
            user = signedIn == null ? null : signedIn.user();
            stillHere = !left;
        }
        Token held = token;
        feed.release(ChatMessages.joined(given, room.name(), held == null ? null : held.expiresAt()), entry);
        if (!stillHere) {
            room.leave(given, user); // the connection ended while joining: leave() saw no name yet
        }
    }

    /** The token's name when the room can show it, else its subject when that can be, else null. */
    private static String tokenName(Token signedIn) {
        for (String candidate : new String[]{signedIn.displayName(), signedIn.user()}) {
            Usernames.Checked checked = Usernames.check(candidate);
            if (candidate != null && checked.isValid() && checked.name() != null) {
                return checked.name();
            }
        }
        return null;
    }

    /** Keeps the subscription, unless the member left meanwhile (then it is closed here). */
    private boolean subscribed(Hub.Subscription s) {
        synchronized (lock) {
            if (!left) {
                subscription = s;
                return true;
            }
        }
        s.close();
        return false;
    }

    private boolean hasLeft() {
        synchronized (lock) {
            return left;
        }
    }

    /** Whether this member may only read the room, not speak in it (a {@code chat-read} right without {@code chat}). */
    public void readOnly(boolean only) {
        readOnly = only;
    }

    /** What a member's token is to the room: who it names, when it expires, and how to refresh it in-band. */
    public interface Token {
        /** The user's id (the token's subject): a user's connections share one place in the room. */
        String user();

        /** The name the room shows for the user (the token's {@code name}, else its subject). */
        String displayName();

        /** Null for a guest. */
        java.time.Instant expiresAt();

        /** Null when the new token now applies, else why it is refused. */
        String refresh(String token);
    }

    /** The connection's token; without one, a refresh is refused and chat-joined carries no expiresAt. */
    public void token(Token token) {
        this.token = token;
    }

    /**
     * Whether guests get a name from the room ("Guest 3fa2") rather than the one they ask for: where
     * users sign in, a guest must not take a name a user will show up with.
     */
    public void guestsNamedByRoom(boolean named) {
        this.guestsNamedByRoom = named;
    }

    /** Sent before the token expires: time to refresh. */
    public void tokenExpiring(java.time.Instant expiresAt) {
        outbox.sendText(TokenNotices.expiring(expiresAt));
    }

    private void refresh(ChatInput.Refresh refresh) {
        Token current = token;
        String refused = current == null ? "this connection was opened without a token" : current.refresh(refresh.token());
        if (refused != null) {
            error("invalid-token", refused + "; the connection keeps its token until it expires");
            return;
        }
        outbox.sendText(TokenNotices.refreshed(current.expiresAt()));
    }

    private void say(ChatInput.Say say) {
        if (name == null) {
            error("not-joined", "send chat-join before chat-message");
            return;
        }
        if (readOnly) {
            error("forbidden", "you may read room " + roomName + " but not speak in it (that needs the right chat:" + roomName + ")");
            return;
        }
        String text = say.message().replace("\r\n", "\n").strip();
        if (text.isEmpty()) {
            return; // as the Node demo does: an empty line is nothing to show
        }
        // Bytes, not characters: the unit a message costs in every recipient's queue and in history.
        long bytes = Unicode.utf8Length(text);
        if (bytes > maxMessageBytes) {
            error("message-too-long", "message has " + bytes + " bytes (UTF-8); the limit is " + maxMessageBytes);
            return;
        }
        if (text.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t' || c == 0x7F)) {
            error("invalid-field", "message must not contain control characters other than newline and tab");
            return;
        }
        if (!withinRoomBudget()) {
            overRoomShare.accept(bytes); // counts against the connection: kept at, it is closed like a flooder
            long now = System.nanoTime();
            if (now - roomBusyToldAt >= 1_000_000_000L) { // told once a second: an answer per dropped message would be the flood's reward
                roomBusyToldAt = now;
                error("rate-limited", "room " + roomName + " is busy (chatRoomMessagesPerSecond): your share of it is used up; messages are dropped");
            }
            return;
        }
        if (!room.say(name, user, text, otherNameClaimed(say.claimedUsername()))) {
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
        if (DisplayNames.tooLongForAName(claimed, Usernames.MAX_LENGTH)) {
            return null; // no member's name: and normalising a client's megabyte would cost more than linear time
        }
        String normalized = DisplayNames.nfc(claimed.strip());
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
        if (takeRoom()) {
            subscribed(room.resume(feed, resume.afterId()));
        }
    }

    private void error(String code, String message) {
        outbox.sendText(ChatMessages.error(code, message, legacyClient, name()));
    }

    /** The connection ended, whatever the reason: the room hears chat-leave once, if it had joined. */
    /** Whether the room's budget takes one more message from this member's address now. */
    private boolean withinRoomBudget() {
        FairBudget.Share share;
        synchronized (lock) {
            if (left || room == null) {
                return false;
            }
            if (speaking == null) {
                speaking = room.speaker(sender);
            }
            share = speaking;
        }
        return room.mayPost(share);
    }

    public void leave() {
        FairBudget.Share speakingShare;
        Hub.Subscription ending;
        Room held;
        String joinedAs;
        String joinedUser;
        synchronized (lock) {
            if (left) {
                return;
            }
            left = true;
            ending = subscription;
            held = room;
            joinedAs = name;
            joinedUser = user;
            speakingShare = speaking;
            speaking = null;
        }
        if (held != null) {
            held.stopSpeaking(speakingShare);
        }
        if (ending != null) {
            ending.close();
        }
        if (held != null) {
            if (joinedAs != null) {
                held.leave(joinedAs, joinedUser);
            }
            place.giveBack(held);
        }
    }

    public String name() {
        synchronized (lock) {
            return name;
        }
    }

    /**
     * The member's room feed. While it holds, publications wait here (in order, bounded) instead of
     * the outbox; {@link #release} queues the joiner's own message first, then what waited, with the
     * member list right after the member's own chat-join: the state that later joins and leaves
     * change. Others' joins and leaves that come close together wait for the room's presence tick and
     * go as one message ({@link PresenceBatches}); anything else first sends the changes waiting, so a
     * joiner's message never arrives before its join. Never calls the container: it only enqueues;
     * the flush comes after.
     */
    private final class JoinGate implements Subscriber {

        /** Publications that may wait during one join: what the room publishes in one hub call. */
        private static final int MAX_HELD = 1024;

        private final Subscriber delivery;
        private final List<Message> held = new ArrayList<>();
        private boolean holding;
        // The entry whose chat-join the member list is to follow. With an engine the join comes back
        // after the join call returned; in memory it waited in held. Guarded by this.
        private Room.Entry awaitingOwnJoin;
        private long lastDelivered = Long.MIN_VALUE; // offsets only grow: a join at or below it has passed
        // Others' presence changes waiting for the room's tick, and when the last presence message went. Guarded by this.
        private final List<Message> waitingChanges = new ArrayList<>();
        private long presenceSentAt = System.nanoTime() - (1L << 40);
        private boolean tickBooked;
        // Whether deliveries since the last flush gave the outbox anything. Guarded by this. In a crowd
        // most deliveries are changes that wait for the tick: the hub's flush after each is then skipped,
        // a call per member per publication that cost more than the delivery itself.
        private boolean enqueued;

        private final Runnable presenceTick = this::presenceTick; // one object: the room's set of waiting members holds it

        JoinGate(Subscriber delivery) {
            this.delivery = delivery;
        }

        synchronized void hold() {
            holding = true;
        }

        /**
         * @param entered the member's own entry, whose chat-join the member list follows; null when the
         *                join failed. If nothing was announced (the user was present already), the list
         *                as of the entry goes first, then what waited; if its chat-join passed without
         *                waiting here (the wait overflowed), the list is the room's as of now.
         */
        void release(String first, Room.Entry entered) {
            boolean listNow = false;
            synchronized (this) {
                if (first != null) {
                    outbox.enqueueText(first);
                }
                boolean present = entered != null && entered.joinId() == Room.ALREADY_PRESENT;
                if (present) {
                    // Older than what waited: the changes after it bring the list up to date.
                    outbox.enqueueText(ChatMessages.presence(entered.name(), entered.members(), entered.count()));
                }
                awaitingOwnJoin = entered == null || present ? null : entered;
                held.forEach(this::deliverNow);
                held.clear();
                holding = false;
                if (awaitingOwnJoin != null && lastDelivered >= awaitingOwnJoin.joinId()) {
                    awaitingOwnJoin = null;
                    listNow = true;
                }
            }
            if (listNow) {
                sendPresenceNow(entered.name());
            }
            delivery.flush();
        }

        @Override
        public synchronized void deliver(Message message) {
            if (holding && held.size() < MAX_HELD) {
                held.add(message);
            } else {
                // A join that outlasts MAX_HELD publications stops holding rather than queue more here.
                held.forEach(this::deliverNow);
                held.clear();
                holding = false;
                deliverNow(message);
            }
        }

        /** Guarded by this. */
        private void deliverNow(Message message) {
            lastDelivered = Math.max(lastDelivered, message.offset());
            Room.Entry own = awaitingOwnJoin;
            if (own != null && message.offset() == own.joinId()) {
                sendWaitingChanges();
                enqueued = true;
                delivery.deliver(message);
                outbox.enqueueText(ChatMessages.presence(own.name(), own.members(), own.count()));
                awaitingOwnJoin = null;
                return;
            }
            PresenceBatches batches = presenceBatches;
            if (batches != null && batches.batchNanos() > 0 && ChatMessages.isPresenceChange(message)) {
                long now = System.nanoTime();
                if (waitingChanges.isEmpty() && now - presenceSentAt >= batches.batchNanos()) {
                    presenceSentAt = now; // after a quiet spell a change goes at once
                    enqueued = true;
                    if (message.present() > batches.listMax()) {
                        outbox.enqueueText(batches.diff(List.of(message))); // a crowd's change is counted, not named
                    } else {
                        delivery.deliver(message);
                    }
                    return;
                }
                waitingChanges.add(message);
                if (waitingChanges.size() >= batches.listMax()) {
                    sendWaitingChanges(); // one message's worth: sent without waiting for the tick
                } else if (!tickBooked) {
                    tickBooked = true;
                    batches.atNextTick(presenceTick);
                }
                return;
            }
            sendWaitingChanges();
            enqueued = true;
            delivery.deliver(message);
        }

        /** Guarded by this: the changes that waited, as one message (or as itself, when one). */
        private void sendWaitingChanges() {
            if (waitingChanges.isEmpty()) {
                return;
            }
            enqueued = true;
            if (waitingChanges.size() == 1 && waitingChanges.get(0).present() <= presenceBatches.listMax()) {
                delivery.deliver(waitingChanges.get(0));
            } else {
                outbox.enqueueText(presenceBatches.diff(waitingChanges));
            }
            waitingChanges.clear();
            presenceSentAt = System.nanoTime();
        }

        private void presenceTick() {
            synchronized (this) {
                tickBooked = false;
                sendWaitingChanges();
            }
            delivery.flush();
        }

        /** Claimed again in {@link #flush}: a hub call, which {@link #reset} (under the hub's lock) must not make. */
        private boolean presenceToClaim;

        @Override
        public synchronized void reset(boolean historyLost) {
            if (historyLost) {
                outbox.enqueueText(ChatMessages.reset(name(), roomName));
                enqueued = true;
            }
            presenceToClaim = true;
        }

        @Override
        public void flush() {
            boolean claim;
            boolean send;
            synchronized (this) {
                claim = presenceToClaim;
                presenceToClaim = false;
                send = enqueued;
                enqueued = false;
            }
            if (claim) {
                claimPresenceAgain();
            }
            if (send) {
                delivery.flush();
            }
        }
    }

    /**
     * The engine lost this member's presence (its data, or this server's entries): enter the room
     * again under the same name; if another member took it meanwhile, under a unique variant, told
     * to the client as on joining.
     */
    private void claimPresenceAgain() {
        Room joinedRoom;
        String joinedAs;
        String joinedUser;
        synchronized (lock) {
            joinedRoom = left ? null : room;
            joinedAs = name;
            joinedUser = user;
        }
        if (joinedRoom == null || joinedAs == null) {
            return;
        }
        feed.hold();
        Room.Entry entry = null;
        try {
            entry = joinedRoom.enterAgain(joinedAs, joinedUser);
        } catch (EngineUnavailableException e) {
            // Lost again: the next reset claims it.
        }
        if (entry == null) {
            feed.release(null, null);
            return;
        }
        String given = entry.name();
        if (!given.equals(joinedAs)) {
            synchronized (lock) {
                name = given;
            }
        }
        // The engine lost the room's presence: the list the client keeps is stale, so it gets the state again.
        feed.release(given.equals(joinedAs) ? null : ChatMessages.joined(given, roomName), entry);
    }

    /** The room's member list as of now, for a member whose own chat-join carried none. */
    private void sendPresenceNow(String ownName) {
        Room held;
        synchronized (lock) {
            held = room;
        }
        if (held == null) {
            return;
        }
        try {
            java.util.List<dev.socketworks.hub.Member> present = held.presence();
            int listMax = presenceBatches == null ? present.size() : presenceBatches.listMax();
            outbox.enqueueText(ChatMessages.presence(ownName, present.subList(0, Math.min(listMax, present.size())), present.size()));
        } catch (EngineUnavailableException e) {
            // The next reset sends it again.
        }
    }
}
