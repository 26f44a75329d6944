package io.strix.detector.replay;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.strix.common.kafka.KafkaClients;
import io.strix.detector.inference.InferenceEngine;
import io.strix.detector.pipeline.DetectorMetrics;
import io.strix.detector.pipeline.DetectorMetrics.Stage;
import io.strix.detector.pipeline.FrameBatch;
import io.strix.detector.pipeline.FrameInput;
import io.strix.detector.pipeline.FrameOutcome;
import io.strix.detector.pipeline.FramePipeline;
import io.strix.detector.postprocess.Postprocessor;
import io.strix.schema.Frame;
import io.strix.schema.FrameDetections;
import io.strix.schema.FrameRef;
import io.strix.schema.ModelRef;
import io.strix.wire.RecordDecodeException;
import io.strix.wire.Topic;
import io.strix.wire.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replay: the frames of {@code strix.frames} in a time range go through the detector's own pipeline
 * ({@link FramePipeline}: decode, letterbox, ONNX Runtime, post-processing) with another model, one
 * {@code FrameDetections} per frame into a shadow topic (same schema, key and lineage as production). Every
 * {@code compareEvery} replayed frames, and at the end, production's records of those frames are taken from
 * {@code strix.detections} ({@link ProductionRecords}, read forward once) and compared with them, so memory holds one
 * chunk of frames however long the range.
 */
public final class Replay {
    private static final Logger LOG = LoggerFactory.getLogger(Replay.class);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    /**
     * @param productionSlack production records are looked for this much before and after the frames they are of
     *                        (they are written after their frames, and by another host's clock)
     * @param instanceId      written into every replayed record as the detector instance
     * @param compareEvery    replayed frames held in memory before they are compared with production
     */
    public record Settings(String bootstrapServers, Instant from, Instant to, String outputTopic, int topicPartitions,
                           int topicReplication, Duration productionSlack, double matchIou, int maxBatch,
                           boolean scaledDecode, Postprocessor.Settings postprocessing, String instanceId,
                           int compareEvery) {
    }

    /** A frame's identity across topics: its camera and sequence number. */
    record FrameKey(String cameraId, long seq) {
        static FrameKey of(FrameRef ref) {
            return new FrameKey(ref.getCameraId(), ref.getFrameSeq());
        }
    }

    /** The candidate's side of a replay. */
    private record Replayed(long frames, long notFrames, double inferenceMillisPerFrame, double seconds) {
    }

    /** A prepared batch on its way through inference, with the keys and timestamps of its frame records. */
    private record InFlight(List<byte[]> keys, List<Long> timestamps, Future<FrameBatch> inferred) {
    }

    /**
     * Replayed frames not compared yet, and the latest of their frame records' timestamps: production's records of
     * them lie before it plus the production slack.
     */
    private static final class Chunk {
        final List<FrameDetections> frames = new ArrayList<>();
        long maxTimestamp = Long.MIN_VALUE;

        void add(FrameDetections detections, long timestamp) {
            frames.add(detections);
            maxTimestamp = Math.max(maxTimestamp, timestamp);
        }
    }

    private final Settings settings;
    private final InferenceEngine engine;
    private final String clientId;

    public Replay(Settings settings, InferenceEngine engine) {
        this.settings = settings;
        this.engine = engine;
        this.clientId = "strix-" + settings.instanceId();
    }

    public ReplayReport run() throws Exception {
        Topic<FrameDetections> shadow = ShadowTopic.of(settings.outputTopic());
        int productionPartitions;
        try (Admin admin = Admin.create(KafkaClients.admin(settings.bootstrapServers(), clientId + "-admin"))) {
            productionPartitions = ShadowTopic.ensure(admin, shadow, settings.topicPartitions(),
                    settings.topicReplication());
        }
        if (productionPartitions < 0) {
            LOG.warn("{} does not exist: there is nothing to compare with", Topics.DETECTIONS.name());
        }
        try (Comparer comparer = new Comparer(productionPartitions >= 0)) {
            Replayed replayed = replayFrames(shadow, comparer);
            if (replayed.frames() == 0) {
                LOG.warn("No frames in {} between {} and {} ({} keeps {} of frames)", Topics.FRAMES.name(),
                        settings.from(), settings.to(), Topics.FRAMES.name(),
                        Duration.ofMillis(Long.parseLong(Topics.FRAMES.configs().get("retention.ms"))));
            }
            ModelRef model = new ModelRef(engine.model().name(), engine.model().version());
            return new ReplayReport(settings.from(), settings.to(), shadow.name(), model,
                    settings.postprocessing().confidence(), settings.postprocessing().iouThreshold(),
                    comparer.comparison, replayed.notFrames(), comparer.productionRead(), comparer.first,
                    comparer.last, replayed.inferenceMillisPerFrame(), replayed.seconds());
        }
    }

    /** Compares chunks of replayed frames with production's records of them, adding up as it goes. */
    private final class Comparer implements AutoCloseable {
        final Comparison comparison = new Comparison(settings.matchIou());
        final boolean productionExists;
        /**
         * Opened at the first comparison, not when the replay starts: it reads up to strix.detections' end at that
         * moment, by when production has written its records of the range's last frames (a range ending "now").
         */
        ProductionRecords production;
        Instant first;
        Instant last;

        Comparer(boolean productionExists) {
            this.productionExists = productionExists;
        }

        long productionRead() {
            return production == null ? 0 : production.read();
        }

        void compare(Chunk chunk) {
            if (chunk.frames.isEmpty()) {
                return;
            }
            Map<FrameKey, FrameDetections> records = Map.of();
            if (productionExists) {
                if (production == null) {
                    production = new ProductionRecords(consumer("production", 500), settings.from(), settings.to(),
                            settings.productionSlack());
                }
                Set<FrameKey> wanted = new HashSet<>();
                chunk.frames.forEach(d -> wanted.add(FrameKey.of(d.getFrame())));
                records = production.take(wanted, Instant.ofEpochMilli(chunk.maxTimestamp));
            }
            for (FrameDetections candidate : chunk.frames) {
                comparison.add(candidate, records.get(FrameKey.of(candidate.getFrame())));
                Instant capture = candidate.getFrame().getCaptureTime();
                first = first == null || capture.isBefore(first) ? capture : first;
                last = last == null || capture.isAfter(last) ? capture : last;
            }
        }

        @Override
        public void close() {
            if (production != null) {
                production.close();
            }
        }
    }

    private Replayed replayFrames(Topic<FrameDetections> shadow, Comparer comparer) throws Exception {
        DetectorMetrics metrics = new DetectorMetrics(new SimpleMeterRegistry());
        // The detector's settings, without its latency budget: a replayed frame is old by definition.
        FramePipeline.Settings pipelineSettings = new FramePipeline.Settings(settings.maxBatch(), Duration.ZERO,
                settings.instanceId(), settings.scaledDecode());
        Serializer<FrameDetections> serializer = shadow.valueSerde().serializer();
        AtomicReference<Exception> sendFailure = new AtomicReference<>();
        Chunk chunk = new Chunk();
        long replayed = 0;
        long notFrames = 0;
        long started = 0;
        ExecutorService inference = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "replay-inference");
            t.setDaemon(true);
            return t;
        });
        try (FramePipeline pipeline = new FramePipeline(engine, settings.postprocessing(), pipelineSettings, metrics,
                Clock.systemUTC());
             TimeRangeReader reader = new TimeRangeReader(consumer("frames", settings.maxBatch()),
                     Topics.FRAMES.name(), settings.from(), settings.to());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                     KafkaClients.producer(settings.bootstrapServers(), clientId + "-producer"),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            LOG.info("Replaying {} ({} partitions with frames in the range) {} .. {} through {} {} into {}",
                    Topics.FRAMES.name(), reader.partitionsInRange(), settings.from(), settings.to(),
                    engine.model().name(), engine.model().version(), shadow.name());
            started = System.nanoTime(); // from here on: reading, decoding, inference and writing
            Deque<ConsumerRecord<byte[], byte[]>> pending = new ArrayDeque<>();
            InFlight inFlight = null;
            long nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
            while (true) {
                while (pending.size() < settings.maxBatch() && !reader.done()) {
                    pending.addAll(reader.poll());
                }
                if (pending.isEmpty()) {
                    break;
                }
                List<FrameInput> inputs = new ArrayList<>();
                List<byte[]> keys = new ArrayList<>();
                List<Long> timestamps = new ArrayList<>();
                while (inputs.size() < settings.maxBatch() && !pending.isEmpty()) {
                    ConsumerRecord<byte[], byte[]> record = pending.poll();
                    try {
                        Frame frame = Topics.FRAMES.decode(record);
                        if (frame == null) {
                            throw new RecordDecodeException(record.topic(), record.partition(), record.offset(),
                                    null, "the record has no value", null);
                        }
                        inputs.add(new FrameInput(frame, record.partition(), record.offset()));
                        keys.add(record.key());
                        timestamps.add(record.timestamp());
                    } catch (RecordDecodeException e) {
                        notFrames++;
                        LOG.warn("{}; not replayed", e.getMessage());
                    }
                }
                if (inputs.isEmpty()) {
                    continue;
                }
                FrameBatch prepared = pipeline.prepare(inputs); // decodes while the previous batch is inferred
                if (inFlight != null) {
                    replayed += publish(await(inFlight), inFlight, pipeline, producer, shadow, serializer,
                            sendFailure, chunk);
                }
                inFlight = new InFlight(keys, timestamps, inference.submit(() -> pipeline.infer(prepared)));
                if (chunk.frames.size() >= settings.compareEvery()) {
                    comparer.compare(chunk); // while the batch just submitted is inferred
                    chunk = new Chunk();
                }
                if (System.nanoTime() > nextProgress) {
                    nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
                    LOG.info("Replayed {} frames ({} frames/s)", replayed, String.format("%.1f",
                            replayed / ((System.nanoTime() - started) / 1e9)));
                }
            }
            if (inFlight != null) {
                replayed += publish(await(inFlight), inFlight, pipeline, producer, shadow, serializer, sendFailure,
                        chunk);
            }
            producer.flush();
        } finally {
            // A batch still being inferred after a failure finishes before the caller closes the model.
            inference.shutdown();
            inference.awaitTermination(60, TimeUnit.SECONDS);
        }
        if (sendFailure.get() != null) {
            throw new ReplayException("writing to " + shadow.name() + " failed: " + sendFailure.get().getMessage(),
                    sendFailure.get());
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double inferred = metrics.batchSize().totalAmount();
        double inferenceMillis = inferred == 0 ? 0 : metrics.stage(Stage.INFER).totalTime(TimeUnit.MILLISECONDS)
                / inferred;
        LOG.info("Replayed {} frames into {} in {} s", replayed, shadow.name(), String.format("%.1f", seconds));
        comparer.compare(chunk);
        return new Replayed(replayed, notFrames, inferenceMillis, seconds);
    }

    private static FrameBatch await(InFlight inFlight) throws InterruptedException {
        try {
            return inFlight.inferred().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the inference thread failed", e.getCause());
        }
    }

    /** Writes a batch's detections and adds them to the chunk; returns how many frames it held. */
    private static int publish(FrameBatch batch, InFlight inFlight, FramePipeline pipeline,
                               KafkaProducer<byte[], byte[]> producer, Topic<FrameDetections> shadow,
                               Serializer<FrameDetections> serializer, AtomicReference<Exception> sendFailure,
                               Chunk chunk) {
        if (sendFailure.get() != null) {
            throw new ReplayException("writing to " + shadow.name() + " failed: " + sendFailure.get().getMessage(),
                    sendFailure.get());
        }
        List<FrameOutcome> outcomes = pipeline.finish(batch);
        for (int i = 0; i < outcomes.size(); i++) {
            FrameOutcome outcome = outcomes.get(i);
            FrameDetections detections = outcome.detections();
            outcome.undecodable().ifPresent(why -> LOG.warn("Frame {} of camera {} ({} partition {} offset {}) "
                    + "cannot be decoded: {}", detections.getFrame().getFrameSeq(),
                    detections.getFrame().getCameraId(), Topics.FRAMES.name(), outcome.input().partition(),
                    outcome.input().offset(), why));
            // The production detector's key: the frame record's own, else the camera id.
            byte[] key = inFlight.keys().get(i) != null ? inFlight.keys().get(i)
                    : detections.getFrame().getCameraId().getBytes(StandardCharsets.UTF_8);
            producer.send(new ProducerRecord<>(shadow.name(), key, serializer.serialize(shadow.name(), detections)),
                    (metadata, error) -> {
                        if (error != null) {
                            sendFailure.compareAndSet(null, error);
                        }
                    });
            chunk.add(detections, inFlight.timestamps().get(i));
        }
        return outcomes.size();
    }

    private KafkaConsumer<byte[], byte[]> consumer(String purpose, int maxPollRecords) {
        Map<String, Object> props = new HashMap<>(KafkaClients.consumer(settings.bootstrapServers(),
                clientId + "-" + purpose, "unused"));
        props.remove(ConsumerConfig.GROUP_ID_CONFIG); // assigned partitions, nothing committed
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false); // a missing topic is reported, not made
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(16, maxPollRecords * 4));
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
