package dev.socketworks.hub;

/**
 * The shared engine could not be reached in time: nothing was changed by the call that threw it (or,
 * for a publication whose reply was lost, it may have been made once: never twice). Services tell
 * their client "unavailable"; the hub reconnects by itself.
 */
public final class EngineUnavailableException extends RuntimeException {

    public EngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
