"""COCO-style detection mAP, computed the way pycocotools' COCOeval does for area 'all'.

Per class and IoU threshold t in 0.50:0.05:0.95: detections of each image (at most `max_dets` per image
and class, best first) are matched greedily, best score first, to the unmatched ground-truth box of the
same class with the highest IoU >= t. Precision is made monotone (the envelope from the right) and read
at the 101 recall points 0:0.01:1 (first point whose recall >= r, 0 beyond the highest recall reached).
AP averages those 101 values; mAP averages over the classes that have ground truth (classes with none
are left out, as COCOeval leaves them out) and, for mAP50-95, over the ten thresholds.
YOLO labels have no crowd regions. A minimum area (`min_area`, COCOeval's area range with no upper bound) turns
smaller ground truth into ignore regions: a detection matched to one counts neither as a hit nor as a false
positive (non-ignored ground truth is matched first), an unmatched detection smaller than the minimum is left
out too, and the ignored boxes do not count towards recall. With min_area 0 nothing is ignored.
Ignore regions (`ignore`, a dataset's iscrowd annotations) work as COCOeval's crowd boxes: a detection that matches
no scored ground truth of its class but lies at least t inside a region of its class (intersection over the
detection's own area) counts neither as a hit nor as a false positive; one region can absorb any number.
"""
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from .boxes import numpy_coverage, numpy_iou

IOU_THRESHOLDS = np.linspace(0.5, 0.95, 10)  # same construction as pycocotools
RECALL_POINTS = np.linspace(0.0, 1.0, 101)


@dataclass
class DetectionResult:
    map50_95: float
    map50: float
    per_class: Dict[int, Optional[float]]      # AP50-95 per class id; None where the class has no ground truth
    per_class50: Dict[int, Optional[float]]
    ground_truth_counts: Dict[int, int] = field(default_factory=dict)

    def summary(self) -> str:
        return f"mAP50-95={self.map50_95:.3f} mAP50={self.map50:.3f}"


# The lines eval.py ends with, and their parsers next to them (model/compare.py reads eval.py's logs).
_SUMMARY = re.compile(r"^mAP50-95=([0-9.]+) mAP50=([0-9.]+)$")
_SOURCE = re.compile(r"^source (\S+): (\d+) images, (mAP50-95=\S+ mAP50=\S+)$")
_CLASS_ROW = re.compile(r"^(\S+) +(\d+) +(\d\.\d{3}|-) +(\d\.\d{3}|-)$")


def source_line(name: str, images: int, result: DetectionResult) -> str:
    """One image source's own figures: `source a/images/val: N images, mAP50-95=... mAP50=...`."""
    return f"source {name}: {images} images, {result.summary()}"


def parse_summary(line: str) -> Optional[Tuple[float, float]]:
    """(mAP50-95, mAP50) of a `DetectionResult.summary()` line, else None."""
    m = _SUMMARY.match(line.strip())
    return (float(m.group(1)), float(m.group(2))) if m else None


def parse_source_line(line: str) -> Optional[Tuple[str, int, float, float]]:
    """(name, images, mAP50-95, mAP50) of a `source_line`, else None."""
    m = _SOURCE.match(line.strip())
    figures = parse_summary(m.group(3)) if m else None
    return (m.group(1), int(m.group(2)), *figures) if figures else None


class DetectionEvaluator:
    """Accumulates (detections, ground truth) per image, then computes COCO mAP.

    Detections: [K, 6] x1, y1, x2, y2, score, class. Ground truth: [G, 5] class, x1, y1, x2, y2.
    """

    def __init__(self, num_classes: int, max_dets: int = 100):
        self.num_classes = num_classes
        self.max_dets = max_dets
        # Per class, per image: (scores [D], match flags [T, D]); and ground-truth counts.
        self._scores: List[List[np.ndarray]] = [[] for _ in range(num_classes)]
        self._matches: List[List[np.ndarray]] = [[] for _ in range(num_classes)]
        self._ignored: List[List[np.ndarray]] = [[] for _ in range(num_classes)]
        self._gt_counts = np.zeros(num_classes, np.int64)
        self._seen = [False] * num_classes

    @classmethod
    def pooled(cls, parts: Sequence["DetectionEvaluator"]) -> "DetectionEvaluator":
        """One evaluator over all the images added to `parts` (e.g. each dataset's own, then all of them): the
        same mAP as adding every image to one, without matching any image twice."""
        pooled = cls(parts[0].num_classes, parts[0].max_dets)
        for part in parts:
            for c in range(pooled.num_classes):
                pooled._scores[c] += part._scores[c]
                pooled._matches[c] += part._matches[c]
                pooled._ignored[c] += part._ignored[c]
                pooled._seen[c] = pooled._seen[c] or part._seen[c]
            pooled._gt_counts += part._gt_counts
        return pooled

    def add(self, detections: np.ndarray, ground_truth: np.ndarray, min_area: float = 0.0,
            ignore: Optional[np.ndarray] = None) -> None:
        """One image: detections [K, 6], ground truth [G, 5]; boxes smaller than `min_area` (same pixel units as
        the boxes) are ignore regions, and so are `ignore` [R, 5] (class, x1, y1, x2, y2; see the module
        docstring)."""
        detections = np.asarray(detections, np.float64).reshape(-1, 6)
        ground_truth = np.asarray(ground_truth, np.float64).reshape(-1, 5)
        ignore = np.zeros((0, 5)) if ignore is None else np.asarray(ignore, np.float64).reshape(-1, 5)
        for cls in range(self.num_classes):
            gt = ground_truth[ground_truth[:, 0] == cls, 1:5]
            det = detections[detections[:, 5] == cls]
            regions = ignore[ignore[:, 0] == cls, 1:5]
            if len(gt) == 0 and len(det) == 0:
                continue
            self._seen[cls] = True
            gt_ignore = box_area(gt) < min_area
            gt_order = np.argsort(gt_ignore, kind="mergesort")  # scored ground truth first, as COCOeval sorts it
            gt, gt_ignore = gt[gt_order], gt_ignore[gt_order]
            self._gt_counts[cls] += int((~gt_ignore).sum())
            order = np.argsort(-det[:, 4], kind="mergesort")[: self.max_dets]
            det = det[order]
            matched = np.zeros((len(IOU_THRESHOLDS), len(det)), bool)
            ignored = np.zeros((len(IOU_THRESHOLDS), len(det)), bool)
            if len(gt) and len(det):
                ious = numpy_iou(det[:, :4], gt)
                for t, threshold in enumerate(IOU_THRESHOLDS):
                    gt_taken = np.zeros(len(gt), bool)
                    for d in range(len(det)):
                        best_iou, best_gt = min(threshold, 1 - 1e-10), -1
                        for g in range(len(gt)):
                            if gt_taken[g]:
                                continue
                            if best_gt >= 0 and not gt_ignore[best_gt] and gt_ignore[g]:
                                break  # a match with scored ground truth beats any ignore region
                            if ious[d, g] < best_iou:
                                continue
                            best_iou, best_gt = ious[d, g], g
                        if best_gt >= 0:
                            gt_taken[best_gt] = True
                            if gt_ignore[best_gt]:
                                ignored[t, d] = True
                            else:
                                matched[t, d] = True
            if len(regions) and len(det):
                inside = numpy_coverage(det[:, :4], regions).max(1)  # [D]
                ignored |= ~matched & (inside[None, :] >= IOU_THRESHOLDS[:, None])
            ignored |= ~matched & (box_area(det[:, :4]) < min_area)
            self._scores[cls].append(det[:, 4])
            self._matches[cls].append(matched)
            self._ignored[cls].append(ignored)

    def class_precision(self, cls: int) -> Optional[np.ndarray]:
        """Interpolated precision [T, 101] for one class, or None when it has no ground truth."""
        if not self._seen[cls] or self._gt_counts[cls] == 0:
            return None
        scores = np.concatenate(self._scores[cls]) if self._scores[cls] else np.zeros(0)
        empty = np.zeros((len(IOU_THRESHOLDS), 0), bool)
        matches = np.concatenate(self._matches[cls], axis=1) if self._matches[cls] else empty
        ignored = np.concatenate(self._ignored[cls], axis=1) if self._ignored[cls] else empty
        order = np.argsort(-scores, kind="mergesort")
        matches, ignored = matches[:, order], ignored[:, order]
        precision = np.zeros((len(IOU_THRESHOLDS), len(RECALL_POINTS)))
        for t in range(len(IOU_THRESHOLDS)):
            tp = np.cumsum(matches[t] & ~ignored[t]).astype(np.float64)
            fp = np.cumsum(~matches[t] & ~ignored[t]).astype(np.float64)
            if len(tp) == 0:
                continue
            recall = tp / self._gt_counts[cls]
            prec = tp / (tp + fp + np.spacing(1))
            prec = np.maximum.accumulate(prec[::-1])[::-1]  # envelope: best precision at any higher recall
            points = np.searchsorted(recall, RECALL_POINTS, side="left")
            valid = points < len(prec)
            precision[t, valid] = prec[points[valid]]
        return precision

    def compute(self) -> DetectionResult:
        per_class, per_class50 = {}, {}
        aps = []
        for cls in range(self.num_classes):
            precision = self.class_precision(cls)
            if precision is None:
                per_class[cls] = per_class50[cls] = None
                continue
            ap_per_threshold = precision.mean(1)
            aps.append(ap_per_threshold)
            per_class[cls] = float(ap_per_threshold.mean())
            per_class50[cls] = float(ap_per_threshold[0])
        if not aps:
            return DetectionResult(0.0, 0.0, per_class, per_class50, self._counts())
        aps = np.stack(aps)
        return DetectionResult(float(aps.mean()), float(aps[:, 0].mean()), per_class, per_class50, self._counts())

    def _counts(self) -> Dict[int, int]:
        return {c: int(n) for c, n in enumerate(self._gt_counts)}


def box_area(boxes: np.ndarray) -> np.ndarray:
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])


def parse_class_rows(lines: Sequence[str]) -> Dict[str, Tuple[int, Optional[float], Optional[float]]]:
    """name -> (ground truth, AP50-95, AP50) from the per-class rows of a `format_report` (None for '-')."""
    rows = {}
    for line in lines:
        m = _CLASS_ROW.match(line.strip())
        if m:
            ap, ap50 = (None if v == "-" else float(v) for v in m.group(3, 4))
            rows[m.group(1)] = (int(m.group(2)), ap, ap50)
    return rows


def format_report(result: DetectionResult, names: Sequence[str]) -> str:
    """Per-class table, then the one-line summary that scripts grep for."""
    width = max([len(n) for n in names] + [5])
    lines = [f"{'class':<{width}}  {'gt':>6}  {'AP50-95':>7}  {'AP50':>6}"]
    for cls, name in enumerate(names):
        ap, ap50 = result.per_class.get(cls), result.per_class50.get(cls)
        gt = result.ground_truth_counts.get(cls, 0)
        cells = ("-", "-") if ap is None else (f"{ap:.3f}", f"{ap50:.3f}")
        lines.append(f"{name:<{width}}  {gt:>6}  {cells[0]:>7}  {cells[1]:>6}")
    lines.append(result.summary())
    return "\n".join(lines)


SIZE_BUCKETS = (0.0, 8.0, 16.0, 32.0, float("inf"))  # object size sqrt(w*h) at the model input, px


@dataclass
class ThresholdMatch:
    """One image as a deployed detector sees it at confidence `conf`: its detections at or above it (best score
    first), each matched greedily at IoU >= 0.5 to an unmatched object of its own class, as SizeRecall and
    ConfusionMatrix both count them. Objects under `min_area` are not scored, as the mAP does not score them: a
    detection matching one (IoU >= 0.5, after the scored objects) is excused, and so is an unmatched detection
    under `min_area` or one lying on an ignore region of its class (COCOeval's area range and crowd rule)."""
    detections: np.ndarray    # [K, 6], best score first
    ground_truth: np.ndarray  # [G, 5]
    object_of: np.ndarray     # [K] index of the object each detection found, -1 for none
    excused: np.ndarray       # [K] unmatched but on an unscored object or region, or too small: counted nowhere

    @classmethod
    def of(cls, detections: np.ndarray, ground_truth: np.ndarray, conf: float,
           ignore: Optional[np.ndarray] = None, min_area: float = 0.0) -> "ThresholdMatch":
        detections = np.asarray(detections, np.float64).reshape(-1, 6)
        detections = detections[detections[:, 4] >= conf]
        detections = detections[np.argsort(-detections[:, 4], kind="stable")]
        ground_truth = np.asarray(ground_truth, np.float64).reshape(-1, 5)
        small = box_area(ground_truth[:, 1:5]) < min_area
        regions = np.zeros((0, 5)) if ignore is None else np.asarray(ignore, np.float64).reshape(-1, 5)
        match = cls(detections, ground_truth[~small], np.full(len(detections), -1), np.zeros(len(detections), bool))
        match.assign(lambda det: match.ground_truth[:, 0] == det[5])
        rest = np.flatnonzero(match.object_of < 0)
        unscored = cls(detections[rest], ground_truth[small], np.full(len(rest), -1), np.zeros(len(rest), bool))
        unscored.assign(lambda det: unscored.ground_truth[:, 0] == det[5])
        on_small = np.zeros(len(detections), bool)
        on_small[rest] = unscored.object_of >= 0
        on_region = np.zeros(len(detections), bool)
        for i, det in enumerate(detections):
            own = regions[regions[:, 0] == det[5], 1:5]
            on_region[i] = len(own) > 0 and numpy_coverage(det[None, :4], own).max() >= 0.5
        match.excused = (match.object_of < 0) & (on_small | on_region | (box_area(detections[:, :4]) < min_area))
        return match

    def matched(self) -> np.ndarray:
        """[G] whether a detection found each object."""
        found = np.zeros(len(self.ground_truth), bool)
        found[self.object_of[self.object_of >= 0]] = True
        return found

    def assign(self, allowed) -> None:
        """Match each still unmatched detection, best first, to the unmatched object of highest IoU >= 0.5 among
        those `allowed(det)` ([G] bool) permits."""
        taken = self.matched()
        for i, det in enumerate(self.detections):
            if self.object_of[i] >= 0:
                continue
            candidates = np.flatnonzero(allowed(det) & ~taken)
            if len(candidates):
                ious = numpy_iou(det[None, :4], self.ground_truth[candidates, 1:5])[0]
                best = int(np.argmax(ious))
                if ious[best] >= 0.5:
                    self.object_of[i], self.excused[i], taken[candidates[best]] = candidates[best], False, True


@dataclass
class SizeRecall:
    """What a deployed detector finds, by object size: at one confidence threshold (the detector's), per size
    bucket of the ground truth at the model input (sqrt of its area, px), the share found by a detection of the
    same class at IoU >= 0.5 (greedy, best score first), and the precision of all those detections.

    mAP says how well the scores rank; this says which objects a user actually gets at the threshold they run."""
    conf: float = 0.25
    found: np.ndarray = field(default_factory=lambda: np.zeros(len(SIZE_BUCKETS) - 1, np.int64))
    total: np.ndarray = field(default_factory=lambda: np.zeros(len(SIZE_BUCKETS) - 1, np.int64))
    detections: int = 0
    true_positives: int = 0

    def add(self, detections: np.ndarray, ground_truth: np.ndarray, scale: float,
            ignore: Optional[np.ndarray] = None, min_area: float = 0.0) -> None:
        """One image: detections [K, 6] and ground truth [G, 5] in original pixels; scale = model input px per
        original px (the letterbox ratio); ignore regions [R, 5] and objects under `min_area` (original px²) are
        not scored, as ThresholdMatch says."""
        match = ThresholdMatch.of(detections, ground_truth, self.conf, ignore, min_area)
        matched = match.matched()
        sizes = np.sqrt(np.clip(box_area(match.ground_truth[:, 1:5]), 0, None)) * scale
        bucket = np.digitize(sizes, SIZE_BUCKETS[1:-1])
        self.detections += int((~match.excused).sum())
        self.true_positives += int(matched.sum())
        np.add.at(self.total, bucket, 1)
        np.add.at(self.found, bucket, matched.astype(np.int64))

    def report(self) -> str:
        names = [f"<{SIZE_BUCKETS[1]:g}"] + [f"{lo:g}-{hi:g}" for lo, hi in zip(SIZE_BUCKETS[1:-2], SIZE_BUCKETS[2:-1])] \
            + [f">={SIZE_BUCKETS[-2]:g}"]
        cells = [f"{name} px {found}/{total} ({found / total:.0%})" if total else f"{name} px 0/0"
                 for name, found, total in zip(names, self.found, self.total)]
        precision = self.true_positives / self.detections if self.detections else 0.0
        return (f"found at conf {self.conf:g}, IoU 0.5, by size at the input: " + ", ".join(cells)
                + f"; precision {precision:.3f} ({self.true_positives}/{self.detections})")


@dataclass
class ConfusionMatrix:
    """Which class a deployed detector gives each object, at one confidence threshold: ground truth class (rows)
    against the class of the detection that found it (columns), plus "missed" for objects no detection found, and
    a last row "background" for detections that found no object.

    Matching is ThresholdMatch's (the diagonal is SizeRecall's "found"), then what is left goes, best score first, to
    any unmatched object (a car called a truck). Excused detections count nowhere, so the background row plus the
    detections off the diagonal are SizeRecall's false positives."""
    names: Sequence[str]
    conf: float = 0.25
    counts: np.ndarray = None

    def __post_init__(self):
        if self.counts is None:
            self.counts = np.zeros((len(self.names) + 1, len(self.names) + 1), np.int64)

    def add(self, detections: np.ndarray, ground_truth: np.ndarray, scale: float = 1.0,
            ignore: Optional[np.ndarray] = None, min_area: float = 0.0) -> None:
        """One image, as SizeRecall.add takes it (scale is not used: classes are not split by size)."""
        match = ThresholdMatch.of(detections, ground_truth, self.conf, ignore, min_area)
        match.assign(lambda det: np.ones(len(match.ground_truth), bool))
        background = len(self.names)
        for det, index, excused in zip(match.detections, match.object_of, match.excused):
            if index >= 0:
                self.counts[int(match.ground_truth[index, 0]), int(det[5])] += 1
            elif not excused:
                self.counts[background, int(det[5])] += 1
        for truth in match.ground_truth[~match.matched()]:
            self.counts[int(truth[0]), background] += 1

    def report(self) -> str:
        labels = [n[:10] for n in self.names]
        width = max([len(n) for n in labels] + [10])
        cell = max(max(len(n) for n in labels), 6) + 1
        lines = [f"classes at conf {self.conf:g}, IoU 0.5 (rows: labelled class, columns: detected class):",
                 f"{'':<{width}}" + "".join(f"{n:>{cell}}" for n in labels) + f"{'missed':>{cell}}"]
        for row, name in enumerate(labels + ["background"]):
            values = self.counts[row] if row < len(self.names) else self.counts[row, :-1]
            lines.append(f"{name:<{width}}" + "".join(f"{int(v):>{cell}}" for v in values))
        return "\n".join(lines)
