package io.strix.aggregator.track;

import io.strix.schema.Detection;
import io.strix.schema.FrameDetections;
import io.strix.schema.FrameRef;
import io.strix.schema.Track;
import io.strix.schema.TrackSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One camera's multi-object tracker, ByteTrack (Zhang et al., 2022) with time-step-aware Kalman filters: turns each
 * frame's detections into the camera's confirmed tracks.
 *
 * <p>Per frame: detections overlapping a more confident one of another class by more than
 * {@link TrackerConfig#crossClassIou()} are dropped (one object the detector scored as two classes); every track is
 * predicted to the frame's capture time; high-score detections are matched to tracked
 * and lost tracks, then low-score detections to the tracked ones still unmatched (this is what recovers occluded
 * objects whose score drops); tentative tracks are matched to the leftover high-score detections; leftover
 * high-score detections start tentative tracks. A tentative track is confirmed, and only then given its id, after
 * {@link TrackerConfig#confirmHits()} consecutive matches, and dropped on its first miss. A confirmed track that
 * misses becomes lost and is removed {@link TrackerConfig#lostBufferSeconds()} after it was last seen. Skipped frames
 * only advance time: tracks are predicted, nothing is matched or missed, but a track unseen for longer than the
 * buffer is removed all the same. Snapshots list the confirmed tracks that are being tracked, plus lost ones for
 * {@link TrackerConfig#coastSeconds()} at their predicted box ({@code lastSeenFrameSeq} tells them apart), and are
 * stamped with the frame's capture time ({@code producedAt}), never the wall clock.
 *
 * <p>Frames are applied once, in frame sequence order: a frame whose sequence number is not above the last one
 * is ignored, so redelivered records change nothing. The whole state goes to bytes with {@link #toBytes()} and
 * comes back with {@link #fromBytes}; a restored tracker continues exactly as the original would have, with the same
 * track ids. Not thread-safe: one camera's frames are processed by one thread.
 */
public final class ByteTracker {
    /**
     * The most detections of one frame the tracker takes, the most confident ones. The assignment costs grow with
     * the cube of the boxes: a single record of twenty thousand boxes (the schema allows it, no detector writes it)
     * asked for a 3 GB cost matrix and stopped the stream thread; a thousand take a fraction of a second.
     */
    public static final int MAX_DETECTIONS_PER_FRAME = 500;

    private final String cameraId;
    private final TrackerConfig config;
    boolean hasFrame;
    long lastFrameSeq;
    long lastCaptureMillis;
    long nextTrackId = 1;
    /** In order of birth, which makes every decision independent of hashing or arrival details. */
    final List<TrackedObject> tracks = new ArrayList<>();

    public ByteTracker(String cameraId, TrackerConfig config) {
        this.cameraId = Objects.requireNonNull(cameraId, "cameraId");
        this.config = Objects.requireNonNull(config, "config");
    }

    /** Restores a tracker saved by {@link #toBytes()}; settings come from {@code config}, not from the bytes. */
    public static ByteTracker fromBytes(byte[] bytes, TrackerConfig config) {
        return TrackerStateCodec.decode(bytes, config);
    }

    /** The state, versioned, for a state store. */
    public byte[] toBytes() {
        return TrackerStateCodec.encode(this);
    }

    public String cameraId() {
        return cameraId;
    }

    public TrackerConfig config() {
        return config;
    }

    /** The sequence number of the last frame applied, empty before the first. */
    public Optional<Long> lastFrameSeq() {
        return hasFrame ? Optional.of(lastFrameSeq) : Optional.empty();
    }

    /**
     * Applies one frame's detections.
     *
     * @return the confirmed tracks after this frame, or empty when the frame is a duplicate or older than the last
     *     one applied
     * @throws IllegalArgumentException when the frame belongs to another camera
     */
    public Optional<TrackSnapshot> update(FrameDetections detections) {
        FrameRef frame = detections.getFrame();
        if (!cameraId.equals(frame.getCameraId())) {
            throw new IllegalArgumentException("tracker of camera '" + cameraId + "' got a frame of camera '"
                    + frame.getCameraId() + "'");
        }
        long seq = frame.getFrameSeq();
        if (hasFrame && seq <= lastFrameSeq) {
            return Optional.empty();
        }
        long captureMillis = frame.getCaptureTime().toEpochMilli();
        // A capture clock that steps back must not run the filters backwards.
        long now = hasFrame ? Math.max(captureMillis, lastCaptureMillis) : captureMillis;
        double dtSeconds = hasFrame ? (now - lastCaptureMillis) / 1000.0 : 0;
        hasFrame = true;
        lastFrameSeq = seq;
        lastCaptureMillis = now;

        for (TrackedObject track : tracks) {
            if (track.state == TrackState.LOST) {
                track.filter.freezeHeightVelocity();
            }
            track.filter.predict(dtSeconds);
        }
        removeExpired(now);
        if (detections.getSkipped() == null) {
            associate(detections.getDetections(), now, seq);
            removeGhosts();
        }
        return Optional.of(snapshot(frame, now));
    }

    private void associate(List<Detection> frameDetections, long now, long seq) {
        List<DetectionBox> boxes = new ArrayList<>();
        for (Detection detection : frameDetections == null ? List.<Detection>of() : frameDetections) {
            DetectionBox box = DetectionBox.of(detection);
            if (box != null) {
                boxes.add(box);
            }
        }
        if (boxes.size() > MAX_DETECTIONS_PER_FRAME) {
            boxes.sort(Comparator.comparingDouble(DetectionBox::score).reversed()); // stable: ties keep their order
            boxes = boxes.subList(0, MAX_DETECTIONS_PER_FRAME);
        }
        if (config.crossClassIou() < 1) {
            boxes = withoutCrossClassDuplicates(boxes, config.crossClassIou());
        }
        List<DetectionBox> high = new ArrayList<>();
        List<DetectionBox> low = new ArrayList<>();
        for (DetectionBox box : boxes) {
            if (box.score() >= config.highScore()) {
                high.add(box);
            } else if (box.score() >= config.lowScore()) {
                low.add(box);
            }
        }
        List<TrackedObject> pool = new ArrayList<>();
        List<TrackedObject> tentative = new ArrayList<>();
        for (TrackedObject track : tracks) {
            (track.state == TrackState.TENTATIVE ? tentative : pool).add(track);
        }

        // 1. High-score detections against every tracked or lost track.
        LinearAssignment.Result first = LinearAssignment.assign(
                costs(pool, high, config.fuseScore()), high.size(), config.firstMatchMaxCost());
        for (int[] pair : first.matches()) {
            TrackedObject track = pool.get(pair[0]);
            track.match(high.get(pair[1]), now, seq);
            track.state = TrackState.TRACKED;
        }
        List<TrackedObject> stillTracked = new ArrayList<>();
        for (int row : first.unmatchedRows()) {
            TrackedObject track = pool.get(row);
            if (track.state == TrackState.TRACKED) {
                stillTracked.add(track);
            }
        }
        List<DetectionBox> leftoverHigh = new ArrayList<>();
        for (int column : first.unmatchedColumns()) {
            leftoverHigh.add(high.get(column));
        }

        // 2. Low-score detections against tracked tracks still unmatched; lost ones need a confident detection.
        LinearAssignment.Result second = LinearAssignment.assign(
                costs(stillTracked, low, false), low.size(), config.secondMatchMaxCost());
        for (int[] pair : second.matches()) {
            stillTracked.get(pair[0]).match(low.get(pair[1]), now, seq);
        }
        for (int row : second.unmatchedRows()) {
            stillTracked.get(row).state = TrackState.LOST;
        }

        // 3. Tentative tracks against the leftover high-score detections.
        LinearAssignment.Result third = LinearAssignment.assign(
                costs(tentative, leftoverHigh, config.fuseScore()), leftoverHigh.size(),
                config.tentativeMatchMaxCost());
        for (int[] pair : third.matches()) {
            TrackedObject track = tentative.get(pair[0]);
            track.match(leftoverHigh.get(pair[1]), now, seq);
        }
        for (int row : third.unmatchedRows()) {
            tracks.remove(tentative.get(row));
        }

        // 4. Births from the high-score detections nobody claimed.
        for (int column : third.unmatchedColumns()) {
            DetectionBox detection = leftoverHigh.get(column);
            if (detection.score() >= config.newTrackScore()) {
                tracks.add(TrackedObject.born(detection, now, seq));
            }
        }
        for (TrackedObject track : tracks) {
            if (track.state == TrackState.TENTATIVE && track.hits >= config.confirmHits()) {
                track.state = TrackState.TRACKED;
                track.trackId = nextTrackId++;
            }
        }
    }

    /**
     * The detections less those overlapping a more confident one of another class by more than {@code maxIou}: the
     * detector suppresses overlaps within a class only, so one car scored as a car and as a truck comes as two boxes,
     * and the second would start a second track on the same object. Keeps the detections' order.
     */
    static List<DetectionBox> withoutCrossClassDuplicates(List<DetectionBox> boxes, double maxIou) {
        List<Integer> byScore = new ArrayList<>();
        for (int i = 0; i < boxes.size(); i++) {
            byScore.add(i);
        }
        byScore.sort(Comparator.comparingDouble(i -> -boxes.get(i).score())); // stable: ties keep their order
        boolean[] dropped = new boolean[boxes.size()];
        for (int k = 0; k < byScore.size(); k++) {
            DetectionBox box = boxes.get(byScore.get(k));
            for (int j = 0; j < k; j++) {
                DetectionBox better = boxes.get(byScore.get(j));
                if (!dropped[byScore.get(j)] && better.classId() != box.classId() && Iou.of(better.x(), better.y(),
                        better.w(), better.h(), box.x(), box.y(), box.w(), box.h()) > maxIou) {
                    dropped[byScore.get(k)] = true;
                    break;
                }
            }
        }
        List<DetectionBox> kept = new ArrayList<>();
        for (int i = 0; i < boxes.size(); i++) {
            if (!dropped[i]) {
                kept.add(boxes.get(i));
            }
        }
        return kept;
    }

    private void removeExpired(long now) {
        long bufferMillis = Math.round(config.lostBufferSeconds() * 1000);
        // Tracked tracks only age here through skipped frames: a detector that stalls longer than the buffer
        // leaves nothing worth predicting.
        tracks.removeIf(track -> track.state != TrackState.TENTATIVE && now - track.lastSeenMillis > bufferMillis);
    }

    private void removeGhosts() {
        // A lost track sitting on a tracked one is the same object seen twice; the live one wins.
        List<TrackedObject> tracked = tracks.stream().filter(t -> t.state == TrackState.TRACKED).toList();
        tracks.removeIf(track -> track.state == TrackState.LOST
                && tracked.stream().anyMatch(live -> live.iou(track) > config.duplicateIou()));
    }

    private static double[][] costs(List<TrackedObject> rows, List<DetectionBox> columns, boolean fuseScore) {
        double[][] cost = new double[rows.size()][columns.size()];
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < columns.size(); c++) {
                DetectionBox detection = columns.get(c);
                double similarity = rows.get(r).iou(detection);
                if (fuseScore) {
                    similarity *= detection.score();
                }
                cost[r][c] = 1 - similarity;
            }
        }
        return cost;
    }

    private TrackSnapshot snapshot(FrameRef frame, long now) {
        List<Track> confirmed = new ArrayList<>();
        long coastMillis = Math.round(config.coastSeconds() * 1000);
        tracks.stream()
                .filter(track -> track.state == TrackState.TRACKED
                        || track.state == TrackState.LOST && now - track.lastSeenMillis <= coastMillis)
                .sorted(Comparator.comparingLong(track -> track.trackId))
                .forEach(track -> confirmed.add(track.toTrack(now)));
        // The frame's capture time rather than the wall clock, so a replay produces identical records.
        return new TrackSnapshot(FrameRef.newBuilder(frame).build(), confirmed, frame.getCaptureTime());
    }
}
