package dev.socketworks.arena;

/** A player's commands per second (a token bucket, full at the start): a game client sends on every mouse move. */
final class CommandRate {

    private final int perSecond;
    private double tokens;
    private long refilledAt;

    CommandRate(int perSecond) {
        this.perSecond = perSecond;
        this.tokens = perSecond;
        this.refilledAt = System.nanoTime();
    }

    /** Whether one more command may pass now. Not thread-safe: one connection's messages arrive one at a time. */
    boolean take() {
        long now = System.nanoTime();
        tokens = Math.min(perSecond, tokens + (now - refilledAt) / 1e9 * perSecond);
        refilledAt = now;
        if (tokens < 1) {
            return false;
        }
        tokens--;
        return true;
    }
}
