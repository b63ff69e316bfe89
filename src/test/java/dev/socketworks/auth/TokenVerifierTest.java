package dev.socketworks.auth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenVerifierTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final Duration SKEW = Duration.ofSeconds(30);

    private HttpServer jwksServer;

    @AfterEach
    void stopServer() {
        if (jwksServer != null) {
            jwksServer.stop(0);
        }
    }

    private static String token(JWSSigner signer, JWSAlgorithm algorithm, String keyId, Consumer<JWTClaimsSet.Builder> claims) throws Exception {
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().subject("u-42").claim("name", "Ann")
                .claim("rights", List.of("chat:lobby", "echo")).expirationTime(Date.from(Instant.now().plusSeconds(300)));
        claims.accept(builder);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(keyId).type(JOSEObjectType.JWT).build(), builder.build());
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static String hs256(Consumer<JWTClaimsSet.Builder> claims) throws Exception {
        return token(new MACSigner(SECRET), JWSAlgorithm.HS256, null, claims);
    }

    private static TokenVerifier secretOnly() {
        return new TokenVerifier(SECRET, null, null, null, SKEW);
    }

    private static void refused(TokenVerifier verifier, String token, String reason) {
        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(InvalidTokenException.class).hasMessage(reason);
    }

    @Test
    void aValidTokenGivesTheSubjectTheNameAndTheRights() throws Exception {
        Identity identity = secretOnly().verify(hs256(c -> { }));
        assertThat(identity.subject()).isEqualTo("u-42");
        assertThat(identity.displayName()).isEqualTo("Ann");
        assertThat(identity.rights().allows("chat:lobby")).isTrue();
        assertThat(identity.rights().allows("chat:other")).isFalse();
        assertThat(identity.expiresAt()).isAfter(Instant.now());
        assertThat(secretOnly().verify(hs256(c -> c.claim("name", null))).displayName()).as("no name: the subject").isEqualTo("u-42");
        assertThat(secretOnly().verify(hs256(c -> c.claim("rights", "chat:* echo"))).rights().allows("chat:x"))
                .as("rights as one space-separated string").isTrue();
    }

    @Test
    void everyReasonToRefuseIsNamed() throws Exception {
        TokenVerifier verifier = secretOnly();
        refused(verifier, hs256(c -> c.expirationTime(Date.from(Instant.now().minusSeconds(60)))), "token expired");
        refused(verifier, hs256(c -> c.notBeforeTime(Date.from(Instant.now().plusSeconds(60)))), "token not yet valid");
        refused(verifier, hs256(c -> c.expirationTime(null)), "token lacks a required claim (exp, sub)");
        refused(verifier, hs256(c -> c.subject(null)), "token lacks a required claim (exp, sub)");
        refused(verifier, token(new MACSigner("another secret, also 32 bytes long!".getBytes(StandardCharsets.UTF_8)),
                JWSAlgorithm.HS256, null, c -> { }), "invalid signature");
        refused(verifier, "not.a.token", "malformed token");
        refused(verifier, "", "no token");
        refused(verifier, "a".repeat(64 * 1024), "token longer than 8192 characters");
        refused(verifier, hs256(c -> c.claim("rights", List.of(1, 2))), "rights must be a list of strings");
        String unsigned = new PlainJWT(new PlainHeader(), new JWTClaimsSet.Builder().subject("u")
                .expirationTime(Date.from(Instant.now().plusSeconds(60))).build()).serialize();
        assertThatThrownBy(() -> verifier.verify(unsigned)).as("alg none").isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void theClockSkewForgivesAFewSecondsEitherWay() throws Exception {
        TokenVerifier verifier = secretOnly();
        assertThat(verifier.verify(hs256(c -> c.expirationTime(Date.from(Instant.now().minusSeconds(10))))).subject()).isEqualTo("u-42");
        assertThat(verifier.verify(hs256(c -> c.notBeforeTime(Date.from(Instant.now().plusSeconds(10))))).subject()).isEqualTo("u-42");
        refused(verifier, hs256(c -> c.expirationTime(Date.from(Instant.now().minusSeconds(40)))), "token expired");
    }

    @Test
    void issuerAndAudienceAreCheckedWhenSet() throws Exception {
        TokenVerifier verifier = new TokenVerifier(SECRET, null, "https://idp.example", "socketworks", SKEW);
        assertThat(verifier.verify(hs256(c -> c.issuer("https://idp.example").audience("socketworks"))).subject()).isEqualTo("u-42");
        refused(verifier, hs256(c -> c.issuer("https://evil.example").audience("socketworks")), "wrong issuer");
        refused(verifier, hs256(c -> c.issuer("https://idp.example").audience("other")), "wrong audience");
    }

    @Test
    void rs256AndEs256VerifyWithAJwksFileAndWithPemKeys(@TempDir Path dir) throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("r1").generate();
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("e1").generate();
        Path jwks = dir.resolve("keys.json");
        Files.writeString(jwks, new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString());
        TokenVerifier fromJwks = new TokenVerifier(null, TokenVerifier.keys(jwks.toString()), null, null, SKEW);
        assertThat(fromJwks.verify(token(new RSASSASigner(rsa), JWSAlgorithm.RS256, "r1", c -> { })).subject()).isEqualTo("u-42");
        assertThat(fromJwks.verify(token(new ECDSASigner(ec), JWSAlgorithm.ES256, "e1", c -> { })).subject()).isEqualTo("u-42");
        refused(fromJwks, hs256(c -> { }), "no key for this token's algorithm and key id");

        Path pem = dir.resolve("keys.pem");
        Files.writeString(pem, pem(rsa.toRSAPublicKey().getEncoded()) + pem(ec.toECPublicKey().getEncoded()));
        TokenVerifier fromPem = new TokenVerifier(null, TokenVerifier.keys(pem.toString()), null, null, SKEW);
        assertThat(fromPem.verify(token(new RSASSASigner(rsa), JWSAlgorithm.RS256, null, c -> { })).subject()).as("no kid").isEqualTo("u-42");
        assertThat(fromPem.verify(token(new ECDSASigner(ec), JWSAlgorithm.ES256, null, c -> { })).subject()).isEqualTo("u-42");
    }

    /** EdDSA (Ed25519) through Nimbus with Tink: from a JWKS (OKP key) and from a PEM key. */
    @Test
    void edDsaVerifiesWithAJwksFileAndWithAPemKey(@TempDir Path dir) throws Exception {
        OctetKeyPair ed = new OctetKeyPairGenerator(Curve.Ed25519).keyID("d1").generate();
        Path jwks = dir.resolve("ed.json");
        Files.writeString(jwks, new JWKSet(ed.toPublicJWK()).toString());
        TokenVerifier fromJwks = new TokenVerifier(null, TokenVerifier.keys(jwks.toString()), null, null, SKEW);
        assertThat(fromJwks.verify(token(new Ed25519Signer(ed), JWSAlgorithm.EdDSA, "d1", c -> { })).subject()).isEqualTo("u-42");
        OctetKeyPair other = new OctetKeyPairGenerator(Curve.Ed25519).keyID("d1").generate();
        refused(fromJwks, token(new Ed25519Signer(other), JWSAlgorithm.EdDSA, "d1", c -> { }), "invalid signature");

        byte[] x509 = java.util.HexFormat.of().parseHex("302a300506032b6570032100");
        byte[] der = new byte[x509.length + 32];
        System.arraycopy(x509, 0, der, 0, x509.length);
        System.arraycopy(ed.getDecodedX(), 0, der, x509.length, 32);
        Path pem = dir.resolve("ed.pem");
        Files.writeString(pem, pem(der));
        TokenVerifier fromPem = new TokenVerifier(null, TokenVerifier.keys(pem.toString()), null, null, SKEW);
        assertThat(fromPem.verify(token(new Ed25519Signer(ed), JWSAlgorithm.EdDSA, null, c -> { })).subject()).isEqualTo("u-42");
    }

    /** The classic confusion: an HS256 token whose HMAC key is the server's public RSA key. */
    @Test
    void aPublicKeyIsNeverAnHmacSecret() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("r1").generate();
        TokenVerifier verifier = new TokenVerifier(null, new ImmutableJWKSet<>(new JWKSet(rsa.toPublicJWK())), null, null, SKEW);
        byte[] publicKeyAsSecret = rsa.toRSAPublicKey().getEncoded();
        refused(verifier, token(new MACSigner(publicKeyAsSecret), JWSAlgorithm.HS256, "r1", c -> { }),
                "no key for this token's algorithm and key id");
    }

    @Test
    void aNewKeyIdIsFetchedFromTheJwksUrlSoKeysRotateWithoutARedeploy() throws Exception {
        RSAKey first = new RSAKeyGenerator(2048).keyID("k1").generate();
        RSAKey second = new RSAKeyGenerator(2048).keyID("k2").generate();
        AtomicReference<String> served = new AtomicReference<>(new JWKSet(first.toPublicJWK()).toString());
        String url = serve(served::get, null);
        TokenVerifier verifier = new TokenVerifier(null, TokenVerifier.keys(url, Duration.ZERO), null, null, SKEW);
        assertThat(verifier.verify(token(new RSASSASigner(first), JWSAlgorithm.RS256, "k1", c -> { })).subject()).isEqualTo("u-42");
        served.set(new JWKSet(List.of(first.toPublicJWK(), second.toPublicJWK())).toString()); // the provider rotates
        assertThat(verifier.verify(token(new RSASSASigner(second), JWSAlgorithm.RS256, "k2", c -> { })).subject())
                .as("an unknown kid: fetched again").isEqualTo("u-42");
    }

    @Test
    void aJwksUrlThatAnswersGarbageOrNothingRefusesTheTokenInBoundedTime() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        String token = token(new RSASSASigner(key), JWSAlgorithm.RS256, "k1", c -> { });
        TokenVerifier garbage = new TokenVerifier(null, TokenVerifier.keys(serve(() -> "<html>nope</html>", null), Duration.ZERO), null, null, SKEW);
        assertThatThrownBy(() -> garbage.verify(token)).isInstanceOf(InvalidTokenException.class).hasMessage("token keys unavailable");

        CountDownLatch release = new CountDownLatch(1);
        try {
            TokenVerifier hanging = new TokenVerifier(null, TokenVerifier.keys(serve(() -> "{}", release), Duration.ZERO), null, null, SKEW);
            long start = System.nanoTime();
            assertThatThrownBy(() -> hanging.verify(token)).isInstanceOf(InvalidTokenException.class).hasMessage("token keys unavailable");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("bounded by the JWKS timeouts")
                    .isLessThan(Duration.ofMillis(4 * TokenVerifier.JWKS_TIMEOUT_MILLIS));
        } finally {
            release.countDown();
        }
    }

    @Test
    void aJwksUrlMustBeHttpsExceptOnLoopback() {
        assertThatThrownBy(() -> TokenVerifier.keys("http://idp.example/jwks")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aShortSecretOrNoKeyAtAllIsAMistakeAtDeployment() {
        assertThatThrownBy(() -> new TokenVerifier("short".getBytes(StandardCharsets.UTF_8), null, null, null, SKEW))
                .hasMessageContaining("at least 32 bytes");
        assertThatThrownBy(() -> new TokenVerifier(null, null, null, null, SKEW)).hasMessageContaining("tokenSecret or tokenKeys");
    }

    private static String pem(byte[] der) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END PUBLIC KEY-----\n";
    }

    /** A JWKS on 127.0.0.1; with {@code hold}, each answer waits until it is released. */
    private String serve(java.util.function.Supplier<String> body, CountDownLatch hold) throws Exception {
        jwksServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        jwksServer.createContext("/jwks", exchange -> {
            try {
                if (hold != null) {
                    hold.await(30, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        jwksServer.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        jwksServer.start();
        return "http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/jwks";
    }
}
