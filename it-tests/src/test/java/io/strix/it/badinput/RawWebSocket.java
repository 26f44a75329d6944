package io.strix.it.badinput;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Predicate;

/**
 * A WebSocket client on a bare socket that writes whatever frames a test wants, broken ones included (RFC 6455:
 * oversized, binary, unmasked, invalid UTF-8, unknown opcodes), and reads the server's frames one by one.
 */
final class RawWebSocket implements AutoCloseable {
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;

    /** A whole message from the server; for a close, {@code closeCode} and the reason as {@code text}. */
    record Message(int opcode, byte[] payload) {
        String text() {
            return new String(opcode == CLOSE && payload.length >= 2 ? java.util.Arrays.copyOfRange(payload, 2,
                    payload.length) : payload, StandardCharsets.UTF_8);
        }

        JsonObject json() {
            return new JsonObject(text());
        }

        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** Connects and upgrades; fails unless the server answers 101. */
    static RawWebSocket connect(int port, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("localhost", port), 5_000);
        socket.setSoTimeout(10_000);
        RawWebSocket ws = new RawWebSocket(socket);
        String key = Base64.getEncoder().encodeToString("strix-bad-input!".getBytes(StandardCharsets.US_ASCII));
        ws.out.write(("GET /ws HTTP/1.1\r\nHost: localhost:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        ws.out.flush();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = ws.in.read();
            if (c < 0) {
                throw new EOFException("connection closed during the handshake: " + head);
            }
            head.append((char) c);
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            throw new IOException("handshake refused: " + head);
        }
        return ws;
    }

    static RawWebSocket connect(int port) throws IOException {
        return connect(port, 0);
    }

    void sendText(String text) throws IOException {
        send(TEXT, text.getBytes(StandardCharsets.UTF_8), true);
    }

    /** One frame, masked as a client's must be unless {@code masked} is false. */
    void send(int opcode, byte[] payload, boolean masked) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(0x80 | opcode);
        int mask = masked ? 0x80 : 0;
        if (payload.length < 126) {
            frame.write(mask | payload.length);
        } else if (payload.length < 65_536) {
            frame.write(mask | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length & 0xFF);
        } else {
            frame.write(mask | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >> shift) & 0xFF);
            }
        }
        byte[] key = {0x11, 0x22, 0x33, 0x44};
        if (masked) {
            frame.write(key, 0, 4);
        }
        for (int i = 0; i < payload.length; i++) {
            frame.write(masked ? payload[i] ^ key[i % 4] : payload[i]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /** The header of a frame of {@code declaredLength} bytes, and only the first of them: a large frame begun. */
    void sendFrameStart(int opcode, int declaredLength, byte[] start) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x80 | opcode);
        frame.write(0x80 | 127);
        for (int shift = 56; shift >= 0; shift -= 8) {
            frame.write((int) ((long) declaredLength >> shift) & 0xFF);
        }
        frame.write(new byte[4], 0, 4); // a zero mask leaves the bytes as they are
        frame.write(start, 0, start.length);
        out.write(frame.toByteArray());
        out.flush();
    }

    /** What the server did next, in words: each message, then how the connection ended, within {@code timeout}. */
    String outcome(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        StringBuilder what = new StringBuilder();
        try {
            while (true) {
                Message message = read();
                if (message.opcode() == CLOSE) {
                    return what.append("close ").append(message.closeCode()).append(' ').append(message.text())
                            .toString();
                }
                what.append(message.opcode() == TEXT ? message.text() : "opcode " + message.opcode()).append("; ");
            }
        } catch (EOFException | java.net.SocketException e) {
            return what.append("connection ended without a close frame").toString();
        } catch (SocketTimeoutException e) {
            return what.append("still open").toString();
        }
    }

    /** The next whole message (control frames included), joining fragments. */
    Message read() throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        int opcode = -1;
        while (true) {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            long length = b1 & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            int frameOpcode = b0 & 0x0F;
            if (frameOpcode >= 0x8) {
                return new Message(frameOpcode, payload);
            }
            if (frameOpcode != 0) {
                opcode = frameOpcode;
            }
            message.write(payload);
            if ((b0 & 0x80) != 0) {
                return new Message(opcode, message.toByteArray());
            }
        }
    }

    /** Reads until a text message matches; fails on a close or after {@code timeout}. */
    JsonObject await(Predicate<JsonObject> match, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Message message = read();
            if (message.opcode() == CLOSE) {
                throw new AssertionError("closed (" + message.closeCode() + " " + message.text()
                        + ") while waiting for a message");
            }
            if (message.opcode() == TEXT && match.test(message.json())) {
                return message.json();
            }
        }
        throw new AssertionError("no matching message within " + timeout);
    }

    /** Reads until the server closes: its close frame, or null when the connection ended without one. */
    Message awaitClose(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        try {
            while (true) {
                Message message = read();
                if (message.opcode() == CLOSE) {
                    return message;
                }
            }
        } catch (EOFException | java.net.SocketException e) {
            return null;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close within " + timeout);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
