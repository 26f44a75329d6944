package io.strix.aggregator.rules;

import io.strix.schema.AlertPhase;
import io.strix.schema.FrameRef;
import io.strix.schema.RuleType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The binary form of a {@link RuleEngine}'s state: a version byte, then the fields in a fixed order. Enums are
 * written by name, so that a symbol added to the schema's enums does not shift what is stored.
 */
final class RuleEngineCodec {
    static final byte VERSION = 1;

    private RuleEngineCodec() {
    }

    static byte[] encode(RuleEngine engine) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(engine.cameraId());
            out.writeBoolean(engine.hasFrame);
            out.writeLong(engine.lastFrameSeq);
            out.writeLong(engine.lastMillis);
            writeFrame(out, engine.lastFrame);
            out.writeInt(engine.tracks.size());
            for (TrackMemory track : engine.tracks.values()) {
                out.writeLong(track.trackId);
                writeNullable(out, track.className);
                out.writeFloat(track.peakConfidence);
                out.writeDouble(track.x);
                out.writeDouble(track.y);
                out.writeLong(track.lastSeenMillis);
                out.writeInt(track.zonesEntered.size());
                for (Map.Entry<String, Long> zone : track.zonesEntered.entrySet()) {
                    out.writeUTF(zone.getKey());
                    out.writeLong(zone.getValue());
                }
                out.writeInt(track.lineSides.size());
                for (Map.Entry<String, TrackMemory.SidePoint> line : track.lineSides.entrySet()) {
                    out.writeUTF(line.getKey());
                    out.writeUTF(line.getValue().side().name());
                    out.writeDouble(line.getValue().x());
                    out.writeDouble(line.getValue().y());
                }
            }
            writeFingerprints(out, engine.zoneFingerprints);
            writeFingerprints(out, engine.lineFingerprints);
            out.writeInt(engine.incidents.size());
            for (Map.Entry<String, IncidentState> entry : engine.incidents.entrySet()) {
                IncidentState state = entry.getValue();
                out.writeUTF(entry.getKey());
                out.writeUTF(state.ruleId);
                out.writeUTF(state.type.name());
                out.writeLong(state.fingerprint);
                out.writeBoolean(state.active);
                writeNullable(out, state.incidentId);
                writeFrame(out, state.firstFrame);
                out.writeLong(state.startedMillis);
                writeLongs(out, state.trackIds);
                out.writeInt(state.classNames.size());
                for (String name : state.classNames) {
                    out.writeUTF(name);
                }
                writeLongs(out, state.current);
                out.writeBoolean(state.dirty);
                out.writeLong(state.lastEmittedMillis);
                writeNullable(out, state.lastPhase == null ? null : state.lastPhase.name());
                out.writeInt(state.eventCount);
                out.writeLong(state.lastEventMillis);
                out.writeInt(state.peakCount);
                out.writeLong(state.cooldownUntilMillis);
                out.writeLong(state.conditionSinceMillis);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static RuleEngine decode(byte[] bytes, RuleEngineConfig config) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("rule engine state has version " + version
                        + ", this build reads version " + VERSION);
            }
            RuleEngine engine = new RuleEngine(in.readUTF(), config);
            engine.hasFrame = in.readBoolean();
            engine.lastFrameSeq = in.readLong();
            engine.lastMillis = in.readLong();
            engine.lastFrame = readFrame(in);
            int trackCount = in.readInt();
            for (int t = 0; t < trackCount; t++) {
                TrackMemory track = new TrackMemory(in.readLong());
                track.className = readNullable(in);
                track.peakConfidence = in.readFloat();
                track.x = in.readDouble();
                track.y = in.readDouble();
                track.lastSeenMillis = in.readLong();
                int zones = in.readInt();
                for (int z = 0; z < zones; z++) {
                    track.zonesEntered.put(in.readUTF(), in.readLong());
                }
                int lines = in.readInt();
                for (int l = 0; l < lines; l++) {
                    String lineId = in.readUTF();
                    Geometry.Side side = Geometry.Side.valueOf(in.readUTF());
                    track.lineSides.put(lineId, new TrackMemory.SidePoint(side, in.readDouble(), in.readDouble()));
                }
                engine.tracks.put(track.trackId, track);
            }
            readFingerprints(in, engine.zoneFingerprints);
            readFingerprints(in, engine.lineFingerprints);
            int incidentCount = in.readInt();
            for (int i = 0; i < incidentCount; i++) {
                String key = in.readUTF();
                String ruleId = in.readUTF();
                RuleType type = RuleType.valueOf(in.readUTF());
                IncidentState state = new IncidentState(ruleId, type, in.readLong());
                state.active = in.readBoolean();
                state.incidentId = readNullable(in);
                state.firstFrame = readFrame(in);
                state.startedMillis = in.readLong();
                readLongs(in, state.trackIds);
                int classCount = in.readInt();
                for (int c = 0; c < classCount; c++) {
                    state.classNames.add(in.readUTF());
                }
                readLongs(in, state.current);
                state.dirty = in.readBoolean();
                state.lastEmittedMillis = in.readLong();
                String phase = readNullable(in);
                state.lastPhase = phase == null ? null : AlertPhase.valueOf(phase);
                state.eventCount = in.readInt();
                state.lastEventMillis = in.readLong();
                state.peakCount = in.readInt();
                state.cooldownUntilMillis = in.readLong();
                state.conditionSinceMillis = in.readLong();
                engine.incidents.put(key, state);
            }
            if (in.available() > 0) {
                throw new IllegalArgumentException("rule engine state has " + in.available() + " unexpected trailing bytes");
            }
            return engine;
        } catch (IOException e) {
            throw new IllegalArgumentException("rule engine state is truncated or corrupt: " + e, e);
        }
    }

    private static void writeFrame(DataOutputStream out, FrameRef frame) throws IOException {
        out.writeBoolean(frame != null);
        if (frame != null) {
            out.writeUTF(frame.getCameraId());
            out.writeLong(frame.getFrameSeq());
            out.writeLong(frame.getCaptureTime().toEpochMilli());
            out.writeInt(frame.getPartition());
            out.writeLong(frame.getOffset());
        }
    }

    private static FrameRef readFrame(DataInputStream in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        return new FrameRef(in.readUTF(), in.readLong(), Instant.ofEpochMilli(in.readLong()), in.readInt(), in.readLong());
    }

    private static void writeNullable(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void writeLongs(DataOutputStream out, TreeSet<Long> values) throws IOException {
        out.writeInt(values.size());
        for (long value : values) {
            out.writeLong(value);
        }
    }

    private static void readLongs(DataInputStream in, TreeSet<Long> into) throws IOException {
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            into.add(in.readLong());
        }
    }

    private static void writeFingerprints(DataOutputStream out, TreeMap<String, Long> fingerprints) throws IOException {
        out.writeInt(fingerprints.size());
        for (Map.Entry<String, Long> entry : fingerprints.entrySet()) {
            out.writeUTF(entry.getKey());
            out.writeLong(entry.getValue());
        }
    }

    private static void readFingerprints(DataInputStream in, TreeMap<String, Long> into) throws IOException {
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            into.put(in.readUTF(), in.readLong());
        }
    }
}
