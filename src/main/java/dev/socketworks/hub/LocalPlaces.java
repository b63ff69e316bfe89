package dev.socketworks.hub;

import java.util.concurrent.ConcurrentHashMap;

/** {@link Places} on one server: counts in memory, a group's entry gone when its count returns to zero. */
final class LocalPlaces implements Places {

    private final ConcurrentHashMap<String, Integer> held = new ConcurrentHashMap<>();

    @Override
    public boolean take(String group, int max) {
        boolean[] taken = new boolean[1];
        held.compute(group, (key, count) -> {
            int now = count == null ? 0 : count;
            taken[0] = now < max;
            return taken[0] ? now + 1 : count;
        });
        return taken[0];
    }

    @Override
    public long held(String group) {
        return held.getOrDefault(group, 0);
    }

    @Override
    public void giveBack(String group) {
        held.computeIfPresent(group, (key, count) -> count <= 1 ? null : count - 1);
    }
}
