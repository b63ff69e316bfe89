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
        CheckedText checked = CheckedText.of(say.message(), maxMessageBytes);
        if (checked.code() != null) {
            error(checked.code(), checked.message());
            return;
        }
        String text = checked.text();
        if (text.isEmpty()) {
            return; // as the Node demo does: an empty line is nothing to show
        }
        long bytes = Unicode.utf8Length(text);
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
     * the outbox; {@link #release} queues the joiner's own message first, then its chat-join and the
     * member list as of it (the state that later changes apply to), then what waited. Presence
     * changes do not come through the subscription: the room's relay on this server keeps them and
     * says when to fetch ({@link PresenceBatches}); they are also fetched before any other message,
     * so a joiner's message never arrives before its join. Never calls the container: it only
     * enqueues; the flush comes after.
     */
    private final class JoinGate implements Room.Feed {

        /** Publications that may wait during one join: what the room publishes in one hub call. */
        private static final int MAX_HELD = 1024;
        /** Presence known before the member's first list: nothing to fetch yet. */
        private static final long NO_LIST_YET = Long.MAX_VALUE;

        private final Subscriber delivery;
        private final List<Message> held = new ArrayList<>();
        private boolean holding;
        // The last presence change the client's list includes. Guarded by this.
        private long presenceKnown = NO_LIST_YET;
        // Whether deliveries since the last flush gave the outbox anything. Guarded by this. A relay's
        // push finds most members with nothing new: the flush is then skipped.
        private boolean enqueued;
        private boolean presenceToResend; // guarded by this: changes were forgotten before this member fetched them

        JoinGate(Subscriber delivery) {
            this.delivery = delivery;
        }

        synchronized void hold() {
            holding = true;
        }

        /**
         * @param entered the member's own entry: its chat-join and the list as of it go before the
         *                publications after it; null when the join failed
         */
        void release(String first, Room.Entry entered) {
            synchronized (this) {
                if (first != null) {
                    outbox.enqueueText(first);
                }
                int i = 0;
                if (entered != null) {
                    for (; i < held.size() && held.get(i).offset() < entered.asOf(); i++) {
                        deliverNow(held.get(i));
                    }
                    if (entered.announcement() != null) {
                        delivery.deliver(new Message(Room.TOPIC_PREFIX + roomName, "", entered.joinId(), entered.announcement(), null, entered.count()));
                    }
                    ChatMessages.Measured list = ChatMessages.presenceMeasured(entered.name(), entered.members(), entered.count());
                    outbox.enqueueText(list.text(), list.bytes());
                    presenceKnown = entered.asOf();
                    enqueued = true;
                }
                holding = false;
                for (; i < held.size(); i++) {
                    deliverNow(held.get(i));
                }
                held.clear();
                fetchPresence(Long.MAX_VALUE);
            }
            flush();
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
            fetchPresence(message.offset());
            enqueued = true;
            delivery.deliver(message);
        }

        /** Guarded by this: the changes before {@code before} that the client has not seen, as one message. */
        private boolean fetchPresence(long before) {
            PresenceBatches relay = presenceBatches;
            if (holding || relay == null || presenceKnown == NO_LIST_YET || relay.newest() <= presenceKnown) {
                return false;
            }
            PresenceBatches.Update update = relay.since(presenceKnown, before);
            presenceKnown = update.through();
            if (update.single() != null) {
                delivery.deliver(update.single());
            } else if (update.text() != null) {
                outbox.enqueueText(update.text());
            } else if (update.stale()) {
                presenceToResend = true;
            }
            enqueued |= !update.isEmpty();
            return !update.isEmpty();
        }

        @Override
        public boolean presenceChanged() {
            boolean sent;
            synchronized (this) {
                sent = fetchPresence(Long.MAX_VALUE);
            }
            flush();
            return sent;
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
            boolean resend;
            boolean send;
            synchronized (this) {
                claim = presenceToClaim;
                presenceToClaim = false;
                resend = presenceToResend && !claim; // a claim sends the state anyway
                presenceToResend = false;
                send = enqueued;
                enqueued = false;
            }
            if (claim || resend) {
                // Engine calls: never on the presence tick's thread, the deployment's shared scheduler,
                // which a stalled engine would hold up for every timer.
                PresenceBatches relay = presenceBatches;
                Runnable call = claim ? ChatMember.this::claimPresenceAgain : () -> {
                    sendPresenceNow();
                    delivery.flush();
                };
                try {
                    (relay == null ? (java.util.concurrent.Executor) Runnable::run : relay.engineWork()).execute(call);
                } catch (java.util.concurrent.RejectedExecutionException undeploying) {
                    // everything ends anyway
                }
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

    /** The room's member list as of now, for a member that fell too far behind its changes. */
    private void sendPresenceNow() {
        Room held;
        String ownName;
        synchronized (lock) {
            held = room;
            ownName = name;
        }
        if (held == null || ownName == null) {
            return;
        }
        try {
            List<dev.socketworks.hub.Member> present = held.presence();
            int listMax = presenceBatches == null ? present.size() : presenceBatches.listMax();
            outbox.enqueueText(ChatMessages.presence(ownName, present.subList(0, Math.min(listMax, present.size())), present.size()));
        } catch (EngineUnavailableException e) {
            // The next reset sends it again.
        }
    }
}
