package dev.socketworks.arena;

import jakarta.json.spi.JsonProvider;

import java.util.List;

/**
 * What one player sees at one tick: positions and radii rounded to world units (what clients are
 * sent). Players and pellets come in the world's grid order, not sorted: nothing needs an order, and
 * sorting every view of every tick cost more than the rest of it.
 */
public record View(long tick, int you, List<Player> players, List<Pellet> pellets) {

    // Json.createValue looks the provider up on every call: far too slow for once per player per tick.
    private static final JsonProvider JSON = JsonProvider.provider();

    /** A name as a JSON string, quotes and escapes included. */
    static String quoted(String name) {
        return JSON.createValue(name).toString();
    }

    /**
     * A player as shown. {@code mass} is for the leaderboard; clients draw {@code r}. It carries its
     * movement's JSON, made once when it is made (once per tick per player that changed, by the
     * world): the same text goes to everyone who sees it move, so each client's message is joined
     * from these pieces rather than written number by number for every viewer. Its arrival (name
     * included) is written only for a viewer it comes into view of: made with the movement for every
     * player that moved, every tick, the two texts were a twentieth of what a 500-player run allocated
     * (JFR), and few arrivals were sent.
     *
     * @param quotedName the name as a JSON string ({@link #quoted})
     * @param movement {@code [7,1203,800,13]}, for a delta's {@code moved}
     */
    public record Player(int id, String name, int x, int y, int r, double mass, String quotedName, String movement) {

        public Player(int id, String name, int x, int y, int r, double mass) {
            this(id, name, quoted(name), x, y, r, mass);
        }

        /** With the name already {@link #quoted}: the world quotes each player's name once, not every tick. */
        Player(int id, String name, String quotedName, int x, int y, int r, double mass) {
            this(id, name, x, y, r, mass, quotedName, "[" + id + "," + x + "," + y + "," + r + "]");
        }

        /** {@code {"id":7,"name":"Ann","x":1200,"y":800,"r":13}}: for a snapshot, or when it comes into view. */
        void appendArrival(StringBuilder json) {
            json.append("{\"id\":").append(id).append(",\"name\":").append(quotedName).append(",\"x\":").append(x)
                    .append(",\"y\":").append(y).append(",\"r\":").append(r).append('}');
        }
    }

    /** @param json {@code [31,1190,790]}: made once, as pellets never move */
    public record Pellet(int id, int x, int y, String json) {

        public Pellet(int id, int x, int y) {
            this(id, x, y, "[" + id + "," + x + "," + y + "]");
        }
    }
}
