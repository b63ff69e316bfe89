package dev.socketworks.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A bare RFC 6455 client over a socket, for what a well-behaved client library will not do: never
 * read (a slow consumer), or never answer pings (a dead peer). Reads time out at the test deadline.
 */
final class RawClient implements AutoCloseable {

    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }

        String closeReason() {
            return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /**
     * Opens a WebSocket to {@code uri} (ws://127.0.0.1:port/path).
     *
     * @param receiveBuffer socket receive buffer in bytes; small makes a non-reading client fill up fast
     */
    static RawClient connect(URI uri, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(receiveBuffer);
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
        socket.setSoTimeout((int) TestClient.DEADLINE.toMillis());
        RawClient client = new RawClient(socket);
        String status = client.handshake(uri, uri.getHost() + ":" + uri.getPort(), "");
        if (!status.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException("handshake refused: " + status);
        }
        return client;
    }

    /**
     * The HTTP status a WebSocket handshake to {@code uri} gets when it claims {@code host} in its
     * Host header (what a DNS-rebinding page's browser sends) and {@code origin} as its Origin.
     */
    static int handshakeStatus(URI uri, String host, String origin) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
            socket.setSoTimeout((int) TestClient.DEADLINE.toMillis());
            String status = new RawClient(socket).handshake(uri, host, "Origin: " + origin + "\r\n");
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    /**
     * The whole response head (status line and headers, lines joined by CRLF) a handshake to {@code uri}
     * gets with {@code extraHeaders} (whole lines, each ending in CRLF).
     */
    static String handshakeHead(URI uri, String extraHeaders) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
            socket.setSoTimeout((int) TestClient.DEADLINE.toMillis());
            RawClient raw = new RawClient(socket);
            raw.sendHandshake(uri, uri.getHost() + ":" + uri.getPort(), extraHeaders);
            return raw.readHead();
        }
    }

    /** Sends an upgrade request naming {@code host}, plus {@code extraHeaders} (whole lines); returns the status line. */
    private String handshake(URI uri, String host, String extraHeaders) throws IOException {
        sendHandshake(uri, host, extraHeaders);
        String head = readHead();
        return head.substring(0, head.indexOf("\r\n"));
    }

    private void sendHandshake(URI uri, String host, String extraHeaders) throws IOException {
        byte[] key = new byte[16];
        RANDOM.nextBytes(key);
        String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + host + "\r\n"
                + extraHeaders
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed during handshake");
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** The next whole frame (continuations are not joined; the server under test sends whole messages). */
    Frame read() throws IOException {
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        long length = second & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[Math.toIntExact(length)];
        in.readFully(payload);
        return new Frame(first & 0x0F, payload);
    }

    void sendText(String text) throws IOException {
        send(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    void sendPong(byte[] payload) throws IOException {
        send(PONG, payload);
    }

    /** Client frames must be masked (RFC 6455 section 5.3). */
    synchronized void send(int opcode, byte[] payload) throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(14 + payload.length);
        frame.put((byte) (0x80 | opcode));
        if (payload.length < 126) {
            frame.put((byte) (0x80 | payload.length));
        } else if (payload.length < 65536) {
            frame.put((byte) (0x80 | 126)).putShort((short) payload.length);
        } else {
            frame.put((byte) (0x80 | 127)).putLong(payload.length);
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        frame.put(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.put((byte) (payload[i] ^ mask[i % 4]));
        }
        out.write(frame.array(), 0, frame.position());
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
