package dev.socketworks.auth;

import java.time.Instant;

/**
 * Who a connection is: a verified token's subject (or the container's user), the name people see,
 * its rights, when its credentials expire ({@code null}: never, for guests and container users) and how it
 * authenticated (CGI's AUTH_TYPE: Bearer for a token, the container's scheme, "" for a guest).
 */
public record Identity(String subject, String displayName, Rights rights, Instant expiresAt, String authType) {

    /** A token's user: its scheme is Bearer. */
    public Identity(String subject, String displayName, Rights rights, Instant expiresAt) {
        this(subject, displayName, rights, expiresAt, "Bearer");
    }

    /** A connection without credentials, with {@code guestRights}. */
    public static Identity guest(Rights rights) {
        return new Identity(null, null, rights, null, "");
    }

    public boolean isGuest() {
        return subject == null;
    }
}
