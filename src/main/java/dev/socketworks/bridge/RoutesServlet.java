package dev.socketworks.bridge;

import dev.socketworks.json.JsonMessages;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /routes}: the configured routes as JSON, for the start page. Names, kinds, modes and
 * subprotocols only: commands, directories and addresses stay on the server.
 */
@WebServlet(name = "routes", urlPatterns = "/routes")
public class RoutesServlet extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<Map<String, Object>> routes = getServletContext().getAttribute(Bridge.ATTRIBUTE) instanceof Bridge bridge
                ? bridge.routes().stream().map(Bridge::describe).toList() : List.of();
        response.setContentType("application/json;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(JsonMessages.toJson(Map.of("routes", routes)));
    }
}
