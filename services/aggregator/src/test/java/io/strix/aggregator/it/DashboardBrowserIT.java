package io.strix.aggregator.it;

import static io.strix.aggregator.it.ItSupport.http;
import static io.strix.aggregator.it.ItSupport.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.strix.aggregator.AggregatorService;
import io.strix.aggregator.gateway.GatewayLimits;
import io.strix.schema.Box;
import io.strix.schema.CameraConfig;
import io.strix.schema.Detection;
import io.strix.schema.FrameDetections;
import io.strix.schema.FrameRef;
import io.strix.schema.ModelRef;
import io.strix.wire.Topics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The dashboard in a real browser (Debian's headless Chromium): it connects with the API token from its URL, shows
 * a tile per camera with the live picture, boxes and status, draws the camera's zone, and lists the alert that a
 * person walking into the zone raises. Leaves a screenshot in target/dashboard.png.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserIT {
    private static final String TOKEN = "browser-secret";
    private static final String STREET = "it-street";
    private static final String YARD = "it-yard";
    private static final int W = 640;
    private static final int H = 360;

    private AggregatorService aggregator;
    private Path stateDir;
    private KafkaProducer<byte[], byte[]> producer;
    private Thread camera;
    private volatile boolean filming = true;

    @BeforeAll
    void start() throws Exception {
        Chromium.executable();
        stateDir = Files.createTempDirectory("strix-dashboard-it");
        aggregator = new AggregatorService(ItSupport.settings("it-dashboard-" + System.nanoTime(), "dash", stateDir,
                Optional.of(TOKEN), new GatewayLimits(512, 8L * 1024 * 1024, Duration.ofSeconds(10), 5)));
        aggregator.start();
        producer = ItSupport.producer();
        send(producer, Topics.CAMERAS, STREET, camera(STREET, "Street corner"));
        send(producer, Topics.CAMERAS, YARD, camera(YARD, "Yard"));
        send(producer, Topics.CAMERA_STATUS, STREET, ItSupport.streaming(STREET, 5f));
        send(producer, Topics.CAMERA_STATUS, YARD, ItSupport.streaming(YARD, 5f));
        String rules = """
                {"zones": [{"id": "door", "name": "Door", "filter": {"classes": ["person"]},
                  "polygon": [{"x": 0.5, "y": 0.55}, {"x": 0.78, "y": 0.55}, {"x": 0.78, "y": 0.95},
                              {"x": 0.5, "y": 0.95}]}],
                 "lines": [{"id": "gate", "name": "Gate", "direction": "ANY",
                   "a": {"x": 0.3, "y": 0.5}, "b": {"x": 0.3, "y": 0.98}}]}""";
        assertThat(http("PUT", aggregator.httpPort(), "/api/rules/" + STREET, TOKEN, rules).statusCode())
                .isEqualTo(201);
        camera = new Thread(this::film, "it-camera");
        camera.start();
    }

    @AfterAll
    void stop() throws Exception {
        filming = false;
        if (camera != null) {
            camera.join(5000);
        }
        if (producer != null) {
            producer.close();
        }
        if (aggregator != null) {
            aggregator.close();
        }
        ItSupport.deleteTree(stateDir);
    }

    @Test
    void showsCamerasWithLivePicturesBoxesZonesAndAlerts() throws Exception {
        String url = "http://localhost:" + aggregator.httpPort() + "/?access_token=" + TOKEN;
        try (Chromium browser = Chromium.open(url, 1400, 860)) {
            JsonObject page = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
            while (System.nanoTime() < deadline) {
                page = new JsonObject((String) browser.evaluate(PAGE_STATE));
                if (ready(page)) {
                    break;
                }
                Thread.sleep(250);
            }
            // Let a few more frames through, so that the picture shows trails and the alert feed has settled.
            Thread.sleep(1500);
            page = new JsonObject((String) browser.evaluate(PAGE_STATE));
            browser.screenshot(Path.of("target", "dashboard.png"));

            assertThat(page.getString("connection")).isEqualTo("open");
            JsonObject street = tile(page, STREET);
            assertThat(street).as(page.encodePrettily()).isNotNull();
            assertThat(street.getString("name")).isEqualTo("Street corner");
            assertThat(street.getString("state")).isEqualTo("STREAMING");
            assertThat(street.getInteger("previews")).isPositive();
            assertThat(street.getInteger("tracks")).isPositive();
            assertThat(street.getString("footer")).contains("fps").contains("latency");
            // The picture, boxes and zone are drawn: the canvas holds many colours, not a blank.
            assertThat(street.getInteger("colours")).isGreaterThan(30);
            assertThat(tile(page, YARD)).isNotNull();
            assertThat(page.getJsonArray("alerts")).anySatisfy(a -> {
                JsonObject alert = (JsonObject) a;
                assertThat(alert.getString("camera")).isEqualTo(STREET);
                assertThat(alert.getString("phase")).isEqualTo("STARTED");
                assertThat(alert.getString("text")).contains("entered zone 'Door'");
            });
        }
    }

    private static final String PAGE_STATE = """
            !document.body ? JSON.stringify({ connection: null, tiles: [], alerts: [] }) : JSON.stringify({
              connection: document.body.dataset.connection,
              tiles: [...document.querySelectorAll('.tile')].map(t => {
                const c = t.querySelector('canvas');
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                const colours = new Set();
                for (let i = 0; i < d.length; i += 4 * 97) colours.add(d[i] + ',' + d[i + 1] + ',' + d[i + 2]);
                return { camera: t.dataset.camera, name: t.querySelector('.name').textContent,
                         state: t.dataset.state, tracks: +t.dataset.tracks, previews: +t.dataset.previews,
                         footer: t.querySelector('footer').textContent, colours: colours.size };
              }),
              alerts: [...document.querySelectorAll('.alert')].map(a =>
                ({ camera: a.dataset.camera, phase: a.dataset.phase, text: a.textContent }))
            })""";

    private static boolean ready(JsonObject page) {
        JsonObject street = tile(page, STREET);
        return "open".equals(page.getString("connection")) && street != null && street.getInteger("tracks") > 0
                && street.getInteger("previews") > 0 && "STREAMING".equals(street.getString("state"))
                && page.getJsonArray("alerts").stream().map(JsonObject.class::cast).anyMatch(a ->
                STREET.equals(a.getString("camera")) && "STARTED".equals(a.getString("phase"))
                        && a.getString("text").contains("entered zone 'Door'"));
    }

    private static JsonObject tile(JsonObject page, String camera) {
        JsonArray tiles = page.getJsonArray("tiles");
        for (Object t : tiles) {
            if (camera.equals(((JsonObject) t).getString("camera"))) {
                return (JsonObject) t;
            }
        }
        return null;
    }

    /** Two cameras at 5 fps: frames and the detections a detector would report for them. */
    private void film() {
        long seq = 0;
        while (filming) {
            seq++;
            Instant now = Instant.now();
            double t = seq / 5.0;
            List<Detection> street = new ArrayList<>();
            // A person walking right along the pavement into the door zone and back, a car passing on the road.
            double px = 0.15 + 0.5 * (0.5 - 0.5 * Math.cos(t * 0.8));
            street.add(detection(0, "person", 0.91, px - 0.03, 0.62, 0.06, 0.26));
            double cx = ((t * 0.12) % 1.4) - 0.3;
            street.add(detection(2, "car", 0.87, cx, 0.3, 0.22, 0.16));
            publish(STREET, seq, now, street);
            publish(YARD, seq, now, List.of(detection(16, "dog", 0.8, 0.4 + 0.1 * Math.sin(t), 0.6, 0.1, 0.1)));
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void publish(String cameraId, long seq, Instant captureTime, List<Detection> detections) {
        send(producer, Topics.FRAMES, cameraId, ItSupport.frame(cameraId, seq, captureTime, render(detections,
                cameraId.equals(STREET))));
        send(producer, Topics.DETECTIONS, cameraId, new FrameDetections(new FrameRef(cameraId, seq, captureTime, 0,
                seq), W, H, new ModelRef("it", "1"), null, null, detections, Instant.now(), "it"));
    }

    private static Detection detection(int classId, String name, double score, double x, double y, double w,
                                       double h) {
        return new Detection(classId, name, (float) score, new Box((float) x, (float) y, (float) w, (float) h));
    }

    /** A simple street picture with the objects drawn where the detections say they are. */
    private static byte[] render(List<Detection> detections, boolean street) {
        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(street ? new Color(126, 150, 176) : new Color(120, 160, 110));
        g.fillRect(0, 0, W, H);
        g.setColor(street ? new Color(150, 118, 96) : new Color(96, 130, 80));
        g.fillRect(20, 30, 200, 140);
        g.fillRect(400, 10, 220, 160);
        g.setColor(new Color(60, 60, 66));
        g.fillRect(0, 150, W, 110);
        g.setColor(new Color(160, 160, 160));
        g.fillRect(0, 260, W, 100);
        g.setColor(Color.WHITE);
        for (int x = 0; x < W; x += 70) {
            g.fillRect(x, 203, 36, 5);
        }
        g.setColor(new Color(90, 60, 40));
        g.fillRect(335, 210, 160, 130);
        for (Detection d : detections) {
            int x = (int) (d.getBox().getX() * W);
            int y = (int) (d.getBox().getY() * H);
            int w = (int) (d.getBox().getW() * W);
            int h = (int) (d.getBox().getH() * H);
            if (d.getClassName().equals("car")) {
                g.setColor(new Color(190, 40, 40));
                g.fillRoundRect(x, y + h / 4, w, h / 2, 12, 12);
                g.fillRoundRect(x + w / 5, y, w * 3 / 5, h / 2, 10, 10);
                g.setColor(Color.BLACK);
                g.fillOval(x + w / 8, y + h * 2 / 3, h / 3, h / 3);
                g.fillOval(x + w - w / 8 - h / 3, y + h * 2 / 3, h / 3, h / 3);
            } else {
                g.setColor(new Color(40, 70, 140));
                g.fillRect(x + w / 4, y + h / 5, w / 2, h * 2 / 5);
                g.setColor(new Color(30, 30, 30));
                g.setStroke(new BasicStroke(Math.max(2, w / 5f)));
                g.drawLine(x + w / 2 - w / 8, y + h * 3 / 5, x + w / 4, y + h);
                g.drawLine(x + w / 2 + w / 8, y + h * 3 / 5, x + w * 3 / 4, y + h);
                g.setColor(new Color(224, 180, 150));
                g.fillOval(x + w / 4, y, w / 2, h / 5);
            }
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpg", out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static CameraConfig camera(String id, String name) {
        return CameraConfig.newBuilder().setCameraId(id).setName(name).setUrl("sim://" + id)
                .setUpdatedAt(Instant.now()).build();
    }
}
