package dev.socketworks.bridge;

import dev.socketworks.handshake.OriginPolicy;
import dev.socketworks.json.StrictJson;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the routes file (JSON, documented in the README and server-config/routes.example.json).
 * Every mistake is refused with a message naming the route and the field, and unknown fields are
 * mistakes too: a misspelt "maxProceses" must not silently leave the default limit in place.
 * Relative paths are taken from the file's own directory, so a file and its programs move together.
 */
public final class RoutesFile {

    /** The routes file's "kind" field. */
    private enum Kind { PROCESS, TCP }


    static final int DEFAULT_MAX_SESSIONS = 16;
    static final int MAX_MAX_SESSIONS = 10_000;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Set<String> PROCESS_FIELDS = Set.of("name", "kind", "mode", "command", "workingDirectory",
            "environment", "maxProcesses", "allowedOrigins", "subprotocols");
    private static final Set<String> TCP_FIELDS = Set.of("name", "kind", "mode", "host", "port", "maxConnections",
            "allowedOrigins", "subprotocols");

    private final Path file;
    private final Map<String, String> serverEnvironment;

    private RoutesFile(Path file, Map<String, String> serverEnvironment) {
        this.file = file;
        this.serverEnvironment = serverEnvironment;
    }

    /** The routes in {@code file}; programs named without a slash are looked up on the server's PATH. */
    public static List<Route> read(Path file) {
        return read(file, System.getenv());
    }

    static List<Route> read(Path file, Map<String, String> serverEnvironment) {
        return new RoutesFile(file.toAbsolutePath().normalize(), serverEnvironment).read();
    }

    private List<Route> read() {
        JsonObject root;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             JsonReader json = StrictJson.PROVIDER.createReader(in)) {
            JsonValue value = json.readValue();
            if (!(value instanceof JsonObject object)) {
                throw fail("the file must hold a JSON object {\"routes\": [...]}");
            }
            root = object;
        } catch (JsonParsingException e) {
            throw fail("not valid JSON at line " + e.getLocation().getLineNumber() + ", column "
                    + e.getLocation().getColumnNumber() + ": " + e.getMessage());
        } catch (JsonException | IOException e) {
            throw fail("cannot be read: " + e.getMessage());
        }
        for (String key : root.keySet()) {
            if (!key.equals("routes")) {
                throw fail("unknown top-level field '" + key + "'; expected only \"routes\"");
            }
        }
        if (!(root.get("routes") instanceof JsonArray array)) {
            throw fail("field 'routes' must be an array of routes");
        }
        List<Route> routes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof JsonObject object)) {
                throw fail("routes[" + i + "] must be an object");
            }
            Route route = new RouteReader(object, i).read();
            if (!names.add(route.name())) {
                throw fail("route '" + route.name() + "', field 'name': used by an earlier route as well");
            }
            routes.add(route);
        }
        return routes;
    }

    private InvalidRoutesException fail(String message) {
        return new InvalidRoutesException("Invalid routes file " + file + ": " + message);
    }

    /** One route object; every error names it. */
    private final class RouteReader {

        private final JsonObject json;
        private String label;

        RouteReader(JsonObject json, int index) {
            this.json = json;
            this.label = "routes[" + index + "]";
        }

        Route read() {
            String name = string("name", null);
            if (name == null) {
                throw error("name", "missing; every route needs one (it is served at /run/{name})");
            }
            if (!NAME.matcher(name).matches()) {
                throw error("name", "'" + name + "' must be 1-64 letters, digits, '.', '_' or '-', starting"
                        + " with a letter or digit (it becomes part of a URL)");
            }
            label = "route '" + name + "'";
            Kind kind = choice("kind", Kind.class, Kind.PROCESS);
            Set<String> allowed = kind == Kind.TCP ? TCP_FIELDS : PROCESS_FIELDS;
            for (String field : json.keySet()) {
                if (!allowed.contains(field)) {
                    throw error(field, "unknown for a " + kind.name().toLowerCase(Locale.ROOT) + " route; known fields: "
                            + String.join(", ", allowed.stream().sorted().toList()));
                }
            }
            Route.Mode mode = choice("mode", Route.Mode.class, Route.Mode.TEXT);
            OriginPolicy origins = null;
            List<String> originEntries = strings("allowedOrigins", null);
            if (originEntries != null) {
                try {
                    origins = OriginPolicy.parse(String.join(",", originEntries));
                } catch (IllegalArgumentException e) {
                    throw error("allowedOrigins", e.getMessage());
                }
            }
            List<String> subprotocols = strings("subprotocols", List.of());
            for (String token : subprotocols) {
                if (!TOKEN.matcher(token).matches()) {
                    throw error("subprotocols", "'" + token + "' is not a valid subprotocol token");
                }
            }
            if (kind == Kind.TCP) {
                String host = string("host", null);
                if (host == null || host.isBlank()) {
                    throw error("host", "missing; a tcp route relays to host:port");
                }
                int port = (int) number("port", -1, 1, 65_535);
                if (port < 0) {
                    throw error("port", "missing; a tcp route relays to host:port");
                }
                int max = (int) number("maxConnections", DEFAULT_MAX_SESSIONS, 1, MAX_MAX_SESSIONS);
                return new Route(name, mode, new Route.Tcp(host, port), max, origins, subprotocols);
            }
            Path directory = workingDirectory();
            List<String> command = command(directory);
            List<String> pass = new ArrayList<>();
            Map<String, String> set = new LinkedHashMap<>();
            for (String entry : strings("environment", List.of())) {
                int equals = entry.indexOf('=');
                String variable = equals < 0 ? entry : entry.substring(0, equals);
                if (!ENV_NAME.matcher(variable).matches()) {
                    throw error("environment", "'" + entry + "' must be NAME (passed from the server's"
                            + " environment) or NAME=value");
                }
                if (equals < 0) {
                    pass.add(variable);
                } else {
                    set.put(variable, entry.substring(equals + 1));
                }
            }
            int max = (int) number("maxProcesses", DEFAULT_MAX_SESSIONS, 1, MAX_MAX_SESSIONS);
            return new Route(name, mode, new Route.Program(command, directory, pass, set), max, origins, subprotocols);
        }

        private Path workingDirectory() {
            String text = string("workingDirectory", null);
            Path directory = text == null ? file.getParent() : file.getParent().resolve(text).normalize();
            if (!Files.isDirectory(directory)) {
                throw error("workingDirectory", "'" + directory + "' is not a directory");
            }
            return directory;
        }

        private List<String> command(Path directory) {
            List<String> command = strings("command", null);
            if (command == null || command.isEmpty()) {
                throw error("command", "missing; give the program and its arguments as an array,"
                        + " e.g. [\"python3\", \"fizzbuzz.py\"] (no shell is involved)");
            }
            String program = command.get(0);
            Path resolved;
            if (program.contains("/")) {
                resolved = directory.resolve(program).normalize();
            } else {
                resolved = onPath(program);
                if (resolved == null) {
                    throw error("command", "'" + program + "' is not on the server's PATH");
                }
            }
            if (!Files.isRegularFile(resolved) || !Files.isExecutable(resolved)) {
                throw error("command", "'" + resolved + "' is not an executable file");
            }
            List<String> absolute = new ArrayList<>(command);
            absolute.set(0, resolved.toString());
            return absolute;
        }

        private Path onPath(String program) {
            String path = serverEnvironment.getOrDefault("PATH", "");
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    Path candidate = Path.of(dir, program);
                    if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                        return candidate;
                    }
                }
            }
            return null;
        }

        private String string(String field, String fallback) {
            JsonValue value = json.get(field);
            if (value == null) {
                return fallback;
            }
            if (!(value instanceof JsonString text)) {
                throw error(field, "must be a string");
            }
            return text.getString();
        }

        private List<String> strings(String field, List<String> fallback) {
            JsonValue value = json.get(field);
            if (value == null) {
                return fallback;
            }
            if (!(value instanceof JsonArray array) || !array.stream().allMatch(JsonString.class::isInstance)) {
                throw error(field, "must be an array of strings");
            }
            return array.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
        }

        private long number(String field, long fallback, long min, long max) {
            JsonValue value = json.get(field);
            if (value == null) {
                return fallback;
            }
            if (!(value instanceof JsonNumber number) || !number.isIntegral()) {
                throw error(field, "must be a whole number");
            }
            long n = number.longValue();
            if (n < min || n > max) {
                throw error(field, n + " must be between " + min + " and " + max);
            }
            return n;
        }

        private <E extends Enum<E>> E choice(String field, Class<E> type, E fallback) {
            String text = string(field, null);
            if (text == null) {
                return fallback;
            }
            Function<E, String> spelling = e -> e.name().toLowerCase(Locale.ROOT);
            for (E option : type.getEnumConstants()) {
                if (spelling.apply(option).equals(text)) {
                    return option;
                }
            }
            throw error(field, "'" + text + "' must be one of " + String.join(", ",
                    java.util.Arrays.stream(type.getEnumConstants()).map(spelling).toList()));
        }

        private InvalidRoutesException error(String field, String message) {
            return fail(label + ", field '" + field + "': " + message);
        }
    }
}
