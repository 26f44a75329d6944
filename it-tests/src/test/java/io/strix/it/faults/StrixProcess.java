package io.strix.it.faults;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code strix} command of the real app jar in a JVM of its own, as it is deployed: started and waited for
 * until it prints its ready line, killed with SIGKILL, stopped with SIGTERM, started again with the same arguments.
 * Each start logs (stderr) to a file of its own in the log directory.
 */
final class StrixProcess implements AutoCloseable {
    private static final Path JAR = Path.of(System.getProperty("strix.app.jar", "../services/app/target/strix.jar"));
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern HTTP_PORT = Pattern.compile("HTTP on port (\\d+)");
    /** Whatever a failed or interrupted test run leaves behind is killed when the test JVM exits. */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly)));
    }

    private final String name;
    private final List<String> command;
    private final Path logDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private Path log;
    private int starts;
    private String readyLine;
    private int httpPort = -1;

    /**
     * @param name    names the log files ({@code name-1.log}, {@code name-2.log}, ... one per start)
     * @param maxHeap the JVM's -Xmx, e.g. {@code 512m}
     * @param args    the strix command and its flags
     */
    StrixProcess(String name, Path logDir, String maxHeap, List<String> args) {
        this.name = name;
        this.logDir = logDir;
        this.command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap, "-XX:+UseSerialGC", "-jar", JAR.toString()));
        this.command.addAll(args);
    }

    /** Starts the command and returns once it printed its first line (its ready line). */
    StrixProcess start() {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException("The app jar " + JAR + " is built before it-tests run");
        }
        starts++;
        log = logDir.resolve(name + "-" + starts + ".log");
        try {
            process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command, e);
        }
        LIVE.add(process);
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        try {
            readyLine = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return null;
                }
            }).get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            kill();
            throw new IllegalStateException(name + " printed nothing within " + START_TIMEOUT.toSeconds() + " s; see "
                    + log, e);
        }
        if (readyLine == null) {
            throw new IllegalStateException(name + " exited at start (code " + waitForExit() + "); see " + log);
        }
        Matcher port = HTTP_PORT.matcher(readyLine);
        httpPort = port.find() ? Integer.parseInt(port.group(1)) : -1;
        // Whatever else it prints goes nowhere; the pipe must not fill up.
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // discard
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, name + "-stdout");
        drain.setDaemon(true);
        drain.start();
        return this;
    }

    /** {@code kill -9}: the process ends at once, without closing anything. */
    void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            waitForExit();
        }
    }

    /** SIGTERM, the way an operator or an orchestrator stops a service; SIGKILL if it has not ended within a minute. */
    void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        waitForExit();
    }

    /** Sends a signal by name ({@code STOP}, {@code CONT}, ...) with the system's {@code kill}. */
    void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private int waitForExit() {
        try {
            if (process.waitFor(30, TimeUnit.SECONDS)) {
                LIVE.remove(process);
                return process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return -1;
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    String readyLine() {
        return readyLine;
    }

    int httpPort() {
        return httpPort;
    }

    Path log() {
        return log;
    }

    /** The status code of {@code /health/ready}, or -1 when the service does not answer. */
    int readiness() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/health/ready"))
                    .timeout(Duration.ofSeconds(8)).build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return name + (process == null ? "" : " (pid " + process.pid() + ")");
    }
}
