package io.strix.detector.postprocess;

/**
 * One detection in the model's input pixels, corners form (x1, y1, x2, y2), before it is mapped back to the frame.
 *
 * @param score the class score (YOLOv8) or objectness × class probability (YOLOv5)
 */
public record ScoredBox(float x1, float y1, float x2, float y2, float score, int classId) {
}
