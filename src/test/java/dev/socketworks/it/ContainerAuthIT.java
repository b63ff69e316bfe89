package dev.socketworks.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code auth=container} on each container, with the users of its recipe in {@code server-config/}:
 * {@code wri} (roles socketworks and readers) and {@code rea} (readers), passwords {@code PASSWORD}.
 * containerRoles gives readers chat-read:* and socketworks (the role the WAR declares) chat:*, echo. Credentials travel as HTTP Basic,
 * checked by the container's own realm; without them it is 401 with a Basic challenge.
 */
class ContainerAuthIT extends ContainerSuite {

    static final String PASSWORD = "a-container-password-1"; // no space: Payara's boot command files split on them

    @Deployment(testable = false)
    static WebArchive deployment() throws Exception {
        WebArchive war = Deployments.withSettings(Map.of("socketworks.auth", "container",
                "socketworks.containerRoles", "readers=chat-read:*;socketworks=chat:*,echo"));
        if (container().equals("liberty")) {
            // Liberty tests only roles the WAR's descriptor declares (not those declared at startup): an
            // operator adds theirs to web.xml, as here; the WAR declares socketworks itself.
            String xml = new String(war.get("WEB-INF/web.xml").getAsset().openStream().readAllBytes(), StandardCharsets.UTF_8);
            war.setWebXML(new StringAsset(xml.replace("<welcome-file-list>",
                    "<security-role><role-name>readers</role-name></security-role>\n  <welcome-file-list>")));
        }
        if (!container().equals("tomcat")) {
            return war; // their users are set up by the build, as an operator would (server-config/)
        }
        // Tomcat's realm for this WAR (Payara's web container would read the file too, and fail on it).
        Path users = Path.of("target", "container-auth", "tomcat-users.xml").toAbsolutePath();
        Files.createDirectories(users.getParent());
        Files.writeString(users, """
                <tomcat-users>
                  <user username="wri" password="%1$s" roles="socketworks,readers"/>
                  <user username="rea" password="%1$s" roles="readers"/>
                </tomcat-users>
                """.formatted(PASSWORD), StandardCharsets.UTF_8);
        return war.addAsManifestResource(new StringAsset("""
                <Context>
                  <Realm className="org.apache.catalina.realm.MemoryRealm" pathname="%s"/>
                </Context>
                """.formatted(users)), "context.xml");
    }

    /** The recipes (a realm with these users) exist for Tomcat, WildFly, Payara and Liberty; Jetty and GlassFish have none here. */
    @org.junit.jupiter.api.BeforeEach
    void onlyWhereARecipeSetsUpTheUsers() {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.util.Set.of("tomcat", "wildfly", "payara", "liberty").contains(container()),
                "no realm with ContainerAuthIT's users is set up on " + container());
    }

    private static String basic(String user, String password) {
        return "Authorization: Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)) + "\r\n";
    }

    private static String status(String head) {
        return head.substring(0, head.indexOf("\r\n"));
    }

    @Test
    void withoutCredentialsOrWithWrongOnesItIs401WithABasicChallenge() throws Exception {
        String head = RawClient.handshakeHead(ws("echo"), "");
        assertThat(status(head)).contains(" 401");
        assertThat(head).containsIgnoringCase("WWW-Authenticate: Basic realm=\"socketworks\"");
        assertThat(status(RawClient.handshakeHead(ws("echo"), basic("wri", "wrong")))).contains(" 401");
        assertThat(status(RawClient.handshakeHead(ws("echo"), basic("nobody", PASSWORD)))).contains(" 401");
        assertThat(status(RawClient.handshakeHead(ws("echo"), "Authorization: Basic !!!\r\n"))).contains(" 401");
    }

    @Test
    void aUserGetsTheRightsOfItsRoles() throws Exception {
        assertThat(status(RawClient.handshakeHead(ws("echo"), basic("wri", PASSWORD)))).contains(" 101");
        assertThat(status(RawClient.handshakeHead(ws("echo"), basic("rea", PASSWORD)))).as("readers may not echo").contains(" 403");
        try (TestClient echo = TestClient.connectWithHeaders(client, ws("echo"),
                Map.of("Authorization", List.of(basic("wri", PASSWORD).substring(15).strip())), List.of("echo.v1"))) {
            echo.session().getBasicRemote().sendText("hello");
            assertThat(echo.nextText()).isEqualTo("hello");
        }
    }

    /** The container's user name is the chat name; a reader may read and not speak. */
    @Test
    void inChatTheUserIsItsNameAndItsRolesDecideWhatItMayDo() throws Exception {
        try (TestClient writer = TestClient.connectWithHeaders(client, ws("chat/staff"),
                Map.of("Authorization", List.of(basic("wri", PASSWORD).substring(15).strip())), List.of("chat.v1"));
             TestClient reader = TestClient.connectWithHeaders(client, ws("chat/staff"),
                     Map.of("Authorization", List.of(basic("rea", PASSWORD).substring(15).strip())), List.of("chat.v1"))) {
            writer.session().getBasicRemote().sendText("{\"type\":\"chat-join\",\"payload\":{\"username\":\"Boss\"}}");
            assertThat(awaitText(writer, "chat-joined")).contains("\"username\":\"wri\"");
            reader.session().getBasicRemote().sendText("{\"type\":\"chat-join\",\"payload\":{\"username\":\"x\"}}");
            assertThat(awaitText(reader, "chat-joined")).contains("\"username\":\"rea\"");
            reader.session().getBasicRemote().sendText("{\"type\":\"chat-message\",\"payload\":{\"message\":\"hi\"}}");
            assertThat(awaitText(reader, "\"error\"")).contains("forbidden");
            writer.session().getBasicRemote().sendText("{\"type\":\"chat-message\",\"payload\":{\"message\":\"hi all\"}}");
            assertThat(awaitText(reader, "hi all")).contains("\"username\":\"wri\"").contains("\"user\":\"wri\"");
        }
    }

    private static String awaitText(TestClient client, String containing) throws Exception {
        String text = client.nextText();
        while (!text.contains(containing)) {
            text = client.nextText();
        }
        return text;
    }
}
