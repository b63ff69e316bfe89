package dev.socketworks.auth;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides, before the upgrade, who a client is: with {@code auth=none} everyone is a guest with
 * {@code guestRights}; with {@code auth=token} a client presents a JWT, in a {@code bearer.<jwt>}
 * entry of {@code Sec-WebSocket-Protocol} (browsers cannot set headers), an
 * {@code Authorization: Bearer} header, or the {@code access_token} query parameter (the weakest:
 * it reaches access logs), in that order; one without any is a guest if guests have rights.
 */
public final class Authenticator {

    /** The subprotocol entry that carries a token; never negotiated, never echoed. */
    public static final String BEARER_PREFIX = "bearer.";

    /** The outcome: who, or why not (the reason goes to {@code WWW-Authenticate}, never the token). */
    public sealed interface Outcome {
    }

    public record Admitted(Identity identity) implements Outcome {
    }

    public record Unauthenticated(String reason) implements Outcome {
    }

    private final boolean tokens;
    private final TokenVerifier verifier;
    private final Rights guestRights;

    private Authenticator(boolean tokens, TokenVerifier verifier, Rights guestRights) {
        this.tokens = tokens;
        this.verifier = verifier;
        this.guestRights = guestRights;
    }

    /** {@code auth=none}: everyone a guest. */
    public static Authenticator none(Rights guestRights) {
        return new Authenticator(false, null, guestRights);
    }

    /** {@code auth=token}: tokens verified by {@code verifier}; without one, a guest only if guests have rights. */
    public static Authenticator tokens(TokenVerifier verifier, Rights guestRights) {
        return new Authenticator(true, verifier, guestRights);
    }

    /** The guest rights {@code guestRights=auto} means in a mode: everything without authentication, else nothing. */
    public static Rights guestRights(String setting, boolean authenticating) {
        if (setting.equals("auto")) {
            return authenticating ? Rights.none() : Rights.all();
        }
        return Rights.parse(setting);
    }

    public boolean checksTokens() {
        return tokens;
    }

    /**
     * @param offeredSubprotocols the {@code Sec-WebSocket-Protocol} values as sent (comma-separated lists)
     * @param authorization       the {@code Authorization} header, or null
     * @param accessToken         the {@code access_token} query parameter, or null
     */
    public Outcome authenticate(List<String> offeredSubprotocols, String authorization, String accessToken) {
        if (!tokens) {
            return new Admitted(Identity.guest(guestRights));
        }
        List<String> bearers = new ArrayList<>();
        for (String header : offeredSubprotocols) {
            for (String entry : header.split(",")) {
                String token = entry.strip();
                if (token.startsWith(BEARER_PREFIX)) {
                    bearers.add(token.substring(BEARER_PREFIX.length()));
                }
            }
        }
        if (bearers.size() > 1) {
            return new Unauthenticated("more than one bearer entry in Sec-WebSocket-Protocol");
        }
        String token = !bearers.isEmpty() ? bearers.get(0)
                : authorization != null ? bearerOf(authorization)
                : accessToken;
        if (token == null) {
            return guestRights.isEmpty() ? new Unauthenticated("no token") : new Admitted(Identity.guest(guestRights));
        }
        try {
            return new Admitted(verifier.verify(token));
        } catch (InvalidTokenException e) {
            return new Unauthenticated(e.getMessage());
        }
    }

    /** A token sent inside a connection (an in-band refresh): who it says, or why it is refused. */
    public Outcome verify(String token) {
        if (!tokens) {
            return new Unauthenticated("tokens are not checked here (auth=none)");
        }
        try {
            return new Admitted(verifier.verify(token));
        } catch (InvalidTokenException e) {
            return new Unauthenticated(e.getMessage());
        }
    }

    /** The token of an {@code Authorization: Bearer} header; "" (refused as no token) for any other scheme. */
    private static String bearerOf(String authorization) {
        String value = authorization.strip();
        return value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7).strip() : "";
    }
}
