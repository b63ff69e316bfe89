package dev.socketworks.hub;

/**
 * The engine a role contract runs on. An engine's test class runs every contract as a nested class
 * that names its engine: {@code @Nested class LogRole extends LogContract implements OnRedis {}}.
 */
public interface Engine {

    /** A hub on the engine, named {@code node}; hubs opened with one prefix share topics (several servers). */
    Hub connect(String node, String prefix);
}
