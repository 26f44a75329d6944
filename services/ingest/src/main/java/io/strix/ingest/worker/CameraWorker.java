package io.strix.ingest.worker;

import io.micrometer.core.instrument.MeterRegistry;
import io.strix.common.redact.Redact;
import io.strix.ingest.source.CameraSource;
import io.strix.ingest.source.SourceException;
import io.strix.ingest.source.SourceFactory;
import io.strix.schema.CameraConfig;
import io.strix.schema.CameraState;
import io.strix.schema.CameraStatus;
import io.strix.schema.Frame;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests one camera: connects, decodes, samples to the target fps, JPEG-encodes and hands frames to Kafka through a
 * bounded queue (oldest dropped when Kafka is slow). Reconnects with backoff after errors and at the end of a
 * stream; a stream that stays silent is reported STALLED and torn down. Every state change becomes a status record.
 */
public final class CameraWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CameraWorker.class);
    private static final Duration HEARTBEAT = Duration.ofSeconds(10);

    private final CameraConfig camera;
    private final String instanceId;
    private final SourceFactory sources;
    private final FrameSink sink;
    private final WorkerSettings settings;
    private final CameraMetrics metrics;
    private final String redactedUrl;
    private final BlockingQueue<Frame> queue;
    private final Semaphore inFlight;
    private final Thread decodeThread;
    private final Thread publishThread;
    private final Backoff backoff;

    private volatile boolean stopping;
    private volatile CameraState state = CameraState.STOPPED; // until start()
    private volatile long stateSinceNanos = System.nanoTime();
    private volatile Instant stateSince = Instant.now();
    private volatile String lastError;
    /** The error of the last status record sent, so a repeated state with the same error is not sent again. */
    private volatile String lastReported;
    private volatile long lastPictureNanos = System.nanoTime();
    private volatile Long lastSeq;
    private volatile Instant lastFrameTime;
    private volatile int reconnects;
    private volatile long nextSeq;
    private long lastHeartbeatNanos = System.nanoTime();

    /** @param firstSeq the sequence number of the first frame, one past the camera's last published frame */
    public CameraWorker(CameraConfig camera, String instanceId, long firstSeq, SourceFactory sources, FrameSink sink,
                        WorkerSettings settings, MeterRegistry registry) {
        this.camera = camera;
        this.instanceId = instanceId;
        this.nextSeq = firstSeq;
        this.sources = sources;
        this.sink = sink;
        this.settings = settings;
        this.metrics = new CameraMetrics(registry, camera.getCameraId());
        this.redactedUrl = Redact.url(camera.getUrl());
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.inFlight = new Semaphore(settings.maxInFlight());
        this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff(), ThreadLocalRandom.current());
        this.decodeThread = new Thread(this::decodeLoop, "ingest-" + camera.getCameraId());
        this.publishThread = new Thread(this::publishLoop, "publish-" + camera.getCameraId());
        decodeThread.setDaemon(true);
        publishThread.setDaemon(true);
    }

    public CameraConfig camera() {
        return camera;
    }

    public CameraState state() {
        return state;
    }

    public void start() {
        setState(CameraState.CONNECTING, null);
        decodeThread.start();
        publishThread.start();
    }

    /**
     * Called about once a second by the ingest's watchdog: reports a streaming camera STALLED when no picture came
     * for the stall timeout (the decode loop's read timeout then tears the stream down), and sends a status
     * heartbeat with the current fps every few seconds.
     */
    public void watchdog() {
        long silentNanos = System.nanoTime() - Math.max(lastPictureNanos, stateSinceNanos);
        if (state == CameraState.STREAMING && silentNanos > settings.stallTimeout().toNanos()) {
            setState(CameraState.STALLED, "no picture for " + Duration.ofNanos(silentNanos).toSeconds() + " s");
        }
        if (System.nanoTime() - lastHeartbeatNanos > HEARTBEAT.toNanos()) {
            lastHeartbeatNanos = System.nanoTime();
            sink.status(status());
        }
    }

    private void decodeLoop() {
        try (JpegEncoder encoder = new JpegEncoder(camera.getJpegQuality())) {
            boolean first = true;
            while (!stopping) {
                if (!first) {
                    setState(CameraState.CONNECTING, lastError);
                }
                first = false;
                try (CameraSource source = sources.open(camera, settings.readTimeout())) {
                    stream(source, encoder);
                    lastError = "end of stream";
                } catch (SourceException e) {
                    lastError = e.getMessage();
                    if (e.kind() == SourceException.Kind.UNRECOVERABLE) {
                        setState(CameraState.FAILED, lastError);
                        LOG.error("Camera {} failed: {}", camera.getCameraId(), lastError);
                        return;
                    }
                    if (e.kind() == SourceException.Kind.STALLED) {
                        setState(CameraState.STALLED, lastError);
                    }
                } catch (RuntimeException e) {
                    lastError = Redact.url(e.toString());
                    LOG.warn("Camera {}: unexpected error", camera.getCameraId(), e);
                }
                if (stopping) {
                    break;
                }
                Duration delay = backoff.next();
                reconnects++;
                metrics.reconnects.increment();
                setState(CameraState.RECONNECTING, lastError);
                LOG.info("Camera {}: {}; reconnecting in {} ms", camera.getCameraId(), lastError, delay.toMillis());
                sleep(delay);
            }
        } finally {
            if (state != CameraState.FAILED) {
                setState(CameraState.STOPPED, null);
            }
        }
    }

    private void stream(CameraSource source, JpegEncoder encoder) throws SourceException {
        FrameSampler sampler = new FrameSampler(camera.getTargetFps());
        long silentSince = System.nanoTime();
        long lastTimestamp = -1;
        long lastStep = 0;
        while (!stopping) {
            // Convert only a picture the sampler may keep: predict its time from the previous step, with half a
            // step of slack for jitter. Skipped pictures are decoded but never converted to BGR.
            boolean convert = lastStep == 0 || sampler.wouldAccept(lastTimestamp + lastStep + lastStep / 2);
            long start = System.nanoTime();
            org.bytedeco.javacv.Frame picture;
            try {
                picture = source.grab(convert);
            } catch (SourceException e) {
                // A read that timed out after a long silence is a frozen stream, not a broken one.
                if (System.nanoTime() - silentSince >= settings.readTimeout().toNanos() * 9 / 10) {
                    throw new SourceException("stalled: " + e.getMessage(), e, SourceException.Kind.STALLED);
                }
                throw e;
            }
            if (picture == null) {
                return;
            }
            Instant captured = Instant.now();
            long now = System.nanoTime();
            metrics.decodeTime.record(now - start, TimeUnit.NANOSECONDS);
            silentSince = now;
            lastPictureNanos = now;
            metrics.decoded.increment();
            if (state != CameraState.STREAMING) {
                backoff.reset();
                lastError = null;
                setState(CameraState.STREAMING, null);
            }
            long timestamp = source.timestampMicros();
            lastStep = lastTimestamp < 0 || timestamp <= lastTimestamp ? 0 : timestamp - lastTimestamp;
            lastTimestamp = timestamp;
            if (picture.image == null || !sampler.accept(timestamp)) {
                continue;
            }
            long encodeStart = System.nanoTime();
            byte[] jpeg = encoder.encode(picture);
            metrics.encodeTime.record(System.nanoTime() - encodeStart, TimeUnit.NANOSECONDS);
            Frame frame = Frame.newBuilder()
                    .setCameraId(camera.getCameraId())
                    .setSeq(nextSeq++)
                    .setCaptureTime(captured)
                    .setStreamPtsMicros(timestamp)
                    .setWidth(picture.imageWidth)
                    .setHeight(picture.imageHeight)
                    .setJpeg(ByteBuffer.wrap(jpeg))
                    .setIngestInstance(instanceId)
                    .build();
            enqueue(frame);
        }
    }

    /** Bounded hand-off to the publisher: when full, the oldest frame goes, so the camera stays live. */
    private void enqueue(Frame frame) {
        while (!queue.offer(frame)) {
            if (queue.poll() != null) {
                metrics.droppedQueueFull.increment();
            }
        }
    }

    private void publishLoop() {
        while (!stopping || !queue.isEmpty()) {
            Frame frame;
            try {
                frame = queue.poll(200, TimeUnit.MILLISECONDS);
                if (frame == null) {
                    continue;
                }
                inFlight.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            sink.send(frame, error -> {
                inFlight.release();
                if (error == null) {
                    metrics.onPublished();
                    lastSeq = frame.getSeq();
                    lastFrameTime = frame.getCaptureTime();
                } else {
                    metrics.sendFailed.increment();
                    LOG.warn("Camera {}: frame {} not written: {}", camera.getCameraId(), frame.getSeq(), error.toString());
                }
            });
        }
    }

    private synchronized void setState(CameraState newState, String error) {
        if (newState == state && java.util.Objects.equals(error, lastReported)) {
            return;
        }
        if (newState != state) {
            stateSinceNanos = System.nanoTime();
            stateSince = Instant.now();
        }
        state = newState;
        lastReported = error;
        sink.status(status());
    }

    /** The camera's current status record. */
    public CameraStatus status() {
        return CameraStatus.newBuilder()
                .setCameraId(camera.getCameraId())
                .setState(state)
                .setUrl(redactedUrl)
                .setError(lastReported == null ? null : Redact.url(lastReported))
                .setInstanceId(instanceId)
                .setSince(stateSince)
                .setReconnects(reconnects)
                .setFps(metrics.fps())
                .setLastFrameSeq(lastSeq)
                .setLastFrameTime(lastFrameTime)
                .setUpdatedAt(Instant.now())
                .build();
    }

    private void sleep(Duration delay) {
        long end = System.nanoTime() + delay.toNanos();
        while (!stopping && System.nanoTime() < end) {
            try {
                Thread.sleep(Math.min(100, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Stops decoding, lets queued frames reach Kafka, and reports STOPPED. Blocks until done (at most the read
     * timeout plus a few seconds), so a camera handed to another instance is never ingested twice at once.
     */
    @Override
    public void close() {
        stopping = true;
        join(decodeThread, settings.readTimeout().plusSeconds(5));
        join(publishThread, Duration.ofSeconds(5));
        try {
            // Wait for the frames in flight, so the next owner's sequence recovery sees them.
            if (inFlight.tryAcquire(settings.maxInFlight(), 10, TimeUnit.SECONDS)) {
                inFlight.release(settings.maxInFlight());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The sequence number the next frame would get. */
    public long nextSeq() {
        return nextSeq;
    }

    private static void join(Thread thread, Duration timeout) {
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
