package dev.socketworks.inbound;

/** An incoming message grew past the size limit; the session should be closed with 1009. */
public final class MessageTooLargeException extends Exception {
    public MessageTooLargeException(long limit) {
        super("message exceeds " + limit + " bytes");
    }
}
