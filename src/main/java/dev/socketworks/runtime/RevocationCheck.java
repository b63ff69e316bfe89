package dev.socketworks.runtime;

import dev.socketworks.auth.Identity;
import dev.socketworks.hub.EngineUnavailableException;
import dev.socketworks.hub.Hub;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether a token was revoked ({@code POST /api/users/{sub}/revoke}): issued ({@code iat}) before its
 * user's revocation, or with no {@code iat} at all. The engine keeps revocations for every server;
 * while it cannot be reached, the revocations this server heard of answer (a revoked user must not get
 * back in through an outage). Container users have no token to revoke: their realm decides.
 */
final class RevocationCheck {

    /** Revocations remembered for an engine outage: the most recent, by user. */
    static final int HEARD_AT_MOST = 10_000;

    private final Hub hub;
    // Guarded by itself; insertion order, so the oldest go first past the bound.
    private final Map<String, Instant> heard = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > HEARD_AT_MOST;
        }
    };

    RevocationCheck(Hub hub) {
        this.hub = hub;
    }

    /** A revocation this server made or was told of. */
    void heard(String subject, Instant before) {
        synchronized (heard) {
            Instant was = heard.remove(subject);
            heard.put(subject, was != null && was.isAfter(before) ? was : before);
        }
    }

    /** Whether {@code identity}'s token was revoked: one engine call for a token, none for anyone else. */
    boolean refuses(Identity identity) {
        if (identity.isGuest() || !"Bearer".equals(identity.authType())) {
            return false;
        }
        Instant before;
        try {
            before = hub.revokedBefore(identity.subject());
        } catch (EngineUnavailableException e) {
            synchronized (heard) {
                before = heard.get(identity.subject());
            }
        }
        return before != null && (identity.issuedAt() == null || identity.issuedAt().isBefore(before));
    }
}
