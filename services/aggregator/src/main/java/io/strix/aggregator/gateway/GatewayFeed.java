package io.strix.aggregator.gateway;

import io.strix.aggregator.json.WireJson;
import io.strix.aggregator.rules.RuleSetValidator;
import io.strix.schema.Alert;
import io.strix.schema.CameraConfig;
import io.strix.schema.CameraStatus;
import io.strix.schema.Frame;
import io.strix.schema.RuleSet;
import io.strix.schema.TrackSnapshot;
import io.strix.wire.RecordDecodeException;
import io.strix.wire.Topic;
import io.strix.wire.Topics;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what the WebSocket clients see, on every instance and outside any consumer group (every instance serves
 * every camera): the compacted topics (cameras, camera status, rules) from the beginning, to know the current state,
 * and the live ones (tracks, alerts, frames) from their end. Frames are read only while some client wants previews,
 * and thinned to {@link GatewayLimits#previewFps()} per camera before they are even decoded. Each record is encoded
 * once for all clients.
 *
 * <p>If the feed itself stops (anything but a bad record: an error from the consumer, an {@link Error}), every
 * dashboard on this instance would freeze while looking alive; it reports the failure to its owner, which stops the
 * aggregator so that its supervisor restarts it.
 */
public final class GatewayFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayFeed.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long REFRESH_PARTITIONS_MILLIS = 60_000;
    /** Frames older than this when read are no preview any more. */
    private static final long MAX_PREVIEW_AGE_MILLIS = 5_000;
    /** When previews are wanted again, reading starts this far back, so that a new viewer sees a picture at once. */
    private static final long RESUME_WINDOW_MILLIS = 1_500;
    private static final List<Topic<?>> STATE_TOPICS = List.of(Topics.CAMERAS, Topics.CAMERA_STATUS, Topics.RULES);
    private static final List<Topic<?>> LIVE_TOPICS = List.of(Topics.TRACKS, Topics.ALERTS, Topics.FRAMES);

    private final Consumer<byte[], byte[]> consumer;
    private final CameraDirectory directory;
    private final WebSocketHub hub;
    private final RuleSetValidator validator;
    private final long previewIntervalMillis;
    private final java.util.function.Consumer<Throwable> onFailure;
    private final Map<String, Long> lastPreviewMillis = new HashMap<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private Set<TopicPartition> assigned = Set.of();
    private Map<TopicPartition, Long> stateEnds = new HashMap<>();
    private boolean framesPaused;

    public GatewayFeed(Consumer<byte[], byte[]> consumer, CameraDirectory directory, WebSocketHub hub,
                       RuleSetValidator validator, int previewFps, java.util.function.Consumer<Throwable> onFailure) {
        this.consumer = consumer;
        this.onFailure = onFailure;
        this.directory = directory;
        this.hub = hub;
        this.validator = validator;
        this.previewIntervalMillis = previewFps <= 0 ? Long.MAX_VALUE : 1000L / previewFps;
        this.thread = new Thread(this::run, "gateway-feed");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Whether the compacted topics have been read to the end they had at start (rules, status, cameras known). */
    public boolean caughtUp() {
        return caughtUp.getCount() == 0;
    }

    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Why the feed stopped, or null while it runs. */
    public Throwable failure() {
        return failure;
    }

    private void run() {
        try {
            assign();
            long nextRefresh = System.currentTimeMillis() + REFRESH_PARTITIONS_MILLIS;
            while (running) {
                pauseOrResumeFrames();
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                List<Outbound> batch = new ArrayList<>();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    try {
                        handle(record, batch);
                    } catch (RecordDecodeException e) {
                        // The topology sends bad records to the DLQ; the gateway only shows what it can read.
                        LOG.debug("Gateway skips a record: {}", e.getMessage());
                    } catch (RuntimeException e) {
                        LOG.warn("Gateway skips record {}-{}@{}: {}", record.topic(), record.partition(),
                                record.offset(), e.toString());
                    }
                }
                hub.publish(batch);
                if (caughtUp.getCount() > 0 && stateEnds.entrySet().stream()
                        .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp.countDown();
                    LOG.info("Gateway has read cameras, camera status and rules; {} cameras known",
                            directory.cameras().size());
                }
                if (System.currentTimeMillis() > nextRefresh) {
                    assign();
                    nextRefresh = System.currentTimeMillis() + REFRESH_PARTITIONS_MILLIS;
                }
            }
        } catch (WakeupException e) {
            if (running) {
                fail(e);
            }
        } catch (RuntimeException | Error e) {
            fail(e);
        } finally {
            consumer.close();
        }
    }

    private void fail(Throwable e) {
        failure = e;
        LOG.error("Gateway feed stopped: no dashboard on this instance gets tracks, alerts or status any more", e);
        onFailure.accept(e);
    }

    /** Assigns every partition of the topics, picking up partitions added since the last call. */
    private void assign() {
        Set<TopicPartition> all = new java.util.HashSet<>();
        for (Topic<?> topic : concat(STATE_TOPICS, LIVE_TOPICS)) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic.name());
            if (partitions != null) {
                partitions.forEach(p -> all.add(new TopicPartition(p.topic(), p.partition())));
            }
        }
        if (all.equals(assigned)) {
            return;
        }
        Set<TopicPartition> added = all.stream().filter(tp -> !assigned.contains(tp)).collect(Collectors.toSet());
        consumer.assign(all);
        Set<String> stateNames = STATE_TOPICS.stream().map(Topic::name).collect(Collectors.toSet());
        List<TopicPartition> state = added.stream().filter(tp -> stateNames.contains(tp.topic())).toList();
        List<TopicPartition> live = added.stream().filter(tp -> !stateNames.contains(tp.topic())).toList();
        consumer.seekToBeginning(state);
        consumer.seekToEnd(live);
        if (assigned.isEmpty()) {
            stateEnds = new HashMap<>(consumer.endOffsets(state));
        }
        if (framesPaused) {
            consumer.pause(added.stream().filter(tp -> tp.topic().equals(Topics.FRAMES.name())).toList());
        }
        assigned = all;
    }

    private void pauseOrResumeFrames() {
        boolean wanted = hub.previewWanted();
        if (wanted == !framesPaused) {
            return;
        }
        List<TopicPartition> frames = assigned.stream()
                .filter(tp -> tp.topic().equals(Topics.FRAMES.name())).toList();
        if (wanted) {
            // Live pictures only: whatever piled up while nobody watched is of no use.
            Map<TopicPartition, Long> since = new HashMap<>();
            frames.forEach(tp -> since.put(tp, System.currentTimeMillis() - RESUME_WINDOW_MILLIS));
            consumer.offsetsForTimes(since).forEach((tp, found) -> {
                if (found == null) {
                    consumer.seekToEnd(List.of(tp));
                } else {
                    consumer.seek(tp, found.offset());
                }
            });
            consumer.resume(frames);
        } else {
            consumer.pause(frames);
        }
        framesPaused = !wanted;
    }

    private void handle(ConsumerRecord<byte[], byte[]> record, List<Outbound> batch) {
        if (record.key() == null) {
            return;
        }
        String cameraId = new String(record.key(), StandardCharsets.UTF_8);
        String topic = record.topic();
        if (topic.equals(Topics.TRACKS.name())) {
            TrackSnapshot snapshot = Topics.TRACKS.decode(record);
            if (snapshot != null) {
                seen(cameraId, batch);
                batch.add(Outbound.text(Stream.TRACKS, cameraId, WireJson.tracks(snapshot).encode()));
            }
        } else if (topic.equals(Topics.ALERTS.name())) {
            Alert alert = Topics.ALERTS.decode(record);
            if (alert != null) {
                seen(cameraId, batch);
                batch.add(Outbound.text(Stream.ALERTS, cameraId, WireJson.alert(alert).encode()));
            }
        } else if (topic.equals(Topics.FRAMES.name())) {
            preview(cameraId, record, batch);
        } else if (topic.equals(Topics.CAMERA_STATUS.name())) {
            CameraStatus status = Topics.CAMERA_STATUS.decode(record);
            if (status != null) {
                seen(cameraId, batch);
                Outbound message = Outbound.text(Stream.STATUS, cameraId, WireJson.status(status).encode());
                directory.status(cameraId, message);
                batch.add(message);
            }
        } else if (topic.equals(Topics.RULES.name())) {
            RuleSet rules = Topics.RULES.decode(record);
            if (rules != null && (!cameraId.equals(rules.getCameraId()) || !validator.validate(rules).isEmpty())) {
                // The topology rejects it too and keeps the previous rules in force; so does the dashboard.
                return;
            }
            directory.rules(cameraId, rules);
            batch.add(CameraDirectory.rulesMessage(cameraId, rules));
        } else if (topic.equals(Topics.CAMERAS.name())) {
            CameraConfig camera = Topics.CAMERAS.decode(record);
            if (directory.registered(cameraId, camera)) {
                batch.add(directory.camerasMessage());
            }
        }
    }

    private void seen(String cameraId, List<Outbound> batch) {
        if (directory.seen(cameraId)) {
            batch.add(directory.camerasMessage());
        }
    }

    private void preview(String cameraId, ConsumerRecord<byte[], byte[]> record, List<Outbound> batch) {
        long timestamp = record.timestamp();
        Long last = lastPreviewMillis.get(cameraId);
        // Thinned by the record's timestamp before decoding: most frames are never decoded here.
        if (last != null && timestamp - last < previewIntervalMillis && timestamp >= last
                || System.currentTimeMillis() - timestamp > MAX_PREVIEW_AGE_MILLIS) {
            return;
        }
        Frame frame = Topics.FRAMES.decode(record);
        if (frame == null) {
            return;
        }
        lastPreviewMillis.put(cameraId, timestamp);
        seen(cameraId, batch);
        batch.add(Outbound.binary(Stream.PREVIEW, cameraId, previewMessage(frame)));
    }

    /**
     * A preview as one binary WebSocket message: a 4-byte big-endian length, that many bytes of UTF-8 JSON header,
     * then the JPEG.
     */
    static Buffer previewMessage(Frame frame) {
        byte[] header = new JsonObject()
                .put("type", "preview")
                .put("cameraId", frame.getCameraId())
                .put("frameSeq", frame.getSeq())
                .put("captureTime", frame.getCaptureTime().toEpochMilli())
                .put("width", frame.getWidth())
                .put("height", frame.getHeight())
                .encode().getBytes(StandardCharsets.UTF_8);
        java.nio.ByteBuffer jpeg = frame.getJpeg();
        Buffer buffer = Buffer.buffer(4 + header.length + jpeg.remaining());
        buffer.appendInt(header.length).appendBytes(header);
        byte[] bytes = new byte[jpeg.remaining()];
        jpeg.duplicate().get(bytes);
        return buffer.appendBytes(bytes);
    }

    private static List<Topic<?>> concat(Collection<Topic<?>> a, Collection<Topic<?>> b) {
        List<Topic<?>> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
