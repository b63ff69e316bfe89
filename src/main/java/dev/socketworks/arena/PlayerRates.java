package dev.socketworks.arena;

/**
 * What one connection may send an arena per second: commands (a game client sends on every mouse
 * move) and, among them, says (each reaches everyone near, so it costs the arena far more).
 */
record PlayerRates(int commandsPerSecond, int saysPerSecond) {

    CommandRate commands() {
        return new CommandRate(commandsPerSecond);
    }

    CommandRate says() {
        return new CommandRate(saysPerSecond);
    }

    String commandsLimited() {
        return ArenaMessages.error("rate-limited", "over " + commandsPerSecond + " commands per second: the excess was dropped");
    }

    String saysLimited() {
        return ArenaMessages.error("rate-limited", "over " + saysPerSecond + " says per second: the excess was dropped");
    }
}
