package dev.socketworks.hub;

/**
 * A presence entry: unique in its topic by {@code key}, shown as {@code name}, first added by the
 * server ({@code node}) whose connection entered it. {@code user} is the authenticated user's id, or
 * null for a guest: a user's connections share one entry (see {@link Hub#enter}).
 */
public record Member(String key, String name, String node, String user) {
}
