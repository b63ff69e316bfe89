package dev.socketworks.it;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.glassfish.tyrus.client.ClientManager;

import java.io.StringReader;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A player of {@code /arena/{name}} for tests: keeps what its client would show, built only from the
 * snapshots and deltas it was sent, and counts the snapshots (a snapshot after the first one means
 * the arena re-synchronised it: a new server took over, or it fell behind).
 */
final class ArenaPlayer implements AutoCloseable {

    /** What the client shows of a player: name, position, radius. */
    record Shown(String name, int x, int y, int r) {
    }

    final TestClient socket;
    final Map<Integer, Shown> players = new HashMap<>();
    final Map<Integer, int[]> pellets = new HashMap<>(); // id → {x, y}
    int you = -1;
    int snapshots;
    long lastTick;
    String eatenBy; // who ate this player, once it was told
    final List<String> said = new ArrayList<>(); // the say lines it heard
    final List<String> errors = new ArrayList<>(); // the codes of the errors it was sent

    private ArenaPlayer(TestClient socket) {
        this.socket = socket;
    }

    static ArenaPlayer join(ClientManager client, URI arena, String name) throws Exception {
        ArenaPlayer player = new ArenaPlayer(TestClient.connect(client, arena, null, List.of("arena.v1")));
        player.send("join " + name);
        return player;
    }

    void send(String text) throws java.io.IOException {
        socket.session().getBasicRemote().sendText(text); // the test's one thread sends
    }

    /** Applies every message that arrives within {@code wait}. */
    void read(Duration wait) throws InterruptedException {
        long end = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < end) {
            Object message = socket.poll(Duration.ofMillis(20));
            if (message instanceof String text) {
                apply(Json.createReader(new StringReader(text)).readObject());
            }
        }
    }

    private void apply(JsonObject message) {
        switch (message.getString("type")) {
            case "snapshot" -> {
                snapshots++;
                players.clear();
                pellets.clear();
                you = message.getInt("you");
                lastTick = message.getJsonNumber("tick").longValue();
                message.getJsonArray("players").forEach(this::add);
                message.getJsonArray("pellets").forEach(this::addPellet);
            }
            case "delta" -> {
                lastTick = message.getJsonNumber("tick").longValue();
                for (JsonValue id : message.getJsonArray("removed")) { // players and pellets share one id space
                    players.remove(((jakarta.json.JsonNumber) id).intValue());
                    pellets.remove(((jakarta.json.JsonNumber) id).intValue());
                }
                message.getJsonArray("players").forEach(this::add);
                message.getJsonArray("pellets").forEach(this::addPellet);
                for (JsonValue value : message.getJsonArray("moved")) {
                    JsonArray m = value.asJsonArray();
                    players.computeIfPresent(m.getInt(0), (id, p) -> new Shown(p.name(), m.getInt(1), m.getInt(2), m.getInt(3)));
                }
            }
            case "say" -> said.add(message.getString("text"));
            case "error" -> errors.add(message.getJsonObject("payload").getString("code"));
            case "eaten" -> {
                eatenBy = message.getString("by");
                players.remove(you);
            }
            default -> {
            }
        }
    }

    private void addPellet(JsonValue value) {
        JsonArray p = value.asJsonArray();
        pellets.put(p.getInt(0), new int[]{p.getInt(1), p.getInt(2)});
    }

    /** The pellet nearest to this player, as shown; null when none is. */
    int[] nearestPellet() {
        Shown me = me();
        return me == null ? null : pellets.values().stream()
                .min(java.util.Comparator.comparingDouble(p -> Math.hypot(p[0] - me.x(), p[1] - me.y()))).orElse(null);
    }

    Shown shown(String name) {
        return players.values().stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }

    private void add(JsonValue value) {
        JsonObject p = value.asJsonObject();
        players.put(p.getInt("id"), new Shown(p.getString("name"), p.getInt("x"), p.getInt("y"), p.getInt("r")));
    }

    /** What this client was shown, for a failure message: its frames, its place, the pellets. */
    String describe() {
        int[] pellet = nearestPellet();
        return "snapshots " + snapshots + ", last tick " + lastTick + ", me " + me() + ", " + players.size() + " players and "
                + pellets.size() + " pellets shown, nearest pellet " + (pellet == null ? "none" : pellet[0] + "," + pellet[1])
                + (eatenBy == null ? "" : ", eaten by " + eatenBy);
    }

    Shown me() {
        return players.get(you);
    }

    boolean sees(String name) {
        return players.values().stream().anyMatch(p -> p.name().equals(name)) && me() != null && !me().name().equals(name);
    }

    @Override
    public void close() throws java.io.IOException {
        socket.close();
    }
}
