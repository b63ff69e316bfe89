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

    public record World(int w, int h) {
    }

    public record Player(int id, String name, int x, int y, int r) {
    }

    @JsonbPropertyOrder({"type", "tick", "you", "world", "players", "pellets"})
    public record Snapshot(String type, long tick, int you, World world, List<Player> players, List<int[]> pellets) {
    }

    @JsonbPropertyOrder({"type", "tick", "players", "pellets", "moved", "removed"})
    public record Delta(String type, long tick, List<Player> players, List<int[]> pellets, List<int[]> moved, List<Integer> removed) {
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

    static String snapshot(Frame.Snapshot frame, Simulation.Rules rules) {
        return JsonMessages.toJson(new Snapshot("snapshot", frame.tick(), frame.you(),
                new World((int) rules.width(), (int) rules.height()), players(frame.players()), pellets(frame.pellets())));
    }

    /** Every player and pellet of the world as one snapshot: what a server without interest management or deltas would send each tick. */
    static String fullState(Simulation world) {
        List<Player> everyone = world.blobs().stream().map(b -> new Player(b.id, b.name, (int) Math.round(b.x),
                (int) Math.round(b.y), (int) Math.round(b.radius()))).toList();
        List<int[]> pellets = world.pelletsInWorld().stream()
                .map(p -> new int[]{p.id(), (int) Math.round(p.x()), (int) Math.round(p.y())}).toList();
        return JsonMessages.toJson(new Snapshot("snapshot", world.tick(), 0,
                new World((int) world.rules().width(), (int) world.rules().height()), everyone, pellets));
    }

    static String delta(Frame.Delta frame) {
        return JsonMessages.toJson(new Delta("delta", frame.tick(), players(frame.addedPlayers()), pellets(frame.addedPellets()),
                frame.moved().stream().map(m -> new int[]{m.id(), m.x(), m.y(), m.r()}).toList(), frame.removed()));
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

    private static List<Player> players(List<View.Player> players) {
        return players.stream().map(p -> new Player(p.id(), p.name(), p.x(), p.y(), p.r())).toList();
    }

    private static List<int[]> pellets(List<View.Pellet> pellets) {
        return pellets.stream().map(p -> new int[]{p.id(), p.x(), p.y()}).toList();
    }
}
