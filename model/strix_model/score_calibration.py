"""Per-class score calibration: shift each class's logit so a model makes as many false positives of that class at
the detector's confidence as a reference model does.

Why: a class-weighted loss (`train.py --class-weight-power`) raises the rare classes' scores. Their ranking gets
better (the mAP rises), but at the fixed thresholds the detector and the tracker run (0.25 / 0.25 / 0.35) more boxes
pass where nothing is, and the tracks get worse. A per-class shift of the logit leaves each class's ranking as it was
(and so its AP, but where a location's best class changes); it moves only where the class crosses the thresholds.

The target is the reference's false positives, not its precision: a class's false-positive count falls
monotonically as its threshold rises, so the thresholds that match it form one interval, and the one nearest the
detector's confidence is taken (a model calibrated to itself is unchanged). With the reference's false positives and
a better ranking, the candidate finds more objects at that threshold. `model/calibrate_scores.py` runs it.
"""
import math
from dataclasses import dataclass, field
from typing import List, Optional, Sequence

import numpy as np
import torch

from .metrics import ThresholdMatch


@dataclass
class ScoreProfile:
    """A tally for evaluation.evaluate: every detection at or above `conf` (non-excused, as SizeRecall counts them),
    with its class, score and whether it found an object (IoU >= 0.5, greedy, best score first). Greedy matching
    in score order makes each detection's outcome the same at any threshold below its score, so one pass at a low
    confidence gives the counts at every higher one."""
    num_classes: int
    conf: float = 0.05
    scores: List[List[float]] = field(default_factory=list)
    found: List[List[bool]] = field(default_factory=list)

    def __post_init__(self):
        self.scores = [[] for _ in range(self.num_classes)]
        self.found = [[] for _ in range(self.num_classes)]

    def add(self, detections: np.ndarray, ground_truth: np.ndarray, scale: float,
            ignore: Optional[np.ndarray] = None, min_area: float = 0.0) -> None:
        match = ThresholdMatch.of(detections, ground_truth, self.conf, ignore, min_area)
        for det, obj, excused in zip(match.detections, match.object_of, match.excused):
            if not excused:
                self.scores[int(det[5])].append(float(det[4]))
                self.found[int(det[5])].append(bool(obj >= 0))

    def _sorted(self, cls: int):
        scores, found = np.asarray(self.scores[cls], np.float64), np.asarray(self.found[cls], bool)
        order = np.argsort(-scores, kind="stable")
        return scores[order], found[order]

    def counts_at(self, cls: int, threshold: float):
        """(true positives, false positives) of a class at score >= threshold."""
        scores, found = self._sorted(cls)
        kept = scores >= threshold
        return int((found & kept).sum()), int((~found & kept).sum())

    def threshold_for(self, cls: int, false_positives: int, conf: float) -> float:
        """The threshold nearest `conf` at which this class makes `false_positives` false positives (scores at or
        above it). Clamped to this profile's lowest score when even that makes fewer."""
        scores, found = self._sorted(cls)
        fp_scores = scores[~found]  # best first
        count = len(fp_scores)
        if false_positives > count:
            return self.conf  # fewer false positives than asked even at the lowest score profiled
        # FP(t) == false_positives exactly for t in (lower, upper]
        upper = fp_scores[false_positives - 1] if false_positives > 0 else math.inf
        lower = fp_scores[false_positives] if false_positives < count else -math.inf
        if lower < conf <= upper:
            return conf
        if conf > upper:
            return float(upper)
        above = scores[scores > lower]  # conf at or under the next false positive: just above it
        return float((lower + (above.min() if len(above) else 1.0)) / 2)


@dataclass
class ClassShift:
    name: str
    threshold: float          # the candidate's score that becomes `conf`
    offset: float             # subtracted from the class logit
    reference: tuple          # (TP, FP) of the reference at conf
    before: tuple             # (TP, FP) of the candidate at conf, uncalibrated
    matched: tuple            # (TP, FP) of the candidate at `threshold`


def logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def class_shifts(reference: ScoreProfile, candidate: ScoreProfile, names: Sequence[str],
                 conf: float = 0.25) -> List[ClassShift]:
    """Per class, the logit offset that gives the candidate the reference's false positives at `conf`. Both
    profiles must cover the same images at a confidence below `conf`."""
    if max(reference.conf, candidate.conf) >= conf:
        raise ValueError(f"profiles at confidence {max(reference.conf, candidate.conf):g} cannot place a threshold "
                         f"around {conf:g}: profile below it")
    shifts = []
    for cls, name in enumerate(names):
        ref = reference.counts_at(cls, conf)
        threshold = candidate.threshold_for(cls, ref[1], conf)
        shifts.append(ClassShift(name, threshold, logit(threshold) - logit(conf), ref, candidate.counts_at(cls, conf),
                                 candidate.counts_at(cls, threshold)))
    return shifts


def shift_class_logits(model: torch.nn.Module, offsets: Sequence[float]) -> None:
    """Subtract offsets[c] from class c's logit at every head level (the bias of the last class conv): a score s
    becomes sigmoid(logit(s) - offset), the same at every location, so each class keeps its ranking."""
    delta = torch.as_tensor(offsets, dtype=torch.float32)
    with torch.no_grad():
        for branch in model.head.cls:
            bias = branch[-1].bias
            if bias.shape != delta.shape:
                raise ValueError(f"{len(delta)} offsets for a head of {bias.shape[0]} classes")
            bias -= delta.to(bias.dtype)


def format_shifts(shifts: Sequence[ClassShift], conf: float) -> str:
    lines = [f"class        reference TP/FP at {conf:g}   candidate TP/FP at {conf:g}   threshold   logit offset"
             f"   candidate TP/FP there"]
    for s in shifts:
        lines.append(f"{s.name:<12} {s.reference[0]:>8}/{s.reference[1]:<17} {s.before[0]:>8}/{s.before[1]:<17} "
                     f"{s.threshold:9.3f}   {s.offset:+12.3f}   {s.matched[0]:>8}/{s.matched[1]}")
    return "\n".join(lines)
