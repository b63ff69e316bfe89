package dev.socketworks.hub;

import java.util.List;

/**
 * Retained publications of a topic after an offset, oldest first. {@code complete} is false when
 * some retained publication after that offset has since been dropped (by retention or the memory
 * budget), or the offset belongs to another epoch: the caller then knows it missed something.
 * {@code lastOffset} is the topic's newest offset, retained or not.
 */
public record History(String epoch, long lastOffset, boolean complete, List<Message> messages) {

    public History {
        messages = List.copyOf(messages);
    }
}
