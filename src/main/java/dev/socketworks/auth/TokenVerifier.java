package dev.socketworks.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Verifies connection tokens (JWTs) with Nimbus JOSE + JWT: HS256 with {@code tokenSecret}, RS256 and
 * ES256 with {@code tokenKeys} (a file of PEM public keys or a JWKS, or a JWKS URL fetched with a cache
 * and fetched again for an unknown {@code kid}). The algorithm decides which keys are tried, so a
 * public key is never used as an HMAC secret; unsigned ({@code alg: none}) tokens are refused by the
 * processor. {@code exp} and {@code sub} are required, {@code nbf} is honoured, both within the clock
 * skew; {@code iss} and {@code aud} are checked when set.
 */
public final class TokenVerifier {

    /** Longer tokens are refused unread: a real one is well under 2 KiB, headers are bounded near 8. */
    public static final int MAX_TOKEN_CHARS = 8 * 1024;
    /** HS256 needs a 256-bit secret (RFC 7518 §3.2). */
    public static final int MIN_SECRET_BYTES = 32;
    static final Set<JWSAlgorithm> ASYMMETRIC = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
    static final Set<JWSAlgorithm> EDWARDS = Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);
    /** A JWKS URL that does not answer within this is an outage: the token is refused, nothing waits longer. */
    static final int JWKS_TIMEOUT_MILLIS = 2_000;
    /** A JWKS is a few KiB; one larger than this is refused, not read. */
    static final int JWKS_MAX_BYTES = 256 * 1024;
    private static final Pattern PEM_PUBLIC_KEY =
            Pattern.compile("-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");

    /** How an Ed25519 public key's X.509 encoding starts (RFC 8410): the 32 bytes of the key follow. */
    private static final byte[] ED25519_X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    /**
     * @param secret   the HS256 secret, at least {@value #MIN_SECRET_BYTES} bytes; null: HS256 refused
     * @param keys     RS256 / ES256 public keys; null: those refused
     * @param issuer   the {@code iss} required; null: any
     * @param audience the {@code aud} required; null: any
     */
    public TokenVerifier(byte[] secret, JWKSource<SecurityContext> keys, String issuer, String audience, Duration clockSkew) {
        if (secret == null && keys == null) {
            throw new IllegalArgumentException("token verification needs tokenSecret or tokenKeys");
        }
        if (secret != null && secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("tokenSecret must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        JWSKeySelector<SecurityContext> hmac = secret == null ? null
                : new JWSVerificationKeySelector<>(JWSAlgorithm.HS256, new ImmutableSecret<>(secret));
        JWSKeySelector<SecurityContext> asymmetric = keys == null ? null : new JWSVerificationKeySelector<>(ASYMMETRIC, keys);
        // Nimbus's selector and factory know Ed25519 keys only as JWKs, not as Java keys: carried through here.
        JWSKeySelector<SecurityContext> edwards = keys == null ? null : (header, context) -> keys.get(
                new JWKSelector(JWKMatcher.forJWSHeader(header)), context).stream()
                .filter(OctetKeyPair.class::isInstance).<Key>map(jwk -> new Ed25519Key((OctetKeyPair) jwk.toPublicJWK())).toList();
        processor.setJWSKeySelector((header, context) -> {
            JWSAlgorithm algorithm = header.getAlgorithm();
            JWSKeySelector<SecurityContext> selector = JWSAlgorithm.HS256.equals(algorithm) ? hmac
                    : ASYMMETRIC.contains(algorithm) ? asymmetric : EDWARDS.contains(algorithm) ? edwards : null;
            return selector == null ? List.<Key>of() : selector.selectJWSKeys(header, context);
        });
        DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();
        processor.setJWSVerifierFactory(new JWSVerifierFactory() {
            @Override
            public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
                return key instanceof Ed25519Key ed ? new Ed25519Verifier(ed.jwk()) : verifiers.createJWSVerifier(header, key);
            }

            @Override
            public Set<JWSAlgorithm> supportedJWSAlgorithms() {
                return verifiers.supportedJWSAlgorithms();
            }

            @Override
            public JCAContext getJCAContext() {
                return verifiers.getJCAContext();
            }
        });
        JWTClaimsSet exact = issuer == null ? new JWTClaimsSet.Builder().build() : new JWTClaimsSet.Builder().issuer(issuer).build();
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                audience == null ? null : Set.of(audience), exact, Set.of("exp", "sub"), null);
        claims.setMaxClockSkew((int) Math.min(Integer.MAX_VALUE, clockSkew.toSeconds()));
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** An Ed25519 public key from the key set, as the key selector hands keys to the verifier factory. */
    private record Ed25519Key(OctetKeyPair jwk) implements PublicKey {
        @Override
        public String getAlgorithm() {
            return "Ed25519";
        }

        @Override
        public String getFormat() {
            return null;
        }

        @Override
        public byte[] getEncoded() {
            return null;
        }
    }

    /** Who the token says, with its rights; or why it is refused. */
    public Identity verify(String token) throws InvalidTokenException {
        if (token == null || token.isEmpty()) {
            throw new InvalidTokenException("no token");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new InvalidTokenException("token longer than " + MAX_TOKEN_CHARS + " characters");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw new InvalidTokenException("malformed token");
        } catch (BadJWTException e) {
            throw new InvalidTokenException(claimsReason(e.getMessage()));
        } catch (BadJOSEException e) {
            throw new InvalidTokenException(signatureReason(e.getMessage()));
        } catch (JOSEException e) {
            throw new InvalidTokenException("token keys unavailable");
        }
        return new Identity(claims.getSubject(), displayName(claims), rights(claims), claims.getExpirationTime().toInstant(), "Bearer",
                claims.getIssueTime() == null ? null : claims.getIssueTime().toInstant());
    }

    private static String claimsReason(String message) {
        String m = message == null ? "" : message;
        if (m.startsWith("Expired JWT")) {
            return "token expired";
        }
        if (m.startsWith("JWT before use time")) {
            return "token not yet valid";
        }
        if (m.contains("aud claim") || m.contains("audience")) {
            return "wrong audience";
        }
        if (m.contains("missing required claims")) {
            return "token lacks a required claim (exp, sub)";
        }
        if (m.contains("iss claim")) {
            return "wrong issuer";
        }
        return "token claims rejected";
    }

    private static String signatureReason(String message) {
        String m = message == null ? "" : message;
        if (m.contains("Invalid signature")) {
            return "invalid signature";
        }
        if (m.contains("no matching key") || m.contains("Another algorithm expected")) {
            return "no key for this token's algorithm and key id";
        }
        if (m.contains("Unsecured") || m.contains("plain")) {
            return "unsigned token";
        }
        if (m.contains("type")) {
            return "not a JWT";
        }
        return "token rejected";
    }

    private static String displayName(JWTClaimsSet claims) {
        Object name = claims.getClaim("name");
        return name instanceof String s && !s.isBlank() ? s : claims.getSubject();
    }

    /** The {@code rights} claim: a list of strings, or one string of space-separated rights. */
    private static Rights rights(JWTClaimsSet claims) throws InvalidTokenException {
        Object rights = claims.getClaim("rights");
        if (rights == null) {
            return Rights.none();
        }
        if (rights instanceof String s) {
            return Rights.of(List.of(s.split(" ")));
        }
        if (rights instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            return Rights.of(list.stream().map(String.class::cast).toList());
        }
        throw new InvalidTokenException("rights must be a list of strings");
    }

    /**
     * The public keys {@code tokenKeys} names: an {@code https://} JWKS URL (or {@code http://} on
     * loopback, for tests), cached, fetched again at most every 30 s for an unknown {@code kid}, with
     * bounded timeouts and size; or a file of a JWKS or of PEM public keys (read once, at deployment).
     */
    public static JWKSource<SecurityContext> keys(String location) throws IOException {
        return keys(location, Duration.ofSeconds(30));
    }

    /** As above, fetching again for an unknown key at most every {@code refetchAtMost} (tests: less). */
    static JWKSource<SecurityContext> keys(String location, Duration refetchAtMost) throws IOException {
        if (location.startsWith("https://") || location.startsWith("http://")) {
            URI uri = URI.create(location);
            if (uri.getScheme().equals("http") && !isLoopback(uri.getHost())) {
                throw new IllegalArgumentException("tokenKeys: a JWKS URL must be https:// (http:// only on loopback)");
            }
            URL url = uri.toURL();
            return JWKSourceBuilder.<SecurityContext>create(url,
                            new DefaultResourceRetriever(JWKS_TIMEOUT_MILLIS, JWKS_TIMEOUT_MILLIS, JWKS_MAX_BYTES))
                    .cache(Duration.ofMinutes(5).toMillis(), JWKS_TIMEOUT_MILLIS)
                    .rateLimited(refetchAtMost.toMillis())
                    .refreshAheadCache(false)
                    .retrying(false)
                    .build();
        }
        String text = Files.readString(Path.of(location), StandardCharsets.UTF_8);
        return new ImmutableJWKSet<>(parseKeys(text));
    }

    private static boolean isLoopback(String host) {
        return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]"));
    }

    /** A JWKS document, or PEM {@code PUBLIC KEY} blocks (RSA, EC P-256 or Ed25519). */
    static JWKSet parseKeys(String text) throws IOException {
        if (text.strip().startsWith("{")) {
            try {
                return JWKSet.parse(text).toPublicJWKSet();
            } catch (ParseException e) {
                throw new IOException("not a JWKS: " + e.getMessage(), e);
            }
        }
        List<JWK> keys = new ArrayList<>();
        Matcher pem = PEM_PUBLIC_KEY.matcher(text);
        while (pem.find()) {
            keys.add(jwk(Base64.getMimeDecoder().decode(pem.group(1))));
        }
        if (keys.isEmpty()) {
            throw new IOException("no JWKS and no PEM PUBLIC KEY block");
        }
        return new JWKSet(keys);
    }

    /** A PEM key's id is its RFC 7638 thumbprint: a token names it so, or names no key. */
    private static JWK jwk(byte[] der) throws IOException {
        if (der.length == ED25519_X509_PREFIX.length + 32 && Arrays.equals(der, 0, ED25519_X509_PREFIX.length,
                ED25519_X509_PREFIX, 0, ED25519_X509_PREFIX.length)) {
            try {
                return new OctetKeyPair.Builder(Curve.Ed25519,
                        Base64URL.encode(Arrays.copyOfRange(der, ED25519_X509_PREFIX.length, der.length))).keyIDFromThumbprint().build();
            } catch (JOSEException e) {
                throw new IOException("unsupported Ed25519 key: " + e.getMessage(), e);
            }
        }
        for (String algorithm : List.of("RSA", "EC")) {
            PublicKey key;
            try {
                key = KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException notThisType) {
                continue;
            }
            try {
                JWK jwk = key instanceof RSAPublicKey rsa ? new RSAKey.Builder(rsa).keyIDFromThumbprint().build()
                        : new ECKey.Builder(Curve.forECParameterSpec(((ECPublicKey) key).getParams()), (ECPublicKey) key)
                        .keyIDFromThumbprint().build();
                return jwk;
            } catch (JOSEException | RuntimeException e) {
                throw new IOException("unsupported public key: " + e.getMessage(), e);
            }
        }
        throw new IOException("a PEM PUBLIC KEY that is neither RSA, EC nor Ed25519");
    }
}
