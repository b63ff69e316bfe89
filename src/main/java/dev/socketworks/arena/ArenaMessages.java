package dev.socketworks.arena;

import dev.socketworks.json.ErrorMessage;
import dev.socketworks.json.JsonMessages;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

import java.util.List;

/**
 * The arena's server → client protocol: JSON, and per tick only what changed.
 * <pre>
 * {"type":"snapshot","tick":12,"you":7,"world":{"w":4000,"h":4000},
 *  "players":[{"id":7,"name":"Ann","x":1200,"y":800,"r":13}],"pellets":[[31,1190,790],...]}
 * {"type":"delta","tick":13,"players":[...added...],"pellets":[[id,x,y],...],"moved":[[7,1203,800,13]],"removed":[31]}
 * {"type":"eaten","by":"Bob"}               to the player eaten; it may join again
 * {"type":"say","id":7,"name":"Ann","text":"hi"}   to the players who see Ann
 * {"type":"leaderboard","top":[{"name":"Bob","mass":120}, ...]}   every second, the 10 largest
 * {"type":"error","payload":{"code":"unknown-command","message":"..."}}   to the sender only
 * </pre>
 */
public final class ArenaMessages {

    private ArenaMessages() {
    }

    @JsonbPropertyOrder({"type", "by"})
    public record EatenMessage(String type, String by) {
    }

    @JsonbPropertyOrder({"type", "id", "name", "text"})
    public record SayMessage(String type, int id, String name, String text) {
    }

    public record Leader(String name, long mass) {
    }

    @JsonbPropertyOrder({"type", "top"})
    public record Leaderboard(String type, List<Leader> top) {
    }

    /**
     * Snapshots and deltas, one per player per tick, are joined from the pieces of JSON each player
     * and pellet carries ({@link View.Player#quotedName}, {@link View.Player#movement},
     * {@link View.Pellet#json}), made once and shared by every viewer; only integers and punctuation
     * are written here. Binding records with JSON-B, then writing numbers with JSON-P's generator for
     * each viewer, took most of a 500-player tick.
     */
    static String snapshot(Frame.Snapshot frame, Simulation.Rules rules) {
        return snapshot(frame.tick(), frame.you(), rules, frame.players(), frame.pellets());
    }

    private static String snapshot(long tick, int you, Simulation.Rules rules, List<View.Player> players, List<View.Pellet> pellets) {
        StringBuilder json = new StringBuilder(96 + 48 * players.size() + 16 * pellets.size());
        json.append("{\"type\":\"snapshot\",\"tick\":").append(tick).append(",\"you\":").append(you)
                .append(",\"world\":{\"w\":").append((int) rules.width()).append(",\"h\":").append((int) rules.height())
                .append("},\"players\":[");
        appendPlayers(json, players);
        json.append("],\"pellets\":[");
        appendPellets(json, pellets);
        return json.append("]}").toString();
    }

    /** Every player and pellet of the world as one snapshot: what a server without interest management or deltas would send each tick. */
    static String fullState(Simulation world) {
        List<View.Player> everyone = world.blobs().stream().map(b -> new View.Player(b.id, b.name, (int) Math.round(b.x),
                (int) Math.round(b.y), (int) Math.round(b.radius()), b.mass)).toList();
        return snapshot(world.tick(), 0, world.rules(), everyone, world.pelletsInWorld().stream().map(Simulation.Pellet::shown).toList());
    }

    static String delta(long tick, Frame.Delta frame) {
        return delta(tick, frame, new StringBuilder());
    }

    /** A builder kept only while small: a player's deltas are mostly a few hundred bytes, now and then a big arrival. */
    private static final int REUSED_BUILDER_MAX_CHARS = 8192;

    /**
     * As {@link #delta(long, Frame.Delta)}, written in {@code json} (emptied first, one per player, reused each
     * tick): its buffer is not allocated and regrown for every frame of every player.
     */
    static String delta(long tick, Frame.Delta frame, StringBuilder json) {
        json.setLength(0);
        json.ensureCapacity(64 + 48 * frame.addedPlayers().size() + 20 * frame.moved().size()
                + 16 * frame.addedPellets().size() + 8 * frame.removed().size());
        json.append("{\"type\":\"delta\",\"tick\":").append(tick).append(",\"players\":[");
        appendPlayers(json, frame.addedPlayers());
        json.append("],\"pellets\":[");
        appendPellets(json, frame.addedPellets());
        json.append("],\"moved\":[");
        for (int i = 0; i < frame.moved().size(); i++) {
            json.append(i == 0 ? "" : ",").append(frame.moved().get(i).movement());
        }
        json.append("],\"removed\":[");
        for (int i = 0; i < frame.removed().size(); i++) {
            json.append(i == 0 ? "" : ",").append(frame.removed().get(i));
        }
        String text = json.append("]}").toString();
        if (json.capacity() > REUSED_BUILDER_MAX_CHARS) {
            json.setLength(0);
            json.trimToSize(); // one big frame must not leave every seat holding its size
        }
        return text;
    }

    private static void appendPlayers(StringBuilder json, List<View.Player> players) {
        for (int i = 0; i < players.size(); i++) {
            if (i > 0) {
                json.append(',');
            }
            players.get(i).appendArrival(json);
        }
    }

    private static void appendPellets(StringBuilder json, List<View.Pellet> pellets) {
        for (int i = 0; i < pellets.size(); i++) {
            json.append(i == 0 ? "" : ",").append(pellets.get(i).json());
        }
    }

    static String eaten(String by) {
        return JsonMessages.toJson(new EatenMessage("eaten", by));
    }

    static String say(int id, String name, String text) {
        return JsonMessages.toJson(new SayMessage("say", id, name, text));
    }

    static String leaderboard(List<View.Player> largestFirst) {
        return JsonMessages.toJson(new Leaderboard("leaderboard", largestFirst.stream().limit(10)
                .map(p -> new Leader(p.name(), Math.round(p.mass()))).toList()));
    }

    static String error(String code, String message) {
        return ErrorMessage.json(code, message);
    }

}
