package dev.socketworks.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AuthenticatorTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private final TokenVerifier verifier = new TokenVerifier(SECRET, null, null, null, Duration.ofSeconds(30));

    private static String token(String subject) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject(subject)
                .claim("rights", List.of("echo")).expirationTime(Date.from(Instant.now().plusSeconds(60))).build());
        jwt.sign(new MACSigner(SECRET));
        return jwt.serialize();
    }

    private static Identity admitted(Authenticator.Outcome outcome) {
        assertThat(outcome).isInstanceOf(Authenticator.Admitted.class);
        return ((Authenticator.Admitted) outcome).identity();
    }

    private static String refused(Authenticator.Outcome outcome) {
        assertThat(outcome).isInstanceOf(Authenticator.Unauthenticated.class);
        return ((Authenticator.Unauthenticated) outcome).reason();
    }

    @Test
    void withoutAuthenticationEveryoneIsAGuestWithTheGuestRights() throws Exception {
        Identity guest = admitted(Authenticator.none(Authenticator.guestRights("auto", false))
                .authenticate(List.of("bearer." + token("ann")), null, null));
        assertThat(guest.isGuest()).as("a token is not even read").isTrue();
        assertThat(guest.rights().allows("run:anything")).isTrue();
        assertThat(Authenticator.guestRights("auto", true).isEmpty()).isTrue();
        assertThat(Authenticator.guestRights("chat-read:lobby", true).allows("chat-read:lobby")).isTrue();
    }

    @Test
    void theCarriersAreTriedInOrderSubprotocolHeaderQuery() throws Exception {
        Authenticator tokens = Authenticator.tokens(verifier, Rights.none());
        assertThat(admitted(tokens.authenticate(List.of("chat.v1, bearer." + token("by-subprotocol")),
                "Bearer " + token("by-header"), token("by-query"))).subject()).isEqualTo("by-subprotocol");
        assertThat(admitted(tokens.authenticate(List.of("chat.v1"), "bearer " + token("by-header"), token("by-query")))
                .subject()).as("the scheme in any case").isEqualTo("by-header");
        assertThat(admitted(tokens.authenticate(List.of(), null, token("by-query"))).subject()).isEqualTo("by-query");
    }

    @Test
    void whatIsNotOneValidTokenIsRefused() throws Exception {
        Authenticator tokens = Authenticator.tokens(verifier, Rights.none());
        assertThat(refused(tokens.authenticate(List.of(), null, null))).isEqualTo("no token");
        assertThat(refused(tokens.authenticate(List.of("bearer." + token("a"), "bearer." + token("b")), null, null)))
                .isEqualTo("more than one bearer entry in Sec-WebSocket-Protocol");
        assertThat(refused(tokens.authenticate(List.of(), "Basic YWxhZGRpbjpvcGVuc2VzYW1l", null))).isEqualTo("no token");
        assertThat(refused(tokens.authenticate(List.of(), "Bearer " + token("x") + "tampered", null))).isEqualTo("invalid signature");
    }

    @Test
    void withGuestRightsAClientWithoutATokenIsAGuest() {
        Authenticator tokens = Authenticator.tokens(verifier, Rights.parse("chat-read:lobby"));
        Identity guest = admitted(tokens.authenticate(List.of("chat.v1"), null, null));
        assertThat(guest.isGuest()).isTrue();
        assertThat(guest.rights().allows("chat-read:lobby")).isTrue();
        assertThat(guest.rights().allows("chat:lobby")).isFalse();
    }

    /** auth=container: the container's user gets the rights of each mapped role it is in; no user is a guest if guests may be. */
    @Test
    void theContainersUserGetsTheRightsOfItsMappedRoles() {
        Authenticator container = Authenticator.container("readers=chat-read:*,broadcast:read;writers=chat:*,totals:add", Rights.none());
        Identity reader = admitted(container.containerUser("rea", "BASIC", "readers"::equals));
        assertThat(reader.subject()).isEqualTo("rea");
        assertThat(reader.displayName()).isEqualTo("rea");
        assertThat(reader.authType()).isEqualTo("BASIC");
        assertThat(reader.expiresAt()).as("the container's login does not expire on our clock").isNull();
        assertThat(reader.rights().allows("chat-read:lobby")).isTrue();
        assertThat(reader.rights().allows("chat:lobby")).isFalse();
        Identity both = admitted(container.containerUser("wri", "BASIC", role -> true));
        assertThat(both.rights().allows("chat:lobby")).isTrue();
        assertThat(both.rights().allows("totals:add")).isTrue();
        assertThat(admitted(container.containerUser("nobody", "BASIC", role -> false)).rights().isEmpty())
                .as("in no mapped role: no rights (403 at the door)").isTrue();
        assertThat(refused(container.containerUser(null, null, role -> false))).isEqualTo("no credentials");
        assertThat(admitted(Authenticator.container("socketworks=*", Rights.parse("echo")).containerUser(null, null, role -> false))
                .isGuest()).isTrue();
        assertThat(container.challenge("no credentials")).startsWith("Basic realm=");
        assertThat(refused(container.verify("a.b.c"))).contains("no token to refresh");
    }
}
