package dev.socketworks.bridge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoutesFileTest {

    @TempDir
    Path dir;

    private final Map<String, String> serverEnv = Map.of("PATH", "/usr/local/bin:/usr/bin:/bin");

    @Test
    void theShippedExampleIsValid() {
        List<Route> routes = RoutesFile.read(Path.of("server-config/routes.example.json"), serverEnv);

        assertThat(routes).extracting(Route::name).containsExactly("fizzbuzz", "counter", "greeter", "cat", "chat", "echo");
        Route fizzbuzz = routes.get(0);
        Route.Program program = (Route.Program) fizzbuzz.target();
        assertThat(fizzbuzz.mode()).isEqualTo(Route.Mode.TEXT);
        assertThat(Path.of(program.command().get(0))).isAbsolute().endsWithRaw(Path.of("python3"));
        assertThat(program.command().get(1)).isEqualTo("fizzbuzz.py");
        assertThat(program.workingDirectory()).isEqualTo(Path.of("server-config/programs").toAbsolutePath());
        assertThat(program.passEnvironment()).containsExactly("PATH", "LANG");
        assertThat(program.setEnvironment()).containsExactly(Map.entry("PYTHONUNBUFFERED", "1"));
        assertThat(fizzbuzz.subprotocols()).containsExactly("ex2");
        assertThat(((Route.Program) routes.get(1).target()).command().get(0)).isEqualTo(Path.of("server-config/programs/counter.sh")
                .toAbsolutePath().toString());
        assertThat(routes.get(3).mode()).isEqualTo(Route.Mode.BINARY);
        Route chat = routes.get(4);
        assertThat(chat.target()).isEqualTo(new Route.Tcp("127.0.0.1", 7777));
        assertThat(chat.target().kind()).isEqualTo("tcp");
        assertThat(chat.maxSessions()).isEqualTo(50);
        // The websocketd talk's three pages, at the root by their subprotocols.
        assertThat(chat.subprotocols()).containsExactly("ex3");
        assertThat(routes.get(5).mode()).isEqualTo(Route.Mode.TEXT);
        assertThat(routes.get(5).subprotocols()).containsExactly("ex1");
    }

    @Test
    void defaultsAreTextModeSixteenProcessesTheFilesDirectoryAndTheGlobalOrigins() throws IOException {
        Route route = RoutesFile.read(write("{\"routes\": [{\"name\": \"cat\", \"command\": [\"cat\"]}]}"), serverEnv).get(0);

        assertThat(route.mode()).isEqualTo(Route.Mode.TEXT);
        assertThat(route.maxSessions()).isEqualTo(16);
        assertThat(((Route.Program) route.target()).workingDirectory()).isEqualTo(dir.toAbsolutePath().normalize());
        assertThat(route.allowedOrigins()).isNull();
        assertThat(((Route.Program) route.target()).passEnvironment()).isEmpty();
        assertThat(route.path()).isEqualTo("/run/cat");
    }

    @Test
    void processLimitsAreCheckedAtTheirBounds() throws IOException {
        assertThat(RoutesFile.read(write(route("\"maxProcesses\": 1")), serverEnv).get(0).maxSessions()).isEqualTo(1);
        assertThat(RoutesFile.read(write(route("\"maxProcesses\": 10000")), serverEnv).get(0).maxSessions()).isEqualTo(10_000);
        refused(route("\"maxProcesses\": 0"), "route 'r', field 'maxProcesses': 0 must be between 1 and 10000");
        refused(route("\"maxProcesses\": 10001"), "route 'r', field 'maxProcesses': 10001 must be between 1 and 10000");
        refused(route("\"maxProcesses\": 2.5"), "route 'r', field 'maxProcesses': must be a whole number");
    }

    @Test
    void everyMistakeNamesTheRouteAndTheField() throws IOException {
        refused("{\"routes\": [{\"command\": [\"cat\"]}]}", "routes[0], field 'name': missing");
        refused("{\"routes\": [{\"name\": \"a b\", \"command\": [\"cat\"]}]}", "routes[0], field 'name': 'a b' must be");
        refused("{\"routes\": [{\"name\": \"r\"}]}", "route 'r', field 'command': missing");
        refused("{\"routes\": [{\"name\": \"r\", \"command\": []}]}", "route 'r', field 'command': missing");
        refused("{\"routes\": [{\"name\": \"r\", \"command\": \"cat\"}]}", "route 'r', field 'command': must be an array of strings");
        refused(route("\"mode\": \"lines\""), "route 'r', field 'mode': 'lines' must be one of text, binary");
        refused(route("\"kind\": \"udp\""), "route 'r', field 'kind': 'udp' must be one of process, tcp");
        refused(route("\"maxProceses\": 3"), "route 'r', field 'maxProceses': unknown for a process route");
        refused(route("\"host\": \"x\""), "route 'r', field 'host': unknown for a process route");
        refused(route("\"workingDirectory\": \"nowhere\""), "route 'r', field 'workingDirectory': '" + dir.resolve("nowhere") + "' is not a directory");
        refused(route("\"environment\": [\"PATH\", \"X Y=1\"]"), "route 'r', field 'environment': 'X Y=1' must be NAME");
        refused(route("\"allowedOrigins\": [\"ftp:/x\"]"), "route 'r', field 'allowedOrigins': 'ftp:/x' is not");
        refused(route("\"subprotocols\": [\"a b\"]"), "route 'r', field 'subprotocols': 'a b' is not a valid subprotocol token");
        refused("{\"routes\": [{\"name\": \"r\", \"command\": [\"no-such-program-here\"]}]}",
                "route 'r', field 'command': 'no-such-program-here' is not on the server's PATH");
        refused("{\"routes\": [{\"name\": \"r\", \"command\": [\"./missing.sh\"]}]}",
                "route 'r', field 'command': '" + dir.resolve("missing.sh") + "' is not an executable file");
        refused("{\"routes\": [{\"name\": \"r\", \"kind\": \"tcp\", \"port\": 7}]}", "route 'r', field 'host': missing");
        refused("{\"routes\": [{\"name\": \"r\", \"kind\": \"tcp\", \"host\": \"h\", \"port\": 70000}]}",
                "route 'r', field 'port': 70000 must be between 1 and 65535");
        refused("{\"routes\": [{\"name\": \"r\", \"kind\": \"tcp\", \"host\": \"h\", \"port\": 7, \"command\": [\"cat\"]}]}",
                "route 'r', field 'command': unknown for a tcp route");
        refused("{\"routes\": [{\"name\": \"r\", \"command\": [\"cat\"]}, {\"name\": \"r\", \"command\": [\"cat\"]}]}",
                "route 'r', field 'name': used by an earlier route as well");
    }

    @Test
    void aFileThatIsNotRoutesSaysWhy() throws IOException {
        refused("{\"routes\": [", "not valid JSON at line 1");
        refused("[]", "the file must hold a JSON object");
        refused("{\"route\": []}", "unknown top-level field 'route'");
        refused("{\"routes\": {}}", "field 'routes' must be an array of routes");
        assertThatThrownBy(() -> RoutesFile.read(dir.resolve("absent.json"), serverEnv))
                .isInstanceOf(InvalidRoutesException.class).hasMessageContaining("absent.json: cannot be read");
    }

    @Test
    void aProgramWithASlashIsTakenFromTheWorkingDirectoryAndMustBeExecutable() throws IOException {
        Path script = Files.writeString(dir.resolve("run.sh"), "#!/bin/sh\n");
        refused("{\"routes\": [{\"name\": \"r\", \"command\": [\"./run.sh\"]}]}", "'" + script + "' is not an executable file");
        assertThat(script.toFile().setExecutable(true)).isTrue();
        Route route = RoutesFile.read(write("{\"routes\": [{\"name\": \"r\", \"command\": [\"./run.sh\", \"--flag\"]}]}"), serverEnv).get(0);
        assertThat(((Route.Program) route.target()).command()).containsExactly(script.toString(), "--flag");
    }

    private String route(String extraField) {
        return "{\"routes\": [{\"name\": \"r\", \"command\": [\"cat\"], " + extraField + "}]}";
    }

    private Path write(String json) throws IOException {
        return Files.writeString(dir.resolve("routes.json"), json);
    }

    private void refused(String json, String expectedMessage) throws IOException {
        Path file = write(json);
        assertThatThrownBy(() -> RoutesFile.read(file, serverEnv))
                .isInstanceOf(InvalidRoutesException.class)
                .hasMessageStartingWith("Invalid routes file " + file + ": ")
                .hasMessageContaining(expectedMessage);
    }
}
