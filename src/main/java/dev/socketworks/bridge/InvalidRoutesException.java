package dev.socketworks.bridge;

/** The routes file cannot be used; thrown at deployment, so the WAR does not start half-configured. */
public class InvalidRoutesException extends RuntimeException {

    public InvalidRoutesException(String message) {
        super(message);
    }
}
