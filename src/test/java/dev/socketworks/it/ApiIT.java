package dev.socketworks.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP API for backends on every container: its keys and rights, each call reaching the clients
 * it should, and every bad input answered with a JSON error. Each test has a key of its own, as the
 * rate limit is per key (5 calls a second here, bursts of 10: a test makes at most 10 with one key).
 */
class ApiIT extends ContainerSuite {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    static final String BROADCASTER = "b".repeat(40);
    static final String TOTALLER = "t".repeat(40);
    static final String PROBER = "p".repeat(40);
    static final String READER = "r".repeat(40);
    static final String LIMITED = "l".repeat(40);
    static final String HOSTILE = "h".repeat(40);

    @Deployment(testable = false)
    static WebArchive deployment() {
        Path keys = Path.of("target", "it-api-keys.json").toAbsolutePath();
        try {
            Files.writeString(keys, "{\"keys\": ["
                    + "{\"name\": \"broadcaster\", \"key\": \"" + BROADCASTER + "\", \"rights\": [\"api:broadcast\"]},"
                    + "{\"name\": \"totaller\", \"key\": \"" + TOTALLER + "\", \"rights\": [\"api:totals\"]},"
                    + "{\"name\": \"prober\", \"key\": \"" + PROBER + "\", \"rights\": [\"*\"]},"
                    + "{\"name\": \"reader\", \"key\": \"" + READER + "\", \"rights\": [\"api:info\"]},"
                    + "{\"name\": \"limited\", \"key\": \"" + LIMITED + "\", \"rights\": [\"api:info\"]},"
                    + "{\"name\": \"hostile\", \"key\": \"" + HOSTILE + "\", \"rights\": [\"api:totals\", \"api:broadcast\"]}]}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Deployments.withSettings(Map.of("socketworks.apiKeys", keys.toString(), "socketworks.apiRequestsPerSecond", "5"));
    }

    private record Answer(int status, JsonObject body, HttpResponse<String> response) {
        String code() {
            return body.getString("code");
        }
    }

    private Answer call(String method, String path, String key, String contentType, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(Deployments.base(base).resolve(path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.headers().firstValue("Content-Type")).as(method + " " + path + ": " + response.body())
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        return new Answer(response.statusCode(), Json.createReader(new StringReader(response.body())).readObject(), response);
    }

    private Answer call(String method, String path, String key, String contentType, String body) throws Exception {
        return call(method, path, key, contentType, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void withoutAKnownKeyItIs401AndWithoutTheCallsRight403() throws Exception {
        Answer none = call("GET", "api/info", null, null, (byte[]) null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.code()).isEqualTo("unauthorized");
        assertThat(none.response().headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"socketworks-api\"");
        assertThat(call("GET", "api/info", READER.substring(1) + "x", null, (byte[]) null).status()).as("a wrong key").isEqualTo(401);
        HttpResponse<String> viaHeader = HTTP.send(HttpRequest.newBuilder(Deployments.base(base).resolve("api/info"))
                .header("X-API-Key", READER).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(viaHeader.statusCode()).as("X-API-Key").isEqualTo(200);
        Answer forbidden = call("POST", "api/broadcast", READER, "text/plain", "not mine to send");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.body().getString("message")).isEqualTo("this key has no right api:broadcast");

        String scraped = HTTP.send(HttpRequest.newBuilder(Deployments.base(base).resolve("metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(MetricsIT.value(scraped, "socketworks_api_calls_total", "call=\"/api/info\",status=\"401\"")).isGreaterThanOrEqualTo(2);
        assertThat(MetricsIT.value(scraped, "socketworks_api_calls_total", "call=\"/api/broadcast\",status=\"403\"")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aBroadcastPostedReachesEveryBroadcastClientAsTextOrBinary() throws Exception {
        try (TestClient listener = TestClient.connect(client, Deployments.ws(base, "broadcast"))) {
            // Its own message back proves the listener is subscribed: a handshake can complete before the
            // server's @OnOpen has (Payara Micro), and a broadcast published before that is not its to get.
            listener.session().getBasicRemote().sendText("listening");
            assertThat(listener.nextText()).isEqualTo("listening");
            Answer text = call("POST", "api/broadcast", BROADCASTER, "text/plain; charset=utf-8", "order 42 shipped ✓");
            assertThat(text.status()).isEqualTo(200);
            assertThat(text.body().getJsonNumber("offset")).isNotNull();
            assertThat(listener.nextText()).isEqualTo("order 42 shipped ✓");
            Answer binary = call("POST", "api/broadcast", BROADCASTER, "application/octet-stream", new byte[]{1, 2, 3});
            assertThat(binary.status()).isEqualTo(200);
            Object received = listener.poll(Duration.ofSeconds(10));
            assertThat(received).isInstanceOf(ByteBuffer.class);
            assertThat(((ByteBuffer) received).remaining()).isEqualTo(3);
        }
    }

    @Test
    void anAdditionPostedIsHeardByEveryWatcherAndTheTotalCanBeRead() throws Exception {
        try (TestClient watcher = TestClient.connect(client, Deployments.ws(base, "totals"))) {
            long start = Long.parseLong(watcher.nextText().substring("Current total is ".length()));
            Answer read = call("GET", "api/totals", TOTALLER, null, (byte[]) null);
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.body().getJsonNumber("total").longValue()).isEqualTo(start);
            Answer added = call("POST", "api/totals", TOTALLER, "application/json", "{\"add\": 5}");
            assertThat(added.status()).isEqualTo(200);
            assertThat(added.body().getJsonNumber("total").longValue()).isEqualTo(start + 5);
            assertThat(added.body().getJsonNumber("seq").longValue()).isGreaterThan(read.body().getJsonNumber("seq").longValue());
            assertThat(watcher.nextText()).isEqualTo("Current total is " + (start + 5));
        }
    }

    @Test
    void badInputGetsAJsonErrorAndChangesNothing() throws Exception {
        long before = call("GET", "api/totals", PROBER, null, (byte[]) null).body().getJsonNumber("total").longValue();
        assertThat(call("POST", "api/totals", PROBER, "application/json", "{\"add\": ").code()).isEqualTo("malformed-json");
        Answer wrongType = call("POST", "api/totals", PROBER, "application/json", "{\"add\": \"5\"}");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.code()).isEqualTo("invalid-field");
        assertThat(call("POST", "api/totals", PROBER, "application/json", "{\"add\": 1.5}").status()).isEqualTo(400);
        assertThat(call("POST", "api/totals", PROBER, "application/json", "{\"add\": 1, \"and\": 2}").status()).isEqualTo(400);
        assertThat(call("POST", "api/totals", PROBER, "application/json", "{\"add\": 99999999999999999999}").status()).isEqualTo(400);
        Answer deep = call("POST", "api/totals", HOSTILE, "application/json", "[".repeat(100_000) + "]".repeat(100_000));
        assertThat(deep.status()).as("nested 100,000 deep").isEqualTo(400);
        assertThat(deep.code()).isEqualTo("malformed-json");
        Answer surrogate = call("POST", "api/totals", HOSTILE, "application/json", "{\"add\": 1, \"\\ud800\": 2}");
        assertThat(surrogate.status()).as("a lone surrogate").isEqualTo(400);
        assertThat(surrogate.code()).isEqualTo("invalid-field");
        assertThat(surrogate.body().getString("message")).contains("lone surrogate");
        Answer wrongMedia = call("POST", "api/totals", PROBER, "text/plain", "{\"add\": 5}");
        assertThat(wrongMedia.status()).isEqualTo(415);
        assertThat(wrongMedia.code()).isEqualTo("unsupported-media-type");
        Answer tooLarge = call("POST", "api/broadcast", HOSTILE, "text/plain", new byte[(1 << 20) + 1]);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.code()).isEqualTo("too-large");
        assertThat(call("POST", "api/broadcast", HOSTILE, "text/plain", new byte[]{(byte) 0xC3}).code()).isEqualTo("invalid-utf8");
        Answer wrongMethod = call("DELETE", "api/totals", PROBER, null, (byte[]) null);
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.response().headers().firstValue("Allow")).hasValueSatisfying(allow -> assertThat(allow).contains("GET", "POST"));
        assertThat(call("GET", "api/totals", PROBER, null, (byte[]) null).body().getJsonNumber("total").longValue())
                .as("no bad call added anything").isEqualTo(before);
    }

    @Test
    void infoSaysWhichServerAnswersAndItsConnections() throws Exception {
        Answer info = call("GET", "api/info", READER, null, (byte[]) null);
        assertThat(info.status()).isEqualTo(200);
        assertThat(info.body().getString("engine")).isEqualTo("memory");
        assertThat(info.body().getBoolean("ready")).isTrue();
        assertThat(info.body().getString("node")).isNotBlank();
        assertThat(info.body().getInt("connections")).isGreaterThanOrEqualTo(0);
    }

    /** apiRequestsPerSecond is 5 here: a key's burst of 10 calls goes through, then it is refused with 429 until it slows down. */
    @Test
    void aKeyPastItsRateIsRefusedWith429() throws Exception {
        int refused = 0;
        long started = System.nanoTime();
        for (int i = 0; i < 30; i++) {
            Answer answer = call("GET", "api/info", LIMITED, null, (byte[]) null);
            if (i < 10) {
                assertThat(answer.status()).as("call %d, within the burst", i).isEqualTo(200);
            } else if (answer.status() == 429) {
                refused++;
                assertThat(answer.code()).isEqualTo("rate-limited");
                assertThat(answer.response().headers().firstValue("Retry-After")).hasValue("1");
            }
        }
        // 30 calls in under 4 s are more than 10 plus 5 a second: some must have been refused.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
        assertThat(refused).isPositive();
    }
}
