package dev.socketworks.hub;

/**
 * A presence entry: unique in its topic by {@code key}, shown as {@code name}, owned by the server
 * ({@code node}) whose connection added it, so a shared engine can remove a dead node's members.
 */
public record Member(String key, String name, String node) {
}
