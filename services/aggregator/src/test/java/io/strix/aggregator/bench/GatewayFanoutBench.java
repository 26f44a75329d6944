package io.strix.aggregator.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.strix.aggregator.gateway.CameraDirectory;
import io.strix.aggregator.gateway.GatewayLimits;
import io.strix.aggregator.gateway.Outbound;
import io.strix.aggregator.gateway.Stream;
import io.strix.aggregator.gateway.WebSocketHub;
import io.strix.aggregator.json.WireJson;
import io.strix.schema.Box;
import io.strix.schema.FrameRef;
import io.strix.schema.Track;
import io.strix.schema.TrackSnapshot;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The WebSocket gateway's fan-out, measured: a publisher hands track messages (10 cameras at 10 fps, 5 objects
 * each) to the hub as the Kafka feed would, and N clients in the same JVM record how long each message took from
 * {@code publish} to their handler. Run: {@code java -cp ... io.strix.aggregator.bench.GatewayFanoutBench [clients]
 * [seconds] [cameras] [fps]}. The clients share the 2 cores with the server, so the figures are an upper bound of what the gateway
 * adds.
 */
public final class GatewayFanoutBench {
    private static int CAMERAS = 10;
    private static int FPS = 10;

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        CAMERAS = args.length > 2 ? Integer.parseInt(args[2]) : CAMERAS;
        FPS = args.length > 3 ? Integer.parseInt(args[3]) : FPS;
        Vertx server = Vertx.vertx();
        WebSocketHub hub = new WebSocketHub(server, new CameraDirectory(),
                new GatewayLimits(512, 8L * 1024 * 1024, Duration.ofSeconds(60), 2), new SimpleMeterRegistry());
        Router router = Router.router(server);
        hub.mount(router);
        HttpServer http = server.createHttpServer().requestHandler(router).listen(0).await();
        int port = http.actualPort();
        Vertx clientVertx = Vertx.vertx();
        WebSocketClient wsClient = clientVertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(
                clients + 10));
        System.out.printf("gateway fan-out: %d cameras x %d fps of track messages (~%d bytes), %d s per run,"
                + " %d cores%n", CAMERAS, FPS, message(0, 0).length(), seconds, Runtime.getRuntime().availableProcessors());

        run("warm-up", hub, wsClient, port, clients, 5, false);
        run("1 client", hub, wsClient, port, 1, seconds, false);
        run(clients + " clients", hub, wsClient, port, clients, seconds, false);
        run(clients + " clients + 1 that never reads", hub, wsClient, port, clients, seconds, true);

        wsClient.close().await();
        clientVertx.close().await();
        http.close().await();
        server.close().await();
    }

    private static void run(String name, WebSocketHub hub, WebSocketClient wsClient, int port, int clients,
                            int seconds, boolean stalled) throws Exception {
        int capacity = clients * CAMERAS * FPS * (seconds + 2);
        AtomicLongArray samples = new AtomicLongArray(capacity);
        AtomicInteger count = new AtomicInteger();
        List<WebSocket> sockets = new ArrayList<>();
        String subscribe = new JsonObject().put("op", "subscribe").put("cameras", "*")
                .put("streams", List.of("tracks")).encode();
        for (int i = 0; i < clients; i++) {
            WebSocket ws = wsClient.connect(new WebSocketConnectOptions().setHost("localhost").setPort(port)
                    .setURI("/ws")).await();
            ws.textMessageHandler(text -> {
                int at = text.indexOf("\"sentNanos\":");
                if (at >= 0) {
                    long sent = Long.parseLong(text.substring(at + 12, text.indexOf('}', at)).trim());
                    int index = count.getAndIncrement();
                    if (index < capacity) {
                        samples.set(index, System.nanoTime() - sent);
                    }
                }
            });
            ws.writeTextMessage(subscribe);
            sockets.add(ws);
        }
        Socket never = stalled ? stalledClient(port) : null;
        while (hub.clientCount() < clients + (stalled ? 1 : 0)) {
            Thread.sleep(50);
        }
        Thread.sleep(500);
        count.set(0);

        long sent = 0;
        byte[] picture = new byte[100 * 1024];
        new Random(1).nextBytes(picture);
        long start = System.nanoTime();
        long periodNanos = TimeUnit.SECONDS.toNanos(1) / FPS;
        for (long tick = 0; System.nanoTime() - start < TimeUnit.SECONDS.toNanos(seconds); tick++) {
            List<Outbound> batch = new ArrayList<>();
            for (int camera = 0; camera < CAMERAS; camera++) {
                batch.add(Outbound.text(Stream.TRACKS, "cam-" + camera, message(camera, tick)));
                sent++;
                if (stalled && tick % Math.max(1, FPS / 2) == 0) {
                    // Previews only the never-reading client asked for: it fills its socket and queue quickly.
                    batch.add(Outbound.binary(Stream.PREVIEW, "cam-" + camera, Buffer.buffer(picture)));
                }
            }
            hub.publish(batch);
            long next = start + (tick + 1) * periodNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
        Thread.sleep(1000);
        int received = Math.min(count.get(), capacity);
        long[] latencies = new long[received];
        for (int i = 0; i < received; i++) {
            latencies[i] = samples.get(i);
        }
        Arrays.sort(latencies);
        System.out.printf("%-40s delivered %,9d of %,9d  p50 %6.2f ms  p99 %6.2f ms  p99.9 %6.2f ms  max %7.2f ms%n",
                name, received, sent * clients, ms(latencies, 0.50), ms(latencies, 0.99), ms(latencies, 0.999),
                received == 0 ? 0 : latencies[received - 1] / 1e6);
        for (WebSocket ws : sockets) {
            ws.close().await();
        }
        if (never != null) {
            never.close();
        }
        while (hub.clientCount() > 0) {
            Thread.sleep(50);
        }
    }

    private static double ms(long[] sorted, double quantile) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, sorted.length * quantile)] / 1e6;
    }

    private static String message(int camera, long tick) {
        List<Track> tracks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            tracks.add(new Track((long) i + 1, 0, "person", 0.9f, new Box(0.1f * i, 0.5f, 0.05f, 0.2f), 0.01f, 0f,
                    1000L, tick));
        }
        JsonObject json = WireJson.tracks(new TrackSnapshot(new FrameRef("cam-" + camera, tick, Instant.now(), 0,
                tick), tracks, Instant.now()));
        return json.put("sentNanos", System.nanoTime()).encode();
    }

    /** Subscribes to every stream of every camera, then never reads. */
    private static Socket stalledClient(int port) throws Exception {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new java.net.InetSocketAddress("localhost", port));
        OutputStream out = socket.getOutputStream();
        out.write(("GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: c3RyaXgtYmVuY2gta2V5MTI=\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        byte[] payload = "{\"op\":\"subscribe\",\"cameras\":\"*\"}".getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[6 + payload.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | payload.length);
        // Mask 0: the payload goes as it is.
        System.arraycopy(payload, 0, frame, 6, payload.length);
        out.write(frame);
        out.flush();
        return socket;
    }
}
