package io.strix.detector.pipeline;

import io.strix.schema.Frame;

/** One frame to detect on, and where it lies in {@code strix.frames} (its lineage). */
public record FrameInput(Frame frame, int partition, long offset) {
}
