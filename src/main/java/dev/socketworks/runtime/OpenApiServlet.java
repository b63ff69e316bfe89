package dev.socketworks.runtime;

import dev.socketworks.json.StrictJson;
import jakarta.json.JsonObject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /api/openapi.json}: the HTTP API as an OpenAPI 3 document, unauthenticated (it describes
 * calls, it grants none), with this deployment's context path as its server. Tests hold it to the
 * real routes, methods, rights and status codes ({@code OpenApiDocumentTest}, {@code ApiIT}).
 */
@WebServlet(urlPatterns = "/api/openapi.json")
public class OpenApiServlet extends HttpServlet {

    /** The document as the WAR carries it. */
    public static JsonObject document() {
        try (InputStream in = OpenApiServlet.class.getResourceAsStream("openapi.json")) {
            return StrictJson.PROVIDER.createReader(in).readObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private volatile byte[] served;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] body = served;
        if (body == null) {
            JsonObject document = document();
            String base = request.getContextPath().isEmpty() ? "/" : request.getContextPath();
            body = StrictJson.PROVIDER.createObjectBuilder(document).add("servers", StrictJson.PROVIDER.createArrayBuilder()
                    .add(StrictJson.PROVIDER.createObjectBuilder().add("url", base))).build().toString().getBytes(StandardCharsets.UTF_8);
            served = body;
        }
        response.setHeader("Cache-Control", "no-cache");
        response.setContentType("application/json;charset=UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
