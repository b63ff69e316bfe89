package dev.socketworks.arena;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Computer players, so a lone visitor sees life: each flees the nearest player that could eat it,
 * else chases the nearest it could eat, else the nearest pellet, all within its own view (a bot
 * knows no more than a player). An eaten bot comes back after {@value #RESPAWN_TICKS} ticks. Bots
 * are players of the world without a connection; they cost their share of each tick and nothing
 * to send. Driven by the arena's tick under its lock, so as deterministic as the world.
 */
final class Bots {

    /** Ticks between a bot's decisions: steering each tick would cost a scan per bot per tick for no visible gain. */
    static final int THINK_TICKS = 5;
    static final int RESPAWN_TICKS = 60;

    private final Simulation world;
    private final Map<String, Integer> idByName = new LinkedHashMap<>(); // in name order: the same order every run
    private final Map<String, Long> returnAtTick = new HashMap<>();

    Bots(Simulation world, int count) {
        this.world = world;
        for (int i = 1; i <= count; i++) {
            String name = "Bot " + i;
            idByName.put(name, world.join(name));
        }
    }

    /** Before each tick: bring back eaten bots whose time has come, and let every bot decide now and then. */
    void steer() {
        long tick = world.tick();
        for (Map.Entry<String, Integer> bot : idByName.entrySet()) {
            String name = bot.getKey();
            if (!world.isPlaying(bot.getValue())) {
                Long back = returnAtTick.get(name);
                if (back == null) {
                    returnAtTick.put(name, tick + RESPAWN_TICKS);
                } else if (tick >= back) {
                    returnAtTick.remove(name);
                    bot.setValue(world.join(name));
                }
            } else if ((tick + bot.getValue()) % THINK_TICKS == 0) { // staggered: a few bots think per tick
                decide(bot.getValue());
            }
        }
    }

    int count() {
        return idByName.size();
    }

    private void decide(int id) {
        Simulation.Blob self = world.blob(id);
        double half = world.viewHalfSide(self);
        Simulation.Blob threat = null;
        Simulation.Blob prey = null;
        double threatDistance = Double.MAX_VALUE;
        double preyDistance = Double.MAX_VALUE;
        for (Simulation.Blob other : world.blobs()) {
            if (other.id == id || Math.abs(other.x - self.x) > half || Math.abs(other.y - self.y) > half) {
                continue;
            }
            double distance = Math.hypot(other.x - self.x, other.y - self.y);
            if (other.mass >= world.rules().eatRatio() * self.mass && distance < threatDistance) {
                threat = other;
                threatDistance = distance;
            } else if (self.mass >= world.rules().eatRatio() * other.mass && distance < preyDistance) {
                prey = other;
                preyDistance = distance;
            }
        }
        if (threat != null && threatDistance < half / 2) {
            world.aim(id, self.x - threat.x, self.y - threat.y); // lengthened to 1 by aim: full speed away
            return;
        }
        if (prey != null) {
            world.target(id, prey.x, prey.y);
            return;
        }
        Simulation.Pellet nearest = null;
        double pelletDistance = Double.MAX_VALUE;
        for (Simulation.Pellet pellet : world.pelletsInWorld()) {
            double distance = Math.abs(pellet.x() - self.x) + Math.abs(pellet.y() - self.y);
            if (distance < pelletDistance) {
                nearest = pellet;
                pelletDistance = distance;
            }
        }
        if (nearest != null) {
            world.target(id, nearest.x(), nearest.y());
        }
    }
}
