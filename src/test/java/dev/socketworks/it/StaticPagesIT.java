package dev.socketworks.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class StaticPagesIT extends ContainerSuite {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.builtWar();
    }

    @Test
    void startPageIsServedAtTheContextRoot() throws Exception {
        HttpResponse<String> page = get(Deployments.base(base));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("<title>Socketworks</title>").contains("href=\"echo.html\"");
    }

    @ParameterizedTest
    @CsvSource({
            "echo.html,             text/html",
            "js/echo.js,            javascript",
            "css/socketworks.css,   text/css",
            "favicon.ico,           image/x-icon",
    })
    void pagesScriptsAndStylesAreServed(String path, String contentType) throws Exception {
        HttpResponse<String> response = get(Deployments.base(base).resolve(path));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains(contentType));
    }

    @Test
    void plainHttpToAnEndpointSaysUpgradeRequired() throws Exception {
        HttpResponse<String> response = get(Deployments.base(base).resolve("echo"));
        assertThat(response.statusCode()).isEqualTo(426);
        assertThat(response.body()).contains("This is a WebSocket endpoint");
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
