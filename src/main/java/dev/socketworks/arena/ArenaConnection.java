package dev.socketworks.arena;

import dev.socketworks.auth.Identity;
import dev.socketworks.json.DisplayNames;
import dev.socketworks.outbox.CloseReasons;
import dev.socketworks.runtime.Connection;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

import java.nio.ByteBuffer;

/** What the two arena endpoints share: they differ only in how the arena is named. */
final class ArenaConnection {

    static final String SUBPROTOCOL = "arena.v1";

    private Connection connection;
    private Arenas arenas;
    private Arenas.Taken taken;

    void open(Session session, String arenaName) {
        connection = Connection.open(session);
        if (connection == null) {
            return;
        }
        if (!Arenas.isValidName(arenaName)) {
            connection.outbox().close(CloseReasons.of(CloseReason.CloseCodes.VIOLATED_POLICY,
                    "invalid arena name: use 1-64 letters, digits, '.', '_' or '-'"));
            return;
        }
        arenas = connection.app().service(Arenas.class, app -> {
            Arenas made = new Arenas(app.settings(), app.hub(), app.scheduling().executor(), app.engineWork());
            app.metrics().gauge("socketworks.arenas", "arenas known on this server (dormant ones included)", made, Arenas::size);
            app.metrics().gauge("socketworks.arena.places", "arenas holding one of arenaMaxArenas places (main never counts)",
                    made, Arenas::placesTaken);
            io.micrometer.core.instrument.Timer ticks = io.micrometer.core.instrument.Timer.builder("socketworks.arena.tick")
                    .description("how long an arena's tick takes here: the world, the deltas, the enqueueing")
                    .publishPercentileHistogram().minimumExpectedValue(java.time.Duration.ofNanos(100_000))
                    .maximumExpectedValue(java.time.Duration.ofSeconds(1)).register(app.metrics().registry());
            made.measureTicksWith(nanos -> ticks.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS));
            return made;
        });
        Arenas.Taken seat = arenas.take(arenaName, connection.outbox());
        if (seat.refusal() != null) {
            connection.outbox().close(CloseReasons.of(CloseReason.CloseCodes.TRY_AGAIN_LATER, seat.refusal()));
            return;
        }
        taken = seat;
        if (!connection.may("arena:" + arenaName)) {
            seat.seat().watchOnly(); // it got here with arena-watch: it may watch, not play
        }
        // Where users sign in, names are not the client's to choose: a user plays under its token's, a guest under one made here.
        if (!connection.identity().isGuest()) {
            seat.seat().playsAs(playerName(connection.identity()));
        } else if (connection.app().authenticator().authenticates()) {
            seat.seat().playsAs(String.format("Guest %04x", java.util.concurrent.ThreadLocalRandom.current().nextInt(0x10000)));
        }
        connection.replyWhenRateLimited(() -> connection.outbox().sendText(ArenaMessages.error("rate-limited",
                "too many messages: this one was dropped; slow down or be disconnected")));
    }

    /** The token's name when it can be shown (as a join's name is checked), else its subject, else "Player". */
    static String playerName(Identity identity) {
        for (String candidate : new String[]{identity.displayName(), identity.subject()}) {
            if (candidate != null && !candidate.isBlank()) {
                DisplayNames.Checked checked = DisplayNames.check(candidate, "name", ArenaInput.MAX_NAME_LENGTH);
                if (checked.isValid()) {
                    return checked.name();
                }
            }
        }
        return "Player";
    }

    void text(String part, boolean last) {
        String message = connection == null ? null : connection.text(part, last);
        if (message != null && taken != null) {
            taken.arena().handle(taken.seat(), message);
        }
    }

    void binary(ByteBuffer part, boolean last) {
        if (connection != null && connection.binary(part, last) != null) {
            connection.outbox().sendText(ArenaMessages.error("binary-not-supported", "commands are text, one per line"));
        }
    }

    void closed(jakarta.websocket.CloseReason reason) {
        if (connection == null) {
            return;
        }
        Arenas.Taken leaving = taken;
        taken = null;
        if (leaving != null) {
            arenas.leave(leaving.arena(), leaving.seat());
        }
        connection.closed(reason);
    }
}
