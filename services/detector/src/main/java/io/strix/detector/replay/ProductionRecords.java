package io.strix.detector.replay;

import io.strix.detector.replay.Replay.FrameKey;
import io.strix.schema.FrameDetections;
import io.strix.wire.RecordDecodeException;
import io.strix.wire.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Production's records of the replayed frames, from {@code strix.detections}: one reader over the replay's range
 * widened by the production slack, read forward a chunk of replayed frames at a time, so every record is read once
 * however many chunks the range has.
 *
 * <p>For a chunk, it reads until every frame of the chunk is found, or every partition has passed the chunk's last
 * frame timestamp plus the slack (there it waits for the next chunk). Records of frames not replayed yet are kept
 * for their chunk (the read-ahead); a record of a frame whose camera has already been compared past its sequence
 * number is dropped: ingest numbers each camera's frames upwards, and the replay reads them in that order (a
 * camera's frames are in one partition of strix.frames, keyed by camera; not so across a change of its partition
 * count, where a frame so dropped counts as without a production record).
 */
final class ProductionRecords implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProductionRecords.class);

    private final TimeRangeReader reader;
    private final Duration slack;
    private final Map<FrameKey, FrameDetections> readAhead = new HashMap<>();
    /** Per camera: the highest sequence number compared so far. */
    private final Map<String, Long> comparedUpTo = new HashMap<>();
    private long read;

    /** @param consumer owned from then on */
    ProductionRecords(Consumer<byte[], byte[]> consumer, Instant framesFrom, Instant framesTo, Duration slack) {
        this.reader = new TimeRangeReader(consumer, Topics.DETECTIONS.name(), framesFrom.minus(slack),
                framesTo.plus(slack));
        this.slack = slack;
    }

    /** Records of strix.detections read so far. */
    long read() {
        return read;
    }

    /**
     * Production's records of the wanted frames, whose frame records are timestamped up to {@code framesTo}; the
     * frames are compared from then on, and records of them or of earlier frames of their cameras are dropped.
     */
    Map<FrameKey, FrameDetections> take(Collection<FrameKey> wanted, Instant framesTo) {
        Map<FrameKey, FrameDetections> found = new HashMap<>();
        Set<FrameKey> missing = new HashSet<>();
        for (FrameKey key : wanted) {
            FrameDetections ahead = readAhead.remove(key);
            if (ahead != null) {
                found.put(key, ahead);
            } else {
                missing.add(key);
            }
        }
        long readBefore = read;
        long undecodable = 0;
        reader.holdAfter(framesTo.plus(slack));
        while (!missing.isEmpty() && !reader.atHorizon()) {
            for (ConsumerRecord<byte[], byte[]> record : reader.poll()) {
                read++;
                FrameDetections detections;
                try {
                    detections = Topics.DETECTIONS.decode(record);
                } catch (RecordDecodeException e) {
                    undecodable++;
                    continue;
                }
                if (detections == null) {
                    continue;
                }
                FrameKey key = FrameKey.of(detections.getFrame());
                if (missing.remove(key)) {
                    found.put(key, detections);
                } else if (key.seq() > comparedUpTo.getOrDefault(key.cameraId(), Long.MIN_VALUE)) {
                    readAhead.put(key, detections);
                }
            }
        }
        for (FrameKey key : wanted) {
            comparedUpTo.merge(key.cameraId(), key.seq(), Math::max);
        }
        readAhead.keySet().removeIf(key -> key.seq() <= comparedUpTo.getOrDefault(key.cameraId(), Long.MIN_VALUE));
        LOG.info("Read {} records of {}: found {} of the {} replayed frames ({} records read ahead){}",
                read - readBefore, Topics.DETECTIONS.name(), found.size(), wanted.size(), readAhead.size(),
                undecodable > 0 ? "; " + undecodable + " records could not be decoded" : "");
        return found;
    }

    @Override
    public void close() {
        reader.close();
    }
}
