package dev.socketworks.bench;

import java.util.List;

/**
 * program: the echo scenarios through {@code cat} started per connection, Socketworks' /run/cat
 * against websocketd. Churn here starts and ends one process per cycle.
 */
final class ProgramScenarios {

    private ProgramScenarios() {
    }

    static List<Case> cases(double throughputSeconds) {
        return List.of(
                new Case("program", "latency: 1 conn, 32 B lines, 2000 round trips through cat",
                        t -> t.catProgram() != null, t -> EchoScenarios.latency(t.throughCat())),
                new Case("program", "churn: 500 connect/line/echo/close cycles, a process each",
                        t -> t.catProgram() != null, t -> EchoScenarios.churn(t.throughCat())),
                new Case("program", "throughput: 1 conn, 16 KiB lines, 64 in flight, " + throughputSeconds + " s",
                        t -> t.catProgram() != null,
                        t -> EchoThroughput.sixtyFourLinesOf16KiB(throughputSeconds).run(t.throughCat())));
    }
}
