package dev.socketworks.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Health in MicroProfile Health's shape, served by the WAR on every container (the engine's DOWN states: ClusterIT). */
class HealthIT extends ContainerSuite {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.builtWar();
    }

    private record Health(int status, JsonObject body) {
        List<String> checks() {
            return body.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                    .map(check -> check.getString("name") + ":" + check.getString("status")).toList();
        }

        JsonObject check(String name) {
            return body.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                    .filter(check -> check.getString("name").equals(name)).findFirst().orElseThrow();
        }
    }

    private Health get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(Deployments.base(base).resolve(path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        return new Health(response.statusCode(), Json.createReader(new StringReader(response.body())).readObject());
    }

    @Test
    void aRunningServerIsLiveStartedAndReady() throws Exception {
        Health ready = get("health/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body().getString("status")).isEqualTo("UP");
        assertThat(ready.checks()).containsExactly("accepting:UP", "engine:UP");
        assertThat(ready.check("engine").getJsonObject("data").getString("engine")).isEqualTo("memory");

        Health live = get("health/live");
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.checks()).containsExactly("deployment:UP");
        assertThat(live.check("deployment").getJsonObject("data").getJsonNumber("connections")).isNotNull();

        Health started = get("health/started");
        assertThat(started.status()).isEqualTo(200);
        assertThat(started.checks()).containsExactly("started:UP");
        assertThat(started.check("started").getJsonObject("data").getString("since")).isNotBlank();

        Health all = get("health");
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.checks()).containsExactly("deployment:UP", "started:UP", "accepting:UP", "engine:UP");
        assertThat(all.body().get("status")).isEqualTo(Json.createValue("UP"));
        assertThat(all.body().get("checks").getValueType()).isEqualTo(JsonValue.ValueType.ARRAY);
    }
}
