package dev.socketworks.bridge;

import dev.socketworks.handshake.OriginPolicy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One configured route, served at {@code /run/{name}}: either a program started per connection
 * (websocketd's model) or a relay to a TCP service. Built and validated by {@link RoutesFile}.
 *
 * @param command         program and arguments, the program resolved to an absolute path; never a shell
 * @param passEnvironment names of server environment variables the program may see
 * @param setEnvironment  fixed variables set for the program
 * @param maxSessions     processes (or TCP connections) at once; one more is closed with 1013
 * @param allowedOrigins  overrides the global allowedOrigins when not null
 */
public record Route(String name, Kind kind, Mode mode, List<String> command, Path workingDirectory,
                    List<String> passEnvironment, Map<String, String> setEnvironment, String host, int port,
                    int maxSessions, OriginPolicy allowedOrigins, List<String> subprotocols) {

    public enum Kind { PROCESS, TCP }

    /** Text: one line is one message. Binary: bytes as they come, both ways. */
    public enum Mode { TEXT, BINARY }

    public Route {
        command = List.copyOf(command);
        passEnvironment = List.copyOf(passEnvironment);
        setEnvironment = Map.copyOf(setEnvironment);
        subprotocols = List.copyOf(subprotocols);
    }

    public String path() {
        return "/run/" + name;
    }

    /** Where the route sends its clients, for logs and the route list: never the program's arguments. */
    public String target() {
        return kind == Kind.TCP ? host + ":" + port : Path.of(command.get(0)).getFileName().toString();
    }
}
