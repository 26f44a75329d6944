package io.strix.detector.pipeline;

import io.strix.detector.decode.JpegDecoder;
import io.strix.detector.decode.UndecodableImageException;
import io.strix.detector.inference.InferenceEngine;
import io.strix.detector.inference.ModelInfo;
import io.strix.detector.pipeline.DetectorMetrics.Stage;
import io.strix.detector.postprocess.FrameBoxes;
import io.strix.detector.postprocess.Postprocessor;
import io.strix.detector.postprocess.ScoredBox;
import io.strix.detector.preprocess.LetterboxWriter;
import io.strix.schema.Detection;
import io.strix.schema.Frame;
import io.strix.schema.FrameDetections;
import io.strix.schema.FrameRef;
import io.strix.schema.ModelRef;
import io.strix.schema.SkipReason;
import java.nio.FloatBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames in, one {@link FrameOutcome} per frame out, in three steps that may run on different threads so that one
 * batch is decoded while the previous one is inferred: {@link #prepare} (staleness check, JPEG decode, letterbox into
 * one of two reused direct input buffers), {@link #infer} (ONNX Runtime), {@link #finish} (confidence filter,
 * class-aware NMS, boxes mapped back to the frame). {@code prepare} and {@code finish} stay on one thread each; at
 * most two batches are between {@code prepare} and {@code infer} (or {@link #discard}) at a time.
 */
public final class FramePipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FramePipeline.class);

    /**
     * @param maxBatch    the most frames one inference takes
     * @param maxFrameAge a frame older than this when its turn comes is skipped as STALE; zero: no limit
     * @param instanceId  written into every record as the detector instance
     * @param scaledDecode decode JPEGs at 1/2, 1/4 or 1/8 of their size when that is still at least the letterbox
     *                     size (libjpeg-turbo's DCT scaling: a fraction of the decode time); false: full size, then
     *                     {@code INTER_AREA}
     */
    public record Settings(int maxBatch, Duration maxFrameAge, String instanceId, boolean scaledDecode) {
        public Settings(int maxBatch, Duration maxFrameAge, String instanceId) {
            this(maxBatch, maxFrameAge, instanceId, true);
        }
    }

    private final InferenceEngine engine;
    private final ModelInfo model;
    private final ModelRef modelRef;
    private final Postprocessor postprocessor;
    private final DetectorMetrics metrics;
    private final Settings settings;
    private final Clock clock;
    private final BlockingQueue<FloatBuffer> freeInputs = new ArrayBlockingQueue<>(2);
    private final JpegDecoder decoder = new JpegDecoder();
    private final LetterboxWriter letterboxer;

    public FramePipeline(InferenceEngine engine, Postprocessor.Settings postprocessing, Settings settings,
                         DetectorMetrics metrics, Clock clock) {
        this.engine = engine;
        this.model = engine.model();
        this.modelRef = new ModelRef(model.name(), model.version());
        this.postprocessor = new Postprocessor(postprocessing, model.layout(), model.locations(), model.classes());
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
        this.letterboxer = new LetterboxWriter(model.input());
        for (int i = 0; i < 2; i++) {
            freeInputs.add(InferenceEngine.direct(settings.maxBatch() * engine.inputFloatsPerImage()));
        }
    }

    public ModelInfo model() {
        return model;
    }

    public Settings settings() {
        return settings;
    }

    /** All three steps on the calling thread. */
    public List<FrameOutcome> process(List<FrameInput> frames) throws InterruptedException {
        return finish(infer(prepare(frames)));
    }

    /**
     * Skips stale frames, decodes and letterboxes the others into a free input buffer (waiting for one if both are
     * taken by batches not yet inferred).
     */
    public FrameBatch prepare(List<FrameInput> frames) throws InterruptedException {
        if (frames.size() > settings.maxBatch()) {
            throw new IllegalArgumentException(frames.size() + " frames for batches of " + settings.maxBatch());
        }
        FrameBatch batch = new FrameBatch(frames);
        long decodeNanos = 0;
        long preprocessNanos = 0;
        long now = clock.millis();
        long maxAge = settings.maxFrameAge().toMillis();
        for (int i = 0; i < frames.size(); i++) {
            Frame frame = frames.get(i).frame();
            batch.slot[i] = -1;
            batch.width[i] = frame.getWidth();
            batch.height[i] = frame.getHeight();
            long age = now - frame.getCaptureTime().toEpochMilli();
            if (maxAge > 0 && age > maxAge) {
                batch.skipped[i] = SkipReason.STALE;
                batch.skipDetail[i] = "frame was " + age + " ms old when its turn came; --max-frame-age is "
                        + maxAge + " ms";
                continue;
            }
            long started = System.nanoTime();
            int reduction = settings.scaledDecode()
                    ? JpegDecoder.reductionFor(frame.getWidth(), frame.getHeight(), model.input()) : 1;
            Mat picture;
            try {
                picture = decoder.decode(frame.getJpeg(), reduction);
            } catch (UndecodableImageException e) {
                batch.skipped[i] = SkipReason.UNDECODABLE;
                batch.skipDetail[i] = e.getMessage();
                batch.undecodable[i] = true;
                decodeNanos += System.nanoTime() - started;
                continue;
            }
            long decoded = System.nanoTime();
            decodeNanos += decoded - started;
            if (batch.input == null) {
                batch.input = freeInputs.take();
            }
            batch.pictureWidth[i] = picture.cols();
            batch.pictureHeight[i] = picture.rows();
            boolean declaredSize = JpegDecoder.ceilDiv(frame.getWidth(), reduction) == picture.cols()
                    && JpegDecoder.ceilDiv(frame.getHeight(), reduction) == picture.rows();
            batch.width[i] = declaredSize ? frame.getWidth() : picture.cols() * reduction;
            batch.height[i] = declaredSize ? frame.getHeight() : picture.rows() * reduction;
            batch.slot[i] = batch.inferred;
            batch.letterbox[i] = letterboxer.write(picture, batch.input, batch.inferred++);
            preprocessNanos += System.nanoTime() - decoded;
        }
        metrics.record(Stage.DECODE, decodeNanos);
        metrics.record(Stage.PREPROCESS, preprocessNanos);
        return batch;
    }

    /** Runs the model on the batch's letterboxed frames and frees its input buffer; an error is kept, not thrown. */
    public FrameBatch infer(FrameBatch batch) {
        if (batch.inferred == 0) {
            return batch;
        }
        long started = System.nanoTime();
        try {
            batch.output = engine.run(batch.input, batch.inferred);
        } catch (Exception e) {
            batch.inferenceError = "inference failed: " + e;
            LOG.error("Inference of a batch of {} frames failed; they are published as skipped", batch.inferred, e);
        } finally {
            freeInputs.add(batch.input);
            batch.input = null;
        }
        metrics.record(Stage.INFER, System.nanoTime() - started);
        metrics.batch(batch.inferred);
        return batch;
    }

    /** Drops a prepared batch that will not be inferred (its records will be read again), freeing its buffer. */
    public void discard(FrameBatch batch) {
        if (batch.input != null) {
            freeInputs.add(batch.input);
            batch.input = null;
        }
    }

    /** One outcome per frame of the batch, in order. */
    public List<FrameOutcome> finish(FrameBatch batch) {
        long started = System.nanoTime();
        Instant now = clock.instant();
        List<FrameOutcome> outcomes = new ArrayList<>(batch.frames.size());
        for (int i = 0; i < batch.frames.size(); i++) {
            FrameInput input = batch.frames.get(i);
            SkipReason skipped = batch.skipped[i];
            String detail = batch.skipDetail[i];
            List<Detection> detections = List.of();
            if (skipped == null && batch.inferenceError != null) {
                skipped = SkipReason.INFERENCE_ERROR;
                detail = batch.inferenceError;
            } else if (skipped == null) {
                detections = detections(batch, i);
            }
            if (skipped != null) {
                metrics.skipped(skipped);
            }
            outcomes.add(new FrameOutcome(input, new FrameDetections(frameRef(input), batch.width[i], batch.height[i],
                    modelRef, skipped, detail, detections, now, settings.instanceId()),
                    batch.undecodable[i] ? Optional.of(detail) : Optional.empty()));
        }
        metrics.record(Stage.POSTPROCESS, System.nanoTime() - started);
        return outcomes;
    }

    private List<Detection> detections(FrameBatch batch, int i) {
        List<ScoredBox> boxes = postprocessor.detect(batch.output, batch.slot[i]);
        List<Detection> detections = new ArrayList<>(boxes.size());
        for (ScoredBox box : boxes) {
            detections.add(new Detection(box.classId(), model.className(box.classId()), box.score(),
                    FrameBoxes.normalized(box, batch.letterbox[i], batch.pictureWidth[i], batch.pictureHeight[i])));
        }
        return detections;
    }

    private static FrameRef frameRef(FrameInput input) {
        Frame frame = input.frame();
        return new FrameRef(frame.getCameraId(), frame.getSeq(), frame.getCaptureTime(), input.partition(),
                input.offset());
    }

    @Override
    public void close() {
        letterboxer.close();
        decoder.close();
    }
}
