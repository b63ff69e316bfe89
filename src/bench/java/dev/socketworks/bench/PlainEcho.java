package dev.socketworks.bench;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

import java.nio.ByteBuffer;

/**
 * The plainest Jakarta echo there is, alone in a WAR of its own (the {@code jetty-echo} peer): what
 * the container costs per message with none of our code, on a container that ships no echo example.
 * Its path is its own so that it could never shadow the application's {@code /echo} if a container
 * running the tests ever scanned the test classes.
 */
@ServerEndpoint("/plain-echo")
public class PlainEcho {

    @OnMessage
    public String text(String message) {
        return message;
    }

    @OnMessage
    public ByteBuffer binary(ByteBuffer message) {
        return message;
    }

    /** A WAR holding this class and an index page (a container answering 200 on it says it has deployed). */
    static java.nio.file.Path war(java.nio.file.Path directory) throws java.io.IOException {
        java.nio.file.Path war = directory.resolve("plain-echo.war");
        java.nio.file.Files.createDirectories(directory);
        String entry = PlainEcho.class.getName().replace('.', '/') + ".class";
        byte[] classFile;
        try (java.io.InputStream in = PlainEcho.class.getClassLoader().getResourceAsStream(entry)) {
            if (in == null) {
                throw new java.io.IOException("no class file for " + entry);
            }
            classFile = in.readAllBytes();
        }
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(java.nio.file.Files.newOutputStream(war))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("index.html"));
            zip.write("<!doctype html><title>plain echo</title>".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            zip.putNextEntry(new java.util.zip.ZipEntry("WEB-INF/classes/" + entry));
            zip.write(classFile);
        }
        return war;
    }
}
