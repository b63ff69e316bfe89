package dev.socketworks.runtime;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** An {@code Authorization: Basic} header's user and password (RFC 7617, UTF-8), for the container to check. */
record BasicCredentials(String user, String password) {

    /** Longer headers are refused unread: real credentials are short, and the container bounds headers anyway. */
    static final int MAX_HEADER_CHARS = 4096;

    /** The credentials, or null when the header is not well-formed Basic (wrong scheme, bad Base64 or UTF-8, no colon). */
    static BasicCredentials parse(String authorization) {
        String value = authorization.strip();
        if (value.length() > MAX_HEADER_CHARS || !value.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            byte[] bytes = Base64.getDecoder().decode(value.substring(6).strip());
            decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0 || decoded.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
            return null;
        }
        return new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    @Override
    public String toString() {
        return "BasicCredentials[user=" + user + "]"; // never the password, should it reach a log
    }
}
