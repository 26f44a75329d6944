package io.strix.aggregator.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's headless Chromium ({@code apt-get install chromium}) driven over the Chrome DevTools Protocol: open a page,
 * evaluate JavaScript in it, take a screenshot.
 */
final class Chromium implements AutoCloseable {
    private final Process process;
    private final Path profile;
    private final WebSocket devtools;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();

    private Chromium(Process process, Path profile, WebSocket devtools) {
        this.process = process;
        this.profile = profile;
        this.devtools = devtools;
    }

    static Path executable() {
        String configured = System.getenv("STRIX_CHROMIUM");
        Path path = Path.of(configured != null ? configured : "/usr/bin/chromium");
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException("The dashboard test needs headless Chromium at " + path
                    + ": install Debian's package (apt-get install chromium) or set STRIX_CHROMIUM");
        }
        return path;
    }

    /** Starts Chromium showing {@code url} and attaches to its page. */
    static Chromium open(String url, int width, int height) throws Exception {
        Path profile = Files.createTempDirectory("strix-chromium");
        Process process = new ProcessBuilder(executable().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-quic", "--no-first-run", "--hide-scrollbars", "--mute-audio",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "--remote-allow-origins=*",
                "--window-size=" + width + "," + height, url)
                .redirectErrorStream(true)
                .redirectOutput(profile.resolve("chromium.log").toFile())
                .start();
        try {
            // Chromium writes its DevTools port here once it listens.
            Path portFile = profile.resolve("DevToolsActivePort");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!Files.exists(portFile) || Files.readAllLines(portFile).isEmpty()) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("Chromium did not start: "
                            + Files.readString(profile.resolve("chromium.log")));
                }
                Thread.sleep(100);
            }
            int port = Integer.parseInt(Files.readAllLines(portFile).get(0).strip());
            HttpClient http = HttpClient.newHttpClient();
            String pageSocket = null;
            while (pageSocket == null) {
                String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                        .build(), HttpResponse.BodyHandlers.ofString()).body();
                for (Object target : new JsonArray(list)) {
                    JsonObject page = (JsonObject) target;
                    if ("page".equals(page.getString("type"))) {
                        pageSocket = page.getString("webSocketDebuggerUrl");
                    }
                }
                if (pageSocket == null) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Chromium opened no page");
                    }
                    Thread.sleep(100);
                }
            }
            Chromium[] self = new Chromium[1];
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new WebSocket.Listener() {
                private final StringBuilder text = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    text.append(data);
                    if (last) {
                        JsonObject message = new JsonObject(text.toString());
                        text.setLength(0);
                        CompletableFuture<JsonObject> waiting = message.containsKey("id")
                                ? self[0].pending.remove(message.getInteger("id")) : null;
                        if (waiting != null) {
                            waiting.complete(message);
                        }
                    }
                    webSocket.request(1);
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
            self[0] = new Chromium(process, profile, socket);
            return self[0];
        } catch (Exception e) {
            destroy(process);
            throw e;
        }
    }

    /** Calls a DevTools method and returns its result. */
    JsonObject call(String method, JsonObject params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonObject> answer = new CompletableFuture<>();
        pending.put(id, answer);
        devtools.sendText(new JsonObject().put("id", id).put("method", method).put("params", params).encode(), true)
                .get(10, TimeUnit.SECONDS);
        JsonObject response = answer.get(30, TimeUnit.SECONDS);
        if (response.containsKey("error")) {
            throw new IllegalStateException(method + " failed: " + response.getJsonObject("error"));
        }
        return response.getJsonObject("result");
    }

    /** Evaluates a JavaScript expression in the page and returns its value (JSON-compatible). */
    Object evaluate(String expression) throws Exception {
        JsonObject result = call("Runtime.evaluate", new JsonObject().put("expression", expression)
                .put("returnByValue", true).put("awaitPromise", true));
        if (result.containsKey("exceptionDetails")) {
            throw new IllegalStateException("JavaScript failed: " + result.getJsonObject("exceptionDetails"));
        }
        return result.getJsonObject("result").getValue("value");
    }

    void screenshot(Path file) throws Exception {
        String png = call("Page.captureScreenshot", new JsonObject().put("format", "png")).getString("data");
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, java.util.Base64.getDecoder().decode(png));
    }

    @Override
    public void close() throws IOException {
        devtools.abort();
        destroy(process);
        ItSupport.deleteTree(profile);
    }

    private static void destroy(Process process) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                children.forEach(ProcessHandle::destroyForcibly);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
