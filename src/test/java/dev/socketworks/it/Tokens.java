package dev.socketworks.it;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/** HS256 tokens as a deployment with {@code tokenSecret} accepts them, for the tests that connect as a user. */
final class Tokens {

    private Tokens() {
    }

    static String hs256(String secret, String subject, String name, List<String> rights, Instant expires) {
        return hs256(secret, subject, name, rights, expires, null);
    }

    /** With {@code iat} ({@code issued}), unless null. */
    static String hs256(String secret, String subject, String name, List<String> rights, Instant expires, Instant issued) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
                new JWTClaimsSet.Builder().subject(subject).claim("name", name).claim("rights", rights)
                        .expirationTime(Date.from(expires)).issueTime(issued == null ? null : Date.from(issued)).build());
        try {
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalArgumentException(e);
        }
        return jwt.serialize();
    }
}
