package dev.socketworks.hub;

import java.time.Duration;
import java.time.Instant;

/**
 * The hub's revocation role: a user's credentials issued before a moment are refused, on every server
 * sharing the hub, for as long as such credentials may still be unexpired. A later revocation of the
 * same user moves the moment forward, never back. Contract: {@code RevocationContract}.
 */
public interface Revocations {

    /** Most users one server's memory keeps revoked at once: a key holder revoking in a loop must not fill the heap. */
    int MAX_REVOKED_IN_MEMORY = 1_000_000;

    /**
     * Refuses {@code subject}'s credentials issued before {@code before}, for {@code keep} from now.
     * False when the memory engine already keeps {@link #MAX_REVOKED_IN_MEMORY} users revoked (nothing
     * changed); a shared engine is bounded by its own memory.
     */
    boolean revoke(String subject, Instant before, Duration keep);

    /** The moment before which {@code subject}'s credentials are refused, or null when none are. */
    Instant revokedBefore(String subject);
}
