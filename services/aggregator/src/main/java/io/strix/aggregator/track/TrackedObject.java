package io.strix.aggregator.track;

import io.strix.schema.Box;
import io.strix.schema.Track;

/** One track's mutable state inside a {@link ByteTracker}. */
final class TrackedObject {
    TrackState state;
    /** 0 until the track is confirmed. */
    long trackId;
    final KalmanBoxFilter filter;
    int hits;
    final long bornMillis;
    long lastSeenMillis;
    long lastSeenFrameSeq;
    float confidence;
    final ClassVotes votes;

    TrackedObject(TrackState state, long trackId, KalmanBoxFilter filter, int hits, long bornMillis,
                  long lastSeenMillis, long lastSeenFrameSeq, float confidence, ClassVotes votes) {
        this.state = state;
        this.trackId = trackId;
        this.filter = filter;
        this.hits = hits;
        this.bornMillis = bornMillis;
        this.lastSeenMillis = lastSeenMillis;
        this.lastSeenFrameSeq = lastSeenFrameSeq;
        this.confidence = confidence;
        this.votes = votes;
    }

    static TrackedObject born(DetectionBox detection, long nowMillis, long frameSeq) {
        ClassVotes votes = new ClassVotes();
        votes.add(detection.classId(), detection.className(), detection.score());
        return new TrackedObject(TrackState.TENTATIVE, 0, KalmanBoxFilter.initiate(detection.measurement()), 1,
                nowMillis, nowMillis, frameSeq, (float) detection.score(), votes);
    }

    void match(DetectionBox detection, long nowMillis, long frameSeq) {
        filter.update(detection.measurement());
        hits++;
        confidence = (float) detection.score();
        votes.add(detection.classId(), detection.className(), detection.score());
        lastSeenMillis = nowMillis;
        lastSeenFrameSeq = frameSeq;
    }

    double iou(DetectionBox detection) {
        return Iou.of(filter.left(), filter.top(), filter.width(), filter.height(),
                detection.x(), detection.y(), detection.w(), detection.h());
    }

    double iou(TrackedObject other) {
        KalmanBoxFilter o = other.filter;
        return Iou.of(filter.left(), filter.top(), filter.width(), filter.height(),
                o.left(), o.top(), o.width(), o.height());
    }

    Track toTrack(long nowMillis) {
        int classId = votes.winner();
        Box box = new Box((float) filter.left(), (float) filter.top(), (float) filter.width(), (float) filter.height());
        return new Track(trackId, classId, votes.nameOf(classId), confidence, box,
                (float) filter.velocityX(), (float) filter.velocityY(), Math.max(0, nowMillis - bornMillis),
                lastSeenFrameSeq);
    }
}
