package io.strix.it.faults;

import io.strix.common.kafka.KafkaClients;
import io.strix.schema.Alert;
import io.strix.schema.CameraStatus;
import io.strix.schema.Frame;
import io.strix.schema.FrameDetections;
import io.strix.schema.TrackSnapshot;
import io.strix.wire.RecordDecodeException;
import io.strix.wire.Topic;
import io.strix.wire.Topics;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the pipeline's topics from the beginning in the background, {@code read_committed} like every Strix
 * consumer, and keeps what the fault checks compare: every frame (without its picture), every detection, track
 * snapshot, alert and camera status, and the raw detections and rules for replaying them. It reads by assignment,
 * without a consumer group, so a broker restart only pauses it.
 */
final class PipelineLedger implements AutoCloseable {
    /** A record as read: its value, where it sits, and when this reader saw it (wall clock, epoch ms). */
    record Entry<V>(V value, int partition, long offset, long seenAt) {
    }

    private static final List<Topic<?>> READ = List.of(Topics.FRAMES, Topics.DETECTIONS, Topics.TRACKS, Topics.ALERTS,
            Topics.CAMERA_STATUS, Topics.RULES);
    private static final ByteBuffer NO_PICTURE = ByteBuffer.allocate(0);

    private final String bootstrapServers;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Admin admin;
    private final Thread thread;
    private final Object lock = new Object();
    private final List<Entry<Frame>> frames = new ArrayList<>();
    private final List<Entry<FrameDetections>> detections = new ArrayList<>();
    private final List<Entry<TrackSnapshot>> tracks = new ArrayList<>();
    private final List<Entry<Alert>> alerts = new ArrayList<>();
    private final List<Entry<CameraStatus>> statuses = new ArrayList<>();
    private final List<ConsumerRecord<byte[], byte[]>> rawDetections = new ArrayList<>();
    private final List<ConsumerRecord<byte[], byte[]>> rawRules = new ArrayList<>();
    private final List<String> undecodable = new ArrayList<>();
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private volatile boolean running = true;

    /** Starts reading; the topics must exist. */
    PipelineLedger(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        Map<String, Object> props = KafkaClients.consumer(bootstrapServers, "it-faults-ledger", "unused");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5_000);
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        admin = Admin.create(KafkaClients.admin(bootstrapServers, "it-faults-ledger-admin"));
        List<TopicPartition> partitions = new ArrayList<>();
        for (Topic<?> topic : READ) {
            consumer.partitionsFor(topic.name()).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::run, "it-faults-ledger");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                var records = consumer.poll(Duration.ofMillis(100));
                long now = System.currentTimeMillis();
                synchronized (lock) {
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        add(record, now);
                    }
                    for (TopicPartition partition : consumer.assignment()) {
                        positions.put(partition, consumer.position(partition));
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    private void add(ConsumerRecord<byte[], byte[]> record, long now) {
        try {
            switch (record.topic()) {
                case "strix.frames" -> {
                    // The picture is of no use here and would fill the heap.
                    Frame frame = Frame.newBuilder(Topics.FRAMES.decode(record)).setJpeg(NO_PICTURE).build();
                    frames.add(new Entry<>(frame, record.partition(), record.offset(), now));
                }
                case "strix.detections" -> {
                    detections.add(new Entry<>(Topics.DETECTIONS.decode(record), record.partition(), record.offset(),
                            now));
                    rawDetections.add(record);
                }
                case "strix.tracks" ->
                        tracks.add(new Entry<>(Topics.TRACKS.decode(record), record.partition(), record.offset(), now));
                case "strix.alerts" ->
                        alerts.add(new Entry<>(Topics.ALERTS.decode(record), record.partition(), record.offset(), now));
                case "strix.camera-status" -> {
                    CameraStatus status = Topics.CAMERA_STATUS.decode(record);
                    if (status != null) {
                        statuses.add(new Entry<>(status, record.partition(), record.offset(), now));
                    }
                }
                case "strix.rules" -> rawRules.add(record);
                default -> throw new IllegalStateException("not read: " + record.topic());
            }
        } catch (RecordDecodeException | NullPointerException e) {
            undecodable.add(record.topic() + " partition " + record.partition() + " offset " + record.offset() + ": "
                    + e.getMessage());
        }
    }

    List<Entry<Frame>> frames() {
        return copy(frames);
    }

    List<Entry<FrameDetections>> detections() {
        return copy(detections);
    }

    List<Entry<TrackSnapshot>> tracks() {
        return copy(tracks);
    }

    List<Entry<Alert>> alerts() {
        return copy(alerts);
    }

    List<Entry<CameraStatus>> statuses() {
        return copy(statuses);
    }

    List<ConsumerRecord<byte[], byte[]>> rawDetections() {
        return copy(rawDetections);
    }

    List<ConsumerRecord<byte[], byte[]>> rawRules() {
        return copy(rawRules);
    }

    /** Records this reader could not decode; every Strix service writes decodable records only. */
    List<String> undecodable() {
        return copy(undecodable);
    }

    private <T> List<T> copy(List<T> list) {
        synchronized (lock) {
            return List.copyOf(list);
        }
    }

    /** The end of the committed records of each partition of {@code topic} now (the last stable offsets). */
    Map<TopicPartition, Long> committedEnd(Topic<?> topic) {
        return endOffsets(topic, IsolationLevel.READ_COMMITTED);
    }

    /** Whether a transaction is open on {@code topic} with records already written: its log ends past the stable end. */
    boolean transactionOpen(Topic<?> topic) {
        Map<TopicPartition, Long> stable = committedEnd(topic);
        Map<TopicPartition, Long> written = endOffsets(topic, IsolationLevel.READ_UNCOMMITTED);
        return written.entrySet().stream().anyMatch(e -> e.getValue() > stable.get(e.getKey()));
    }

    private Map<TopicPartition, Long> endOffsets(Topic<?> topic, IsolationLevel isolation) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        synchronized (lock) {
            positions.keySet().stream().filter(p -> p.topic().equals(topic.name()))
                    .forEach(p -> latest.put(p, OffsetSpec.latest()));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                Map<TopicPartition, Long> ends = new HashMap<>();
                admin.listOffsets(latest, new ListOffsetsOptions(isolation)).all()
                        .get(15, TimeUnit.SECONDS).forEach((p, info) -> ends.put(p, info.offset()));
                return ends;
            } catch (ExecutionException | TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("Cannot read the end offsets of " + topic.name(), e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /**
     * Records of {@code topic} that a {@code read_uncommitted} reader sees below the last stable offsets and this
     * {@code read_committed} reader does not: the output of aborted transactions, e.g. of a process killed in the
     * middle of one. They show that a fault hit while a transaction was open.
     */
    long abortedRecords(Topic<?> topic, Duration timeout) {
        Map<TopicPartition, Long> stable = committedEnd(topic);
        awaitRead(stable, timeout);
        Set<String> committed = new HashSet<>();
        List<? extends Entry<?>> entries = switch (topic.name()) {
            case "strix.detections" -> detections();
            case "strix.tracks" -> tracks();
            case "strix.alerts" -> alerts();
            default -> throw new IllegalArgumentException("not kept: " + topic.name());
        };
        entries.forEach(e -> committed.add(e.partition() + "@" + e.offset()));
        Map<String, Object> props = KafkaClients.consumer(bootstrapServers, "it-faults-uncommitted", "unused");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        long aborted = 0;
        try (KafkaConsumer<byte[], byte[]> uncommitted = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            uncommitted.assign(stable.keySet());
            uncommitted.seekToBeginning(stable.keySet());
            long deadline = System.nanoTime() + timeout.toNanos();
            while (stable.entrySet().stream().anyMatch(e -> uncommitted.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("Timed out reading " + topic.name() + " read_uncommitted");
                }
                for (ConsumerRecord<byte[], byte[]> record : uncommitted.poll(Duration.ofMillis(200))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() < stable.get(partition)
                            && !committed.contains(record.partition() + "@" + record.offset())) {
                        aborted++;
                    }
                }
            }
        }
        return aborted;
    }

    /** Waits until this reader has read every partition up to the given offsets. */
    void awaitRead(Map<TopicPartition, Long> ends, Duration timeout) {
        awaitCondition(() -> {
            synchronized (lock) {
                return ends.entrySet().stream().allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue());
            }
        }, timeout, "the ledger to read up to " + ends);
    }

    /** Waits until some entry matches and returns the first that does. */
    <V> Entry<V> await(Function<PipelineLedger, List<Entry<V>>> list, Predicate<Entry<V>> condition, Duration timeout,
                       String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Entry<V> entry : list.apply(this)) {
                if (condition.test(entry)) {
                    return entry;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            pause();
        }
    }

    /** Polls a condition every 200 ms until it holds, or fails naming what it waited for. */
    static void awaitCondition(BooleanSupplier condition, Duration timeout, String what) {
        awaitCondition(condition, timeout, () -> what);
    }

    /** As above; {@code what} is asked for when the time is up, so it can say what is still missing. */
    static void awaitCondition(BooleanSupplier condition, Duration timeout, Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout.toSeconds() + " s waiting for " + what.get());
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
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
        admin.close(Duration.ofSeconds(5));
    }
}
