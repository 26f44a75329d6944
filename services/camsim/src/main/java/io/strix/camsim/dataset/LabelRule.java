package io.strix.camsim.dataset;

import io.strix.camsim.render.FrameSize;
import io.strix.camsim.truth.ObjectTruth;

/**
 * Which objects become training labels. An object is labelled when at least {@code minVisibility} of it is seen and
 * its visible box is at least {@code minSide} pixels on each side and {@code minArea} pixels in area; smaller or more
 * hidden objects stay in the MOT and COCO ground truth (COCO marks them {@code iscrowd: 1}, so evaluation ignores
 * them) but get no YOLO label: a detector cannot be asked to find a 3-pixel speck or the last tenth of a car.
 * At 640x360: visibility 0.25, 4 px, 100 px²; the pixel limits scale with the image height.
 */
public record LabelRule(double minVisibility, int minSide, int minArea) {
    public static LabelRule forSize(FrameSize size) {
        double k = size.height() / 360.0;
        return new LabelRule(0.25, (int) Math.max(2, Math.round(4 * k)), (int) Math.max(16, Math.round(100 * k * k)));
    }

    public boolean accepts(ObjectTruth o) {
        return o.visible() && o.visibility() >= minVisibility && o.width() >= minSide && o.height() >= minSide
                && o.width() * o.height() >= minArea;
    }
}
