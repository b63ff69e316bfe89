package dev.socketworks.hub;

/**
 * Places counted across every server that shares the engine: a group (a user's connections) holds at
 * most a given number, wherever they are taken. Each server's places are its own, so a server that
 * dies frees them (with the engine: when its liveness lapses, as its presence does).
 *
 * <p>The engine may be unreachable: then {@link #take} and {@link #held} throw
 * {@link EngineUnavailableException} having changed nothing, and {@link #giveBack} is kept and made
 * when it is back (a closed connection must not go on counting).
 */
public interface Places {

    /** Takes a place in {@code group} for this server if fewer than {@code max} are held on all servers together. */
    boolean take(String group, int max);

    /** Places {@code group} holds on all servers together. */
    long held(String group);

    /** Gives back one place this server took in {@code group}. */
    void giveBack(String group);
}
