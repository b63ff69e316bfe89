package dev.socketworks.arena;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class BotsTest {

    private static final Simulation.Rules RULES = Simulation.Rules.standard(0.05);

    @Test
    void botsPlayTheWorldAndGrowByEatingPellets() {
        Simulation world = new Simulation(RULES, new Random(3));
        Bots bots = new Bots(world, 5);
        assertThat(world.players()).extracting(View.Player::name)
                .containsExactlyInAnyOrder("Bot 1", "Bot 2", "Bot 3", "Bot 4", "Bot 5");
        for (int i = 0; i < 400; i++) {
            bots.steer();
            world.advance();
        }
        assertThat(world.players()).as("every bot chased pellets for 20 s of play")
                .allSatisfy(p -> assertThat(p.mass()).isGreaterThan(RULES.startMass() + 5));
    }

    @Test
    void aBotFleesWhatCouldEatItAndChasesWhatItCouldEat() {
        Simulation world = new Simulation(RULES, new Random(4));
        Bots bots = new Bots(world, 1);
        Simulation.Blob bot = world.blobs().iterator().next();
        bot.x = 2000;
        bot.y = 2000;
        int big = world.join("Big");
        world.blob(big).mass = 10 * bot.mass;
        world.blob(big).x = 2100;
        world.blob(big).y = 2000;
        thinkOnce(bots, world);
        world.advance();
        assertThat(bot.x).as("away from the larger player").isLessThan(2000);

        world.leave(big);
        int small = world.join("Small");
        world.blob(small).x = bot.x;
        world.blob(small).y = bot.y + 150;
        bot.mass = 10 * world.blob(small).mass;
        double before = bot.y;
        thinkOnce(bots, world);
        world.advance();
        assertThat(bot.y).as("toward the smaller player").isGreaterThan(before);
    }

    @Test
    void anEatenBotComesBackAfterItsRespawnTime() {
        Simulation world = new Simulation(RULES, new Random(5));
        Bots bots = new Bots(world, 1);
        int botId = world.blobs().iterator().next().id;
        world.leave(botId); // as if eaten
        for (int i = 0; i < Bots.RESPAWN_TICKS; i++) {
            bots.steer();
            world.advance();
            assertThat(world.playerCount()).isZero();
        }
        bots.steer();
        assertThat(world.players()).extracting(View.Player::name).containsExactly("Bot 1");
    }

    /** Ticks (steering only when the bot's turn to think comes) until it has decided once. */
    private static void thinkOnce(Bots bots, Simulation world) {
        Simulation.Blob bot = world.blob(world.players().stream().filter(p -> p.name().startsWith("Bot")).findFirst().orElseThrow().id());
        for (int i = 0; i < Bots.THINK_TICKS; i++) {
            if ((world.tick() + bot.id) % Bots.THINK_TICKS == 0) {
                bots.steer();
                return;
            }
            world.advance(); // no aim yet: nothing moves
        }
        throw new AssertionError("the bot never had its turn");
    }
}
