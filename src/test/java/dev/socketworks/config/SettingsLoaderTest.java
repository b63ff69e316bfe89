package dev.socketworks.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsLoaderTest {

    private static final UnaryOperator<String> NONE = name -> null;

    @Test
    void defaultsAreSafe() {
        Settings settings = SettingsLoader.load(NONE, NONE, NONE);
        assertThat(settings.get(Settings.ALLOWED_ORIGINS)).isEqualTo("same-origin");
        assertThat(settings.allowMissingOrigin()).isTrue();
        assertThat(settings.maxMessageBytes()).isEqualTo(1 << 20);
        assertThat(settings.outboxMaxMessages()).isEqualTo(1024);
        assertThat(settings.outboxMaxBytes()).isEqualTo(4 << 20);
        assertThat(settings.echoGreeting()).isEmpty();
        assertThat(settings.get(Settings.ALLOWED_HOSTS)).isEqualTo("localhost");
        assertThat(settings.rateBurst()).isEqualTo(200);
        assertThat(settings.maxConnectionsPerAddress()).isEqualTo(256);
        assertThat(settings.trustedProxies()).isEmpty();
        assertThat(settings.chatHistoryTotalBytes()).isEqualTo(Runtime.getRuntime().maxMemory() / 100 * 10);
        assertThat(settings.outboxTotalBytes()).isEqualTo(Runtime.getRuntime().maxMemory() / 100 * 20);
    }

    @Test
    void historyMemoryIsABytesCountOrAShareOfTheHeap() {
        UnaryOperator<String> percent = Map.of("socketworks.chatHistoryTotalBytes", "90%")::get;
        assertThat(SettingsLoader.load(percent, NONE, NONE).chatHistoryTotalBytes())
                .isEqualTo(Runtime.getRuntime().maxMemory() / 100 * 90);
        UnaryOperator<String> bytes = Map.of("socketworks.chatHistoryTotalBytes", "1")::get;
        assertThat(SettingsLoader.load(bytes, NONE, NONE).chatHistoryTotalBytes()).isEqualTo(1);
        UnaryOperator<String> outboxes = Map.of("socketworks.outboxTotalBytes", "1")::get;
        assertThat(SettingsLoader.load(outboxes, NONE, NONE).outboxTotalBytes()).isEqualTo(1);
    }

    @Test
    void trustedProxiesAreAddresses() {
        UnaryOperator<String> proxies = Map.of("socketworks.trustedProxies", "10.0.0.1, ::1")::get;
        assertThat(SettingsLoader.load(proxies, NONE, NONE).trustedProxies()).containsExactlyInAnyOrder("10.0.0.1", "::1");
    }

    @Test
    void systemPropertyBeatsEnvironmentBeatsContextParameter() {
        UnaryOperator<String> props = Map.of("socketworks.maxMessageBytes", "100")::get;
        UnaryOperator<String> env = Map.of("SOCKETWORKS_MAX_MESSAGE_BYTES", "200",
                "SOCKETWORKS_OUTBOX_MAX_MESSAGES", "7")::get;
        UnaryOperator<String> context = Map.of("socketworks.maxMessageBytes", "300",
                "socketworks.outboxMaxMessages", "8", "socketworks.outboxMaxBytes", "9")::get;

        Settings settings = SettingsLoader.load(props, env, context);

        assertThat(settings.maxMessageBytes()).isEqualTo(100);
        assertThat(settings.outboxMaxMessages()).isEqualTo(7);
        assertThat(settings.outboxMaxBytes()).isEqualTo(9);
        assertThat(settings.describe()).contains("socketworks.maxMessageBytes=100 (system property")
                .contains("socketworks.outboxMaxBytes=9 (context parameter");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "socketworks.maxMessageBytes    | 0           | must be between 1",
            "socketworks.maxMessageBytes    | 1MB         | not a whole number",
            "socketworks.maxMessageBytes    | 67108865    | must be between 1 and 67108864",
            "socketworks.allowMissingOrigin | maybe       | expected true or false",
            "socketworks.chatHistoryTotalBytes | 91%      | must be between 1 and 90",
            "socketworks.chatHistoryTotalBytes | 0        | must be between 1",
            "socketworks.outboxTotalBytes   | 91%         | must be between 1 and 90",
            "socketworks.outboxTotalBytes   | 0           | must be between 1",
            "socketworks.rateBurst          | 0           | must be between 1",
            "socketworks.maxConnectionsPerAddress | 0     | must be between 1",
            "socketworks.trustedProxies     | proxy.lan   | not an IP address",
            "socketworks.engine             | redis       | expected memory, redis://host:port",
            "socketworks.engine             | http://h:1  | expected memory, redis://host:port",
            "socketworks.engine             | redis:///0  | names no host",
            "socketworks.engine             | redis://h/x | a database number",
            "socketworks.engine             | redis-cluster://a:1,,b:2 | expected redis-cluster://host:port",
            "socketworks.nodeName           | a b         | use 1-64 letters",
            "socketworks.nodeDeadAfterMs    | 2999        | must be between 3000",
            "socketworks.engineTimeoutMs    | 99          | must be between 100",
            "socketworks.arenaTickMs        | 9           | must be between 10 and 1000",
            "socketworks.arenaTickMs        | 1001        | must be between 10 and 1000",
            "socketworks.arenaMaxPlayers    | 0           | must be between 1 and 10000",
            "socketworks.arenaCommandsPerSecond | 10001   | must be between 1 and 10000",
            "socketworks.chatRoomMessagesPerSecond | -1   | must be between 0 and 1000000",
            "socketworks.addressMessagesPerSecond | 0     | must be between 1",
            "socketworks.addressBytesPerSecond | 0        | must be between 1",
            "socketworks.maxConnections     | 0           | must be between 1",
            "socketworks.maxConnections     | lots        | not a whole number",
            "socketworks.ipv6ClientPrefix   | 31          | must be between 32 and 128",
            "socketworks.ipv6ClientPrefix   | 129         | must be between 32 and 128",
            "socketworks.arenaMaxWatchers   | -1          | must be between 0 and 100000",
            "socketworks.arenaMaxWatchers   | 100001      | must be between 0 and 100000",
            "socketworks.arenaSaysPerSecond | 0           | must be between 1 and 100",
            "socketworks.arenaSaysPerSecond | 101         | must be between 1 and 100",
            "socketworks.arenaWorldSize     | 499         | must be between 500 and 8000",
            "socketworks.arenaWorldSize     | 8001        | must be between 500 and 8000",
            "socketworks.arenaBots          | -1          | must be between 0 and 1000",
            "socketworks.arenaBots          | 1001        | must be between 0 and 1000",
            "socketworks.auth               | jwt         | expected none, token or container",
            "socketworks.containerRoles     | admin       | expected role=right",
            "socketworks.containerRoles     | a b=*       | expected role=right",
            "socketworks.tokenKeys          | keys.pem    | must be an absolute path",
            "socketworks.tokenKeys          | http://idp.example/jwks | must be https://",
            "socketworks.tokenClockSkewSeconds | -1       | must be between 0 and 300",
            "socketworks.tokenClockSkewSeconds | 301      | must be between 0 and 300",
            "socketworks.tokenGraceMs       | -1          | must be between 0 and 3600000",
            "socketworks.tokenGraceMs       | 3600001     | must be between 0 and 3600000",
            "socketworks.maxConnectionsPerUser | 0        | must be between 1 and 100000",
            "socketworks.maxConnectionsPerUser | 100001   | must be between 1 and 100000",
    })
    void invalidValuesNameTheSettingAndSource(String name, String value, String reason) {
        UnaryOperator<String> context = Map.of(name, value)::get;
        assertThatThrownBy(() -> SettingsLoader.load(NONE, NONE, context))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining(name)
                .hasMessageContaining("context parameter")
                .hasMessageContaining(reason);
    }

    @Test
    void theEngineIsMemoryUnlessARedisUriIsGiven() {
        assertThat(SettingsLoader.load(NONE, NONE, NONE).engineUri()).isEmpty();
        UnaryOperator<String> env = Map.of("SOCKETWORKS_ENGINE", "rediss://app:s3cret@redis.internal:6380/2")::get;
        Settings settings = SettingsLoader.load(NONE, env, NONE);
        assertThat(settings.engineUri()).isEqualTo("rediss://app:s3cret@redis.internal:6380/2");
        assertThat(settings.describe()).contains("socketworks.engine=rediss://app:***@redis.internal:6380/2")
                .doesNotContain("s3cret");
        UnaryOperator<String> cluster = Map.of("SOCKETWORKS_ENGINE", "redis-cluster://10.0.0.1:7000,10.0.0.2:7000")::get;
        assertThat(SettingsLoader.load(NONE, cluster, NONE).engineUri()).isEqualTo("redis-cluster://10.0.0.1:7000,10.0.0.2:7000");
        UnaryOperator<String> sentinel = Map.of("SOCKETWORKS_ENGINE", "redis-sentinel://s1:26379,s2:26379/0#mymaster")::get;
        assertThat(SettingsLoader.load(NONE, sentinel, NONE).engineUri()).startsWith("redis-sentinel://");
    }

    @Test
    void tokenSettingsAcceptTheirBoundsAndTheSecretIsNeverShown() {
        String secret = "x".repeat(32);
        UnaryOperator<String> edges = Map.of("socketworks.auth", "token", "socketworks.tokenSecret", secret,
                "socketworks.tokenClockSkewSeconds", "300", "socketworks.tokenGraceMs", "0",
                "socketworks.tokenKeys", "http://127.0.0.1:8080/jwks", "socketworks.maxConnectionsPerUser", "100000")::get;
        Settings settings = SettingsLoader.load(edges, NONE, NONE);
        assertThat(settings.tokenSecret()).isEqualTo(secret);
        assertThat(settings.tokenClockSkew()).hasSeconds(300);
        assertThat(settings.tokenGrace()).isZero();
        assertThat(settings.maxConnectionsPerUser()).isEqualTo(100000);
        assertThat(settings.describe()).contains("socketworks.tokenSecret=***").doesNotContain(secret);
        UnaryOperator<String> shortSecret = Map.of("SOCKETWORKS_TOKEN_SECRET", "y".repeat(31))::get;
        assertThatThrownBy(() -> SettingsLoader.load(NONE, shortSecret, NONE))
                .hasMessageContaining("at least 32 bytes").hasMessageContaining("'***'").hasMessageNotContaining("y".repeat(31));
        assertThat(SettingsLoader.load(NONE, NONE, NONE).guestRights()).isEqualTo("auto");
        assertThat(SettingsLoader.load(NONE, NONE, NONE).containerRoles()).isEqualTo("socketworks=*");
        assertThat(SettingsLoader.load(Map.of("socketworks.auth", "container",
                "socketworks.containerRoles", "readers=chat-read:*;writers=chat:*,totals:add;")::get, NONE, NONE).auth()).isEqualTo("container");
    }

    @Test
    void aPasswordNeverReachesTheLogNotEvenInAnError() {
        UnaryOperator<String> env = Map.of("SOCKETWORKS_ENGINE", "redis://s3cret@redis.internal:6379/x")::get;
        assertThatThrownBy(() -> SettingsLoader.load(NONE, env, NONE))
                .hasMessageContaining("redis://***@redis.internal").hasMessageNotContaining("s3cret");
        assertThat(Setting.printable("redis://:pw@h:1")).isEqualTo("redis://:***@h:1");
        assertThat(Setting.printable("redis://h:1/0")).isEqualTo("redis://h:1/0");
    }

    @Test
    void aNodeWithoutANameGetsAReadableOneOfItsOwn() {
        String first = SettingsLoader.load(NONE, NONE, NONE).nodeName();
        String second = SettingsLoader.load(NONE, NONE, NONE).nodeName();
        assertThat(first).matches("[A-Za-z0-9._-]{1,64}").contains("-");
        assertThat(first).isNotEqualTo(second);
        UnaryOperator<String> named = Map.of("socketworks.nodeName", "web-1")::get;
        assertThat(SettingsLoader.load(named, NONE, NONE).nodeName()).isEqualTo("web-1");
    }

    @Test
    void deadNodeDetectionIsBoundedAtBothEnds() {
        UnaryOperator<String> low = Map.of("socketworks.nodeDeadAfterMs", "3000")::get;
        assertThat(SettingsLoader.load(low, NONE, NONE).nodeDeadAfter()).hasMillis(3000);
        UnaryOperator<String> high = Map.of("socketworks.nodeDeadAfterMs", "300001")::get;
        assertThatThrownBy(() -> SettingsLoader.load(high, NONE, NONE)).hasMessageContaining("between 3000 and 300000");
    }

    @Test
    void arenaSettingsAcceptTheirBounds() {
        UnaryOperator<String> low = Map.of("socketworks.arenaTickMs", "10", "socketworks.arenaBots", "0",
                "socketworks.arenaWorldSize", "500")::get;
        assertThat(SettingsLoader.load(low, NONE, NONE).arenaTickMillis()).isEqualTo(10);
        assertThat(SettingsLoader.load(low, NONE, NONE).arenaWorldSize()).isEqualTo(500);
        UnaryOperator<String> high = Map.of("socketworks.arenaTickMs", "1000", "socketworks.arenaBots", "1000",
                "socketworks.arenaMaxPlayers", "10000", "socketworks.arenaWorldSize", "8000")::get;
        Settings settings = SettingsLoader.load(high, NONE, NONE);
        assertThat(settings.arenaTickMillis()).isEqualTo(1000);
        assertThat(settings.arenaBots()).isEqualTo(1000);
        assertThat(settings.arenaMaxPlayers()).isEqualTo(10000);
        assertThat(settings.arenaWorldSize()).isEqualTo(8000);
    }

    @Test
    void largestAllowedMessageLimitIsAccepted() {
        UnaryOperator<String> props = Map.of("socketworks.maxMessageBytes", "67108864")::get;
        assertThat(SettingsLoader.load(props, NONE, NONE).maxMessageBytes()).isEqualTo(64L << 20);
    }

    @Test
    void environmentNamesAreUpperSnakeCase() {
        assertThat(Settings.ALLOWED_ORIGINS.environmentName()).isEqualTo("SOCKETWORKS_ALLOWED_ORIGINS");
        assertThat(Settings.OUTBOX_MAX_BYTES.environmentName()).isEqualTo("SOCKETWORKS_OUTBOX_MAX_BYTES");
    }

    @Test
    void maxConnectionsIsHalfTheHeapAtEightyKiBAConnectionByDefault() {
        assertThat(Settings.autoMaxConnections(512L << 20)).isEqualTo(3276);
        assertThat(Settings.autoMaxConnections(4L << 30)).isEqualTo(26214);
        assertThat(Settings.autoMaxConnections(1)).isEqualTo(1);
        assertThat(SettingsLoader.load(NONE, NONE, NONE).maxConnections())
                .isEqualTo(Settings.autoMaxConnections(Runtime.getRuntime().maxMemory()));
        assertThat(SettingsLoader.load(NONE, NONE, Map.of("socketworks.maxConnections", "12")::get).maxConnections()).isEqualTo(12);
    }
}
