package dev.socketworks.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;

/**
 * The simplest load balancer: one origin (127.0.0.1 and a port of its own) in front of several
 * servers; each new TCP connection goes to the first server whose health check
 * (GET /socketworks/ready) answers 200, and bytes are copied both ways until either side closes.
 * Enough for a browser page to outlive a rolling redeploy.
 */
final class FirstAliveProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final List<Integer> backends;

    FirstAliveProxy(List<Integer> backendPorts) throws IOException {
        this.backends = List.copyOf(backendPorts);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    String http(String path) {
        return "http://127.0.0.1:" + port() + "/socketworks" + path;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = firstAlive();
                if (server == null) {
                    client.close();
                    continue;
                }
                pipe(client, server);
                pipe(server, client);
            } catch (IOException e) {
                // listener closed
            }
        }
    }

    private static boolean ready(int port) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + port + "/socketworks/ready"))
                    .timeout(java.time.Duration.ofSeconds(1)).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Socket firstAlive() {
        for (int port : backends) {
            if (!ready(port)) {
                continue;
            }
            Socket server = new Socket();
            try {
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return server;
            } catch (IOException refused) {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // nothing to release
                }
            }
        }
        return null;
    }

    private static void pipe(Socket from, Socket to) {
        Thread copier = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // one side went away
            } finally {
                try {
                    to.close();
                    from.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }, "proxy-pipe");
        copier.setDaemon(true);
        copier.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
