package io.strix.camsim.truth;

import java.util.List;

/**
 * Ground truth of one frame: every object whose silhouette reaches into the picture, ordered by id.
 *
 * @param frame frame number, from 1
 * @param time  seconds since the first frame
 */
public record FrameTruth(long frame, double time, int width, int height, List<ObjectTruth> objects) {
}
