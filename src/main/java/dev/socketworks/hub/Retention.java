package dev.socketworks.hub;

/**
 * How much of a topic's past a publication joins: the newest {@code maxMessages} retained
 * publications within {@code maxBytes} (as {@link Message} counts them) are kept for history and
 * replay; older ones are dropped first. {@link #NONE}: delivered live, never replayed.
 */
public record Retention(int maxMessages, long maxBytes) {

    public static final Retention NONE = new Retention(0, 0);

    public Retention {
        if (maxMessages < 0 || maxBytes < 0) {
            throw new IllegalArgumentException("retention must not be negative");
        }
    }
}
