package dev.socketworks.hub;

/** What adding to a topic's counter did. */
public sealed interface CounterChange {

    /** The counter's new value and the offset of the publication that carried it. */
    record Counted(long value, long offset) implements CounterChange {
    }

    /** The addition would leave the signed 64-bit range: refused, nothing changed or published. */
    record Overflow() implements CounterChange {
    }
}
