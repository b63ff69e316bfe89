package dev.socketworks.auth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

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
    /**
     * An API key offered as a subprotocol entry, base64url-encoded (a browser's WebSocket can send no
     * header): only the admin stream takes one. Like a bearer entry, never a subprotocol and never kept.
     */
    public static final String API_KEY_PREFIX = "apikey.";

    /** Whether a {@code Sec-WebSocket-Protocol} entry carries credentials rather than naming a subprotocol. */
    public static boolean isCredential(String entry) {
        return entry.startsWith(BEARER_PREFIX) || entry.startsWith(API_KEY_PREFIX);
    }

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
    private final Map<String, List<String>> roleRights; // non-null: auth=container

    private Authenticator(boolean tokens, TokenVerifier verifier, Rights guestRights, Map<String, List<String>> roleRights) {
        this.tokens = tokens;
        this.verifier = verifier;
        this.guestRights = guestRights;
        this.roleRights = roleRights;
    }

    /** {@code auth=none}: everyone a guest. */
    public static Authenticator none(Rights guestRights) {
        return new Authenticator(false, null, guestRights, null);
    }

    /** {@code auth=token}: tokens verified by {@code verifier}; without one, a guest only if guests have rights. */
    public static Authenticator tokens(TokenVerifier verifier, Rights guestRights) {
        return new Authenticator(true, verifier, guestRights, null);
    }

    /**
     * {@code auth=container}: the container's authenticated user, with the rights {@code containerRoles}
     * gives its roles ("role=right,right;role=right"); without one, a guest only if guests have rights.
     */
    public static Authenticator container(String containerRoles, Rights guestRights) {
        Map<String, List<String>> roles = new LinkedHashMap<>();
        for (String entry : containerRoles.split(";")) {
            int equals = entry.indexOf('=');
            if (equals > 0) {
                roles.put(entry.substring(0, equals).strip(), List.of(entry.substring(equals + 1).split(",")));
            }
        }
        return new Authenticator(false, null, guestRights, Map.copyOf(roles));
    }

    /** Whether connections may have a user (token or container): guests then get room-made names, not chosen ones. */
    public boolean authenticates() {
        return tokens || roleRights != null;
    }

    /** The container roles {@code containerRoles} maps (none unless {@code auth=container}). */
    public Set<String> roles() {
        return roleRights == null ? Set.of() : roleRights.keySet();
    }

    /** Whether the container authenticates ({@code auth=container}). */
    public boolean usesContainer() {
        return roleRights != null;
    }

    /** The {@code WWW-Authenticate} challenge for a refusal: Basic where the container checks passwords, else Bearer. */
    public String challenge(String reason) {
        if (usesContainer()) {
            return "Basic realm=\"socketworks\", charset=\"UTF-8\"";
        }
        return reason.equals("no token") ? "Bearer realm=\"socketworks\""
                : "Bearer realm=\"socketworks\", error=\"invalid_token\", error_description=\"" + reason + "\"";
    }

    /**
     * {@code auth=container}: the user the container authenticated ({@code name}, null for none), with
     * the rights of every mapped role {@code inRole} says it has.
     */
    public Outcome containerUser(String name, String authType, Predicate<String> inRole) {
        if (name == null) {
            return guestRights.isEmpty() ? new Unauthenticated("no credentials") : new Admitted(Identity.guest(guestRights));
        }
        List<String> rights = new ArrayList<>();
        roleRights.forEach((role, granted) -> {
            if (inRole.test(role)) {
                rights.addAll(granted);
            }
        });
        return new Admitted(new Identity(name, name, Rights.of(rights), null, authType == null ? "" : authType));
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
            return new Unauthenticated(usesContainer() ? "the container authenticated this connection: it has no token to refresh"
                    : "tokens are not checked here (auth=none)");
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
