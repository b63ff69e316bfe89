package dev.socketworks.json;

import jakarta.json.bind.annotation.JsonbPropertyOrder;

import java.time.Instant;

/**
 * What a JSON service tells a signed-in client about its token: {@code token-refreshed} after an
 * in-band refresh, {@code token-expiring} before it expires. Both carry when the token in force expires:
 * <pre>{"type":"token-expiring","payload":{"expiresAt":"2026-12-05T10:00:00Z"}}</pre>
 */
public final class TokenNotices {

    public static final String REFRESHED = "token-refreshed";
    public static final String EXPIRING = "token-expiring";

    @JsonbPropertyOrder({"type", "payload"})
    public record TokenNotice(String type, Payload payload) {
    }

    @JsonbPropertyOrder({"expiresAt"})
    public record Payload(String expiresAt) {
    }

    private TokenNotices() {
    }

    public static String refreshed(Instant expiresAt) {
        return of(REFRESHED, expiresAt);
    }

    public static String expiring(Instant expiresAt) {
        return of(EXPIRING, expiresAt);
    }

    private static String of(String type, Instant expiresAt) {
        return JsonMessages.toJson(new TokenNotice(type, new Payload(expiresAt.toString())));
    }
}
