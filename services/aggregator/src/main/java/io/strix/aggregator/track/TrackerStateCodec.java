package io.strix.aggregator.track;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The binary form of a {@link ByteTracker}'s state: a version byte, then the fields in a fixed order, doubles
 * written exactly so that a restored tracker computes bit for bit what the original would have.
 */
final class TrackerStateCodec {
    static final byte VERSION = 1;

    private TrackerStateCodec() {
    }

    static byte[] encode(ByteTracker tracker) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 400 * tracker.tracks.size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(tracker.cameraId());
            out.writeBoolean(tracker.hasFrame);
            out.writeLong(tracker.lastFrameSeq);
            out.writeLong(tracker.lastCaptureMillis);
            out.writeLong(tracker.nextTrackId);
            out.writeInt(tracker.tracks.size());
            for (TrackedObject track : tracker.tracks) {
                out.writeByte(track.state.ordinal());
                out.writeLong(track.trackId);
                out.writeInt(track.hits);
                out.writeLong(track.bornMillis);
                out.writeLong(track.lastSeenMillis);
                out.writeLong(track.lastSeenFrameSeq);
                out.writeFloat(track.confidence);
                double[] mean = track.filter.mean();
                for (double value : mean) {
                    out.writeDouble(value);
                }
                double[][] covariance = track.filter.covariance();
                // Symmetric by construction: the upper triangle is enough.
                for (int i = 0; i < KalmanBoxFilter.STATE; i++) {
                    for (int j = i; j < KalmanBoxFilter.STATE; j++) {
                        out.writeDouble(covariance[i][j]);
                    }
                }
                Map<Integer, Double> weights = track.votes.weights();
                out.writeInt(weights.size());
                for (Map.Entry<Integer, Double> vote : weights.entrySet()) {
                    out.writeInt(vote.getKey());
                    out.writeUTF(track.votes.nameOf(vote.getKey()));
                    out.writeDouble(vote.getValue());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static ByteTracker decode(byte[] bytes, TrackerConfig config) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("tracker state has version " + version
                        + ", this build reads version " + VERSION);
            }
            ByteTracker tracker = new ByteTracker(in.readUTF(), config);
            tracker.hasFrame = in.readBoolean();
            tracker.lastFrameSeq = in.readLong();
            tracker.lastCaptureMillis = in.readLong();
            tracker.nextTrackId = in.readLong();
            int count = in.readInt();
            TrackState[] states = TrackState.values();
            for (int t = 0; t < count; t++) {
                int stateIndex = in.readByte();
                if (stateIndex < 0 || stateIndex >= states.length) {
                    throw new IllegalArgumentException("tracker state names an unknown track state " + stateIndex);
                }
                TrackState state = states[stateIndex];
                long trackId = in.readLong();
                int hits = in.readInt();
                long born = in.readLong();
                long lastSeen = in.readLong();
                long lastSeenSeq = in.readLong();
                float confidence = in.readFloat();
                double[] mean = new double[KalmanBoxFilter.STATE];
                for (int i = 0; i < mean.length; i++) {
                    mean[i] = in.readDouble();
                }
                double[][] covariance = new double[KalmanBoxFilter.STATE][KalmanBoxFilter.STATE];
                for (int i = 0; i < KalmanBoxFilter.STATE; i++) {
                    for (int j = i; j < KalmanBoxFilter.STATE; j++) {
                        double value = in.readDouble();
                        covariance[i][j] = value;
                        covariance[j][i] = value;
                    }
                }
                ClassVotes votes = new ClassVotes();
                int voteCount = in.readInt();
                for (int v = 0; v < voteCount; v++) {
                    int classId = in.readInt();
                    String name = in.readUTF();
                    votes.restore(classId, name, in.readDouble());
                }
                tracker.tracks.add(new TrackedObject(state, trackId, KalmanBoxFilter.of(mean, covariance), hits,
                        born, lastSeen, lastSeenSeq, confidence, votes));
            }
            if (in.available() > 0) {
                throw new IllegalArgumentException("tracker state has " + in.available() + " unexpected trailing bytes");
            }
            return tracker;
        } catch (IOException e) {
            throw new IllegalArgumentException("tracker state is truncated or corrupt: " + e, e);
        }
    }
}
