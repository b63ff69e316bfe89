package dev.socketworks.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * echo-throughput: each connection keeps 64 messages in flight for a fixed time; every echo is
 * checked for content and order. A server that stops answering (websocketd with 64 x 16 KiB through
 * {@code cat} is the known case) is reported as stalled, not timed.
 */
final class EchoThroughput {

    private static final int IN_FLIGHT = 64;
    private static final long STALL_NANOS = 5_000_000_000L;

    private enum Kind { TEXT, BINARY }

    private final int connections;
    private final int size;
    private final Kind kind;
    private final long durationNanos;

    private EchoThroughput(int connections, int size, Kind kind, long durationNanos) {
        this.connections = connections;
        this.size = size;
        this.kind = kind;
        this.durationNanos = durationNanos;
    }

    static List<Case> cases(double seconds) {
        List<Case> cases = new ArrayList<>();
        long nanos = (long) (seconds * 1e9);
        for (int[] shape : new int[][] {{32, 0}, {16 * 1024, 0}, {16 * 1024, 1}}) {
            for (int connections : new int[] {1, 16}) {
                Kind kind = shape[1] == 0 ? Kind.TEXT : Kind.BINARY;
                EchoThroughput run = new EchoThroughput(connections, shape[0], kind, nanos);
                String variant = connections + " conn, " + (shape[0] < 1024 ? shape[0] + " B" : shape[0] / 1024 + " KiB")
                        + " " + kind.name().toLowerCase() + ", " + IN_FLIGHT + " in flight, " + seconds + " s";
                cases.add(new Case("echo-throughput", variant,
                        t -> t.echo() != null && (kind == Kind.TEXT || t.echoesBinary()), run::run));
            }
        }
        return cases;
    }

    /** One connection of 16 KiB text lines, 64 in flight: the load websocketd deadlocks on through cat. */
    static Case.Body sixtyFourLinesOf16KiB(double seconds) {
        return new EchoThroughput(1, 16 * 1024, Kind.TEXT, (long) (seconds * 1e9))::run;
    }

    /** Unrecorded load so a JIT-compiled server (or Node) is measured warm, like the others. */
    static void warmUp(Target target, double seconds) throws Exception {
        new EchoThroughput(16, 32, Kind.TEXT, (long) (seconds * 1e9)).run(target);
        if (target.echoesBinary()) {
            new EchoThroughput(16, 16 * 1024, Kind.BINARY, (long) (seconds * 1e9)).run(target);
        }
    }

    /** One connection's pipeline: sends are issued from the receive callback as echoes come back. */
    private final class Pipe {
        final AtomicLong received = new AtomicLong();
        final AtomicReference<String> error = new AtomicReference<>();
        volatile boolean sending = true;
        long sent;
        WsClient client;

        void onEcho(String text, byte[] binary) {
            long sequence = received.get();
            boolean ok = text != null ? Payloads.isText(text, sequence, size) : Payloads.isBinary(binary, sequence, size);
            if (!ok) {
                error.compareAndSet(null, "echo " + sequence + " wrong or out of order");
                sending = false;
            }
            received.incrementAndGet();
            pump();
        }

        synchronized void pump() {
            while (sending && sent - received.get() < IN_FLIGHT) {
                if (kind == Kind.TEXT) {
                    client.sendText(Payloads.text(sent, size));
                } else {
                    client.sendBinary(Payloads.binary(sent, size));
                }
                sent++;
            }
        }
    }

    private Map<String, Double> run(Target target) throws Exception {
        List<Pipe> pipes = new ArrayList<>();
        try {
            for (int i = 0; i < connections; i++) {
                Pipe pipe = new Pipe();
                pipe.client = WsClient.open(target.echoUri(), new WsClient.Handler() {
                    @Override
                    public void text(WsClient c, String message) {
                        pipe.onEcho(message, null);
                    }

                    @Override
                    public void binary(WsClient c, byte[] message) {
                        pipe.onEcho(null, message);
                    }
                });
                pipes.add(pipe);
            }
            long start = System.nanoTime();
            pipes.forEach(Pipe::pump);
            long lastTotal = -1;
            long lastProgress = start;
            while (System.nanoTime() - start < durationNanos) {
                Server.pause(20);
                long total = total(pipes);
                if (total != lastTotal) {
                    lastTotal = total;
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > STALL_NANOS) {
                    throw new BenchFailure("stalled: no echo for 5 s after " + total + " messages");
                }
                failIfWrong(pipes);
            }
            long counted = total(pipes);
            double seconds = (System.nanoTime() - start) / 1e9;
            pipes.forEach(p -> p.sending = false);
            // Every message sent must still come back, checked, before the run counts.
            long deadline = System.nanoTime() + STALL_NANOS;
            while (pipes.stream().anyMatch(p -> p.received.get() < p.sent)) {
                if (System.nanoTime() > deadline) {
                    throw new BenchFailure("stalled: echoes still missing 5 s after the senders stopped");
                }
                Server.pause(10);
            }
            failIfWrong(pipes);
            Map<String, Double> figures = Case.figures();
            figures.put("msgs/s", counted / seconds);
            figures.put("MB/s", counted * (double) size / seconds / 1e6);
            figures.put(Case.SERVED, (double) total(pipes)); // every one checked
            return figures;
        } finally {
            pipes.forEach(p -> p.client.abort());
        }
    }

    private static long total(List<Pipe> pipes) {
        return pipes.stream().mapToLong(p -> p.received.get()).sum();
    }

    private static void failIfWrong(List<Pipe> pipes) throws BenchFailure {
        for (Pipe pipe : pipes) {
            if (pipe.error.get() != null) {
                throw new BenchFailure(pipe.error.get());
            }
        }
    }
}
