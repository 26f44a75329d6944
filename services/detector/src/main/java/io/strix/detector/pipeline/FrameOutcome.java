package io.strix.detector.pipeline;

import io.strix.schema.FrameDetections;
import java.util.Optional;

/**
 * The detector's verdict on one frame: the record for {@code strix.detections} (boxes, or skipped with the reason),
 * and, when the frame's image could not be decoded, why (the frame also goes to {@code strix.dlq}).
 */
public record FrameOutcome(FrameInput input, FrameDetections detections, Optional<String> undecodable) {
}
