package dev.socketworks.auth;

/**
 * A token that does not verify. The message is safe to send back in {@code WWW-Authenticate}'s
 * {@code error_description} and to log: it never contains the token.
 */
public final class InvalidTokenException extends Exception {

    public InvalidTokenException(String message) {
        super(message, null, false, false); // a client's mistake: no stack trace to fill or log
    }
}
