package dev.socketworks.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A client of the Python websockets lecture, run as printed (src/test/lecture/) by python3 with
 * Debian's python3-websockets, its URL the only change. Its output lines are collected as they come.
 */
final class LectureClient implements AutoCloseable {

    private static final String LECTURE_URL = "ws://localhost:50001";
    /** Debian's, where python3-websockets is installed (a python3 earlier on the PATH may lack it). */
    private static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";

    private final Process process;
    final List<String> lines = new CopyOnWriteArrayList<>();

    private LectureClient(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "lecture-client-output");
        reader.setDaemon(true);
        reader.start();
    }

    static LectureClient run(String file, URI url) throws IOException {
        String code = Files.readString(Path.of("src", "test", "lecture", file));
        if (!code.contains(LECTURE_URL)) {
            throw new IllegalStateException(file + " does not hold the lecture's URL " + LECTURE_URL);
        }
        Process process = new ProcessBuilder(PYTHON, "-c", code.replace(LECTURE_URL, url.toString()))
                .redirectErrorStream(true).start();
        return new LectureClient(process);
    }

    /** Waits (up to 20 s) for the client to end by itself; its exit code. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new AssertionError("the lecture's client did not end within 20 s; it printed " + lines);
        }
        return process.exitValue();
    }

    /** Waits (up to {@code seconds}) until it printed {@code count} lines; what it printed. */
    List<String> awaitLines(int count, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (lines.size() < count) {
            if (System.nanoTime() > deadline || !process.isAlive() && lines.size() < count) {
                throw new AssertionError("expected " + count + " lines within " + seconds + " s, got " + lines);
            }
            process.waitFor(50, TimeUnit.MILLISECONDS); // a poll with a deadline: output has no signal to wait on
        }
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        process.destroy();
    }
}
