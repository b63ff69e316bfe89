package dev.socketworks.arena;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * A growable list of ints: a delta's removed ids, refilled for every player every tick. Ids pass
 * 127 at once, so a {@code List<Integer>} boxed nearly every one of them (JFR: a tenth of what the
 * arena's tick allocated besides its frames).
 */
final class IntList {

    private int[] values;
    private int size;

    IntList() {
        this(16);
    }

    private IntList(int capacity) {
        values = new int[capacity];
    }

    static IntList of(int... values) {
        IntList list = new IntList(Math.max(1, values.length));
        for (int value : values) {
            list.add(value);
        }
        return list;
    }

    void add(int value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    int get(int index) {
        if (index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        return values[index];
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void clear() {
        size = 0;
    }

    void sort() {
        Arrays.sort(values, 0, size);
    }

    void forEach(IntConsumer action) {
        for (int i = 0; i < size; i++) {
            action.accept(values[i]);
        }
    }

    @Override
    public String toString() {
        return Arrays.toString(Arrays.copyOf(values, size));
    }
}
