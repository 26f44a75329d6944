package io.strix.detector.replay;

import io.strix.schema.Box;
import io.strix.schema.Detection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Pairs a candidate model's detections on one frame with production's: the candidate's boxes in descending score each
 * take the not yet taken production box of the same class (by name, so models with other class orders compare) with
 * the highest IoU, if that IoU reaches the threshold. This is how COCO-style evaluation matches detections to ground
 * truth, with production in the place of the ground truth.
 */
public final class BoxMatcher {
    private BoxMatcher() {
    }

    /** A candidate box and the production box it matched. */
    public record Match(Detection candidate, Detection production, double iou) {
    }

    /** Every box of the frame lands in exactly one of the three lists. */
    public record Result(List<Match> matches, List<Detection> onlyCandidate, List<Detection> onlyProduction) {
    }

    public static Result match(List<Detection> candidate, List<Detection> production, double minIou) {
        List<Detection> byScore = new ArrayList<>(candidate);
        byScore.sort(Comparator.comparingDouble(Detection::getConfidence).reversed()); // stable: ties keep order
        boolean[] taken = new boolean[production.size()];
        List<Match> matches = new ArrayList<>();
        List<Detection> onlyCandidate = new ArrayList<>();
        for (Detection c : byScore) {
            int best = -1;
            double bestIou = -1;
            for (int i = 0; i < production.size(); i++) {
                Detection p = production.get(i);
                if (taken[i] || !p.getClassName().equals(c.getClassName())) {
                    continue;
                }
                double iou = iou(c.getBox(), p.getBox());
                if (iou > bestIou) {
                    best = i;
                    bestIou = iou;
                }
            }
            if (best >= 0 && bestIou >= minIou) {
                taken[best] = true;
                matches.add(new Match(c, production.get(best), bestIou));
            } else {
                onlyCandidate.add(c);
            }
        }
        List<Detection> onlyProduction = new ArrayList<>();
        for (int i = 0; i < production.size(); i++) {
            if (!taken[i]) {
                onlyProduction.add(production.get(i));
            }
        }
        return new Result(matches, onlyCandidate, onlyProduction);
    }

    /**
     * Intersection over union of two boxes. Boxes are in fractions of the frame's width and height; scaling both axes
     * scales every area by the same factor, so this equals the IoU in pixels.
     */
    public static double iou(Box a, Box b) {
        double ix = Math.min(a.getX() + a.getW(), b.getX() + b.getW()) - Math.max(a.getX(), b.getX());
        double iy = Math.min(a.getY() + a.getH(), b.getY() + b.getH()) - Math.max(a.getY(), b.getY());
        if (ix <= 0 || iy <= 0) {
            return 0;
        }
        double intersection = ix * iy;
        double union = (double) a.getW() * a.getH() + (double) b.getW() * b.getH() - intersection;
        return union <= 0 ? 0 : intersection / union;
    }
}
