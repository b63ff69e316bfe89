package dev.socketworks.bridge;

import dev.socketworks.handshake.OriginPolicy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One configured route, served at {@code /run/{name}}: a program started per connection
 * (websocketd's model) or a relay to a TCP service. Built and validated by {@link RoutesFile}.
 *
 * @param maxSessions    processes (or TCP connections) at once; one more is closed with 1013
 * @param allowedOrigins overrides the global allowedOrigins when not null
 */
public record Route(String name, Mode mode, Target target, int maxSessions, OriginPolicy allowedOrigins,
                    List<String> subprotocols) {

    /** Text: one line is one message. Binary: bytes as they come, both ways. */
    public enum Mode { TEXT, BINARY }

    /** What a client of the route is connected to. */
    public sealed interface Target permits Program, Tcp {
        /** "process" or "tcp", as the routes file and the route list name it. */
        String kind();

        /** For logs and the route list: never the program's arguments. */
        String describe();
    }

    /**
     * @param command          program and arguments, the program resolved to an absolute path; never a shell
     * @param passEnvironment  names of server environment variables the program may see
     * @param setEnvironment   fixed variables set for the program
     */
    public record Program(List<String> command, Path workingDirectory, List<String> passEnvironment,
                          Map<String, String> setEnvironment) implements Target {
        public Program {
            command = List.copyOf(command);
            passEnvironment = List.copyOf(passEnvironment);
            setEnvironment = Map.copyOf(setEnvironment);
        }

        @Override
        public String kind() {
            return "process";
        }

        @Override
        public String describe() {
            return Path.of(command.get(0)).getFileName().toString();
        }
    }

    public record Tcp(String host, int port) implements Target {
        @Override
        public String kind() {
            return "tcp";
        }

        @Override
        public String describe() {
            return host + ":" + port;
        }
    }

    public Route {
        subprotocols = List.copyOf(subprotocols);
    }

    public String path() {
        return "/run/" + name;
    }

    /** How every log line about one client of this route begins ({@code client}: its connection, described). */
    String logContext(String client) {
        return "run/" + name + " " + client;
    }
}
