package dev.socketworks.chat;

import dev.socketworks.outbox.CloseReasons;
import dev.socketworks.runtime.Connection;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

import java.nio.ByteBuffer;

/**
 * What the chat endpoints ({@code /chat/{room}}, {@code /chat} and the root alias) share: they
 * differ only in how the room is named, so each is four one-line callbacks into this.
 */
final class ChatConnection {

    static final String SUBPROTOCOL = "chat.v1";
    /** The Node chat demo's subprotocol; its unmodified client asks for it. */
    static final String LEGACY_SUBPROTOCOL = "beej-chat-protocol";

    private Connection connection;
    private ChatRooms rooms;
    private volatile ChatMember member;

    void open(Session session, String roomName) {
        connection = Connection.open(session);
        if (connection == null) {
            return;
        }
        if (!ChatRooms.isValidName(roomName)) {
            connection.outbox().close(CloseReasons.of(CloseReason.CloseCodes.VIOLATED_POLICY,
                    "invalid room name: use 1-64 letters, digits, '.', '_' or '-'"));
            return;
        }
        rooms = ChatRooms.of(connection.app());
        boolean legacy = LEGACY_SUBPROTOCOL.equals(session.getNegotiatedSubprotocol());
        Connection open = connection;
        member = new ChatMember(roomName, new ChatMember.RoomPlace() {
            @Override
            public Room take() {
                return rooms.acquire(roomName);
            }

            @Override
            public void giveBack(Room room) {
                rooms.release(room);
            }
        }, () -> open.outbox().close(CloseReasons.of(CloseReason.CloseCodes.TRY_AGAIN_LATER,
                "every chat room is in use (chatMaxRooms); try again later")),
                connection.outbox(), legacy, connection.settings().chatMaxMessageBytes(), connection.address());
        ChatMember joining = member;
        joining.readOnly(!connection.may("chat:" + roomName)); // it got here with chat-read: it may read, not speak
        joining.guestsNamedByRoom(connection.app().authenticator().authenticates());
        if (!connection.identity().isGuest()) {
            joining.token(new ChatMember.Token() {
                @Override
                public String user() {
                    return open.identity().subject();
                }

                @Override
                public String displayName() {
                    return open.identity().displayName();
                }

                @Override
                public java.time.Instant expiresAt() {
                    return open.identity().expiresAt();
                }

                @Override
                public String refresh(String token) {
                    String refused = open.refresh(token);
                    if (refused == null && !open.may("chat-read:" + roomName)) {
                        open.outbox().close(CloseReasons.of(CloseReason.CloseCodes.VIOLATED_POLICY,
                                "forbidden: the new token gives no right to room " + roomName));
                    } else if (refused == null) {
                        joining.readOnly(!open.may("chat:" + roomName)); // the new token's rights apply at once
                    }
                    return refused;
                }
            });
            connection.whenTokenExpiring(() -> joining.tokenExpiring(open.identity().expiresAt()));
        }
        connection.replyWhenRateLimited(joining::rateLimited);
        joining.whenOverRoomShare(open::refusedByService);
    }

    void text(String part, boolean last) {
        String message = connection == null ? null : connection.text(part, last);
        if (message != null && member != null) {
            member.handle(message);
        }
    }

    void binary(ByteBuffer part, boolean last) {
        if (connection != null && connection.binary(part, last) != null && member != null) {
            member.refuseBinary();
        }
    }

    void closed(jakarta.websocket.CloseReason reason) {
        if (connection == null) {
            return;
        }
        ChatMember leaving = member;
        member = null;
        if (leaving != null) {
            leaving.leave(); // holds no lock while the room hears of it: safe on the container's close thread
        }
        connection.closed(reason);
    }
}
