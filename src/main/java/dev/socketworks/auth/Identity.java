package dev.socketworks.auth;

import java.time.Instant;

/**
 * Who a connection is: a verified token's subject (or the container's user), the name people see,
 * its rights and when its credentials expire ({@code null}: never, for guests and container users).
 */
public record Identity(String subject, String displayName, Rights rights, Instant expiresAt) {

    /** A connection without credentials, with {@code guestRights}. */
    public static Identity guest(Rights rights) {
        return new Identity(null, null, rights, null);
    }

    public boolean isGuest() {
        return subject == null;
    }
}
