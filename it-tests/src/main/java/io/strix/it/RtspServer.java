package io.strix.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real RTSP server in a child process: GStreamer's gst-rtsp-server streaming H.264 (it-tests/tools/rtsp_server.py),
 * or the silent one that accepts sessions and sends nothing. It can be killed and restarted on the same port.
 */
public final class RtspServer implements AutoCloseable {
    private static final Path TOOLS = Path.of(System.getProperty("strix.it.tools", "tools"));

    private final List<String> command;
    private final int port;
    private Process process;
    private String url;

    private RtspServer(String script, int port, List<String> args) {
        this.port = port;
        this.command = new ArrayList<>(List.of("/usr/bin/python3", TOOLS.resolve(script).toString(), "--port",
                Integer.toString(port)));
        command.addAll(args);
    }

    /** An H.264 test pattern at the given size and rate. */
    public static RtspServer streaming(String size, int fps) {
        return new RtspServer("rtsp_server.py", freePort(), List.of("--size", size, "--fps", Integer.toString(fps)));
    }

    public static RtspServer streaming(String size, int fps, String user, String password) {
        return new RtspServer("rtsp_server.py", freePort(), List.of("--size", size, "--fps", Integer.toString(fps),
                "--user", user, "--password", password));
    }

    /** Accepts RTSP sessions, then never sends a packet. */
    public static RtspServer silent() {
        return new RtspServer("silent_rtsp_server.py", freePort(), List.of());
    }

    public RtspServer start() {
        if (!Files.exists(Path.of(command.get(1)))) {
            throw new IllegalStateException("Missing " + command.get(1));
        }
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    String l;
                    while ((l = out.readLine()) != null) {
                        if (l.startsWith("RTSP ready at ")) {
                            return l;
                        }
                    }
                    return null;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).get(30, TimeUnit.SECONDS);
            if (line == null) {
                throw new IllegalStateException("RTSP server did not start: " + command
                        + " (needs gir1.2-gst-rtsp-server-1.0 python3-gi gstreamer1.0-plugins-good/-ugly)");
            }
            url = line.substring("RTSP ready at ".length()).strip();
            // Drain the rest of its output so it never blocks on a full pipe.
            Thread drain = new Thread(() -> {
                try {
                    while (out.readLine() != null) {
                        // discard
                    }
                } catch (IOException ignored) {
                    // process ended
                }
            });
            drain.setDaemon(true);
            drain.start();
            return this;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start " + command, e);
        }
    }

    /** SIGKILL: the camera vanishes mid-stream. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public String url() {
        return url;
    }

    /** The URL with credentials inserted after the scheme. */
    public String url(String user, String password) {
        return url.replace("rtsp://", "rtsp://" + user + ":" + password + "@");
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        kill();
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
