package dev.socketworks.auth;

import java.time.Instant;

/**
 * Who a connection is: a verified token's subject (or the container's user), the name people see,
 * its rights, when its credentials expire ({@code null}: never, for guests and container users) and how it
 * authenticated (CGI's AUTH_TYPE: Bearer for a token, the container's scheme, "" for a guest) and, for a token,
 * when it was issued ({@code iat}; null without one): what a revocation compares.
 */
public record Identity(String subject, String displayName, Rights rights, Instant expiresAt, String authType, Instant issuedAt) {

    /** Credentials with no issue time (a container's user, a guest). */
    public Identity(String subject, String displayName, Rights rights, Instant expiresAt, String authType) {
        this(subject, displayName, rights, expiresAt, authType, null);
    }

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
