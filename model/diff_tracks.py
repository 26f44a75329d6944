#!/usr/bin/env python3
"""Where two models' tracks differ, frame by frame: which objects a candidate tracks better or worse than a baseline.

  /usr/bin/python3 model/diff_tracks.py BASELINE_DUMP CANDIDATE_DUMP [--top 3]

Each DUMP is a folder that TrackingAccuracyIT wrote with STRIX_TRACKING_DUMP=DUMP (model/compare_tracks.sh keeps one
per run): a sub-folder per scene with gt.txt (frame,id,x,y,w,h,counted), det.txt and tracks.txt
(frame,id,x,y,w,h,score,class), pixels. Per scene it prints, for each model, the counted object-frames its detections
and its tracks cover at IoU >= 0.5, the detections left over (on no object) and how many of them score at least the
tracker's new-track score (--min-score), by class: a model can detect as well and still make more false tracks from
more confident stray boxes; the tracks' false positives split by how far they are from any object (IoU
with the nearest under 0.1: nothing there; 0.1 to 0.5: a misplaced box, which is a miss as well); then the change in
covered object-frames and the objects that account for most of it. Objects are matched greedily by IoU (the IT
pairs optimally and keeps earlier pairs, so its totals can differ by a few object-frames in thousands).

One static object whose box the candidate puts a few pixels off counts as a miss and a false positive in every frame
of its scene: this shows whether a tracks difference is many objects or a few.
"""
import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import numpy as np

from strix_model.boxes import numpy_iou

Box = Tuple[float, float, float, float]  # x, y, w, h

MATCH_IOU = 0.5
NOTHING_THERE_IOU = 0.1
NEW_TRACK_SCORE = 0.35  # the aggregator's default aggregator.track.new.score


def _xyxy(boxes: Sequence[Box]) -> np.ndarray:
    xywh = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    return np.concatenate([xywh[:, :2], xywh[:, :2] + xywh[:, 2:]], axis=1)


def ious(a: Sequence[Box], b: Sequence[Box]) -> np.ndarray:
    """IoU matrix [len(a), len(b)] of x, y, w, h boxes (strix_model.boxes.numpy_iou)."""
    return numpy_iou(_xyxy(a), _xyxy(b))


def greedy(overlaps: np.ndarray) -> Dict[int, int]:
    """Row -> column of an IoU matrix, the largest IoU first, each row and column used once, none under MATCH_IOU."""
    matched: Dict[int, int] = {}
    used = set()
    for row, column in zip(*np.unravel_index(np.argsort(-overlaps, axis=None, kind="stable"), overlaps.shape)):
        if overlaps[row, column] < MATCH_IOU:
            break
        if row not in matched and column not in used:
            matched[int(row)] = int(column)
            used.add(int(column))
    return matched


def read_scene(folder: Path):
    """(truth, detections, tracks): frame -> list of (id, box, counted) / (box) / (box)."""
    def rows(name, extra):
        path = folder / name
        if not path.is_file():
            raise SystemExit(f"diff_tracks.py: {path} not found (written by TrackingAccuracyIT with "
                             f"STRIX_TRACKING_DUMP)")
        by_frame = defaultdict(list)
        for number, line in enumerate(path.read_text().splitlines(), 1):
            fields = line.split(",")
            try:
                if len(fields) != 6 + extra:
                    raise ValueError(f"{len(fields)} fields")
                by_frame[int(fields[0])].append((int(fields[1]), tuple(float(v) for v in fields[2:6]), fields[6:]))
            except (ValueError, IndexError):
                raise SystemExit(f"diff_tracks.py: {path}:{number}: not a MOTChallenge line: {line!r}")
        return by_frame
    truth = {f: [(i, box, extra[0] == "1") for i, box, extra in v] for f, v in rows("gt.txt", 1).items()}
    return truth, rows("det.txt", 2), rows("tracks.txt", 2)


def scene_figures(truth, rows_by_frame, min_score: float) -> Tuple[Counter, Counter, Counter]:
    """Counted object-frames covered per object id; the boxes left over by their IoU with the nearest object; and the
    left-over boxes scoring at least min_score, by class (what the tracker may start a false track from)."""
    covered: Counter = Counter()
    stray: Counter = Counter()
    confident: Counter = Counter()
    for frame, objects in truth.items():
        rows = rows_by_frame.get(frame, [])
        overlaps = ious([box for _, box, _ in objects], [box for _, box, _ in rows])
        pairs = greedy(overlaps)
        for oi, (oid, _, counted) in enumerate(objects):
            if counted and oi in pairs:
                covered[oid] += 1
        for bi in set(range(len(rows))) - set(pairs.values()):
            nearest = overlaps[:, bi].max(initial=0.0)
            stray["nothing there" if nearest < NOTHING_THERE_IOU else "misplaced"] += 1
            score, name = rows[bi][2]
            if float(score) >= min_score:
                confident[name] += 1
    return covered, stray, confident


def first_boxes(truth) -> Dict[int, Tuple[int, Box]]:
    """Object id -> (the first frame it is in, its box there)."""
    first: Dict[int, Tuple[int, Box]] = {}
    for frame in sorted(truth):
        for oid, box, _ in truth[frame]:
            first.setdefault(oid, (frame, box))
    return first


def diff(baseline: Path, candidate: Path, top: int, min_score: float = NEW_TRACK_SCORE) -> List[str]:
    scenes = sorted(p.name for p in baseline.iterdir() if (p / "gt.txt").is_file())
    if not scenes:
        raise SystemExit(f"diff_tracks.py: no scene folders with gt.txt in {baseline}")
    out = []
    for scene in scenes:
        truth, base_det, base_tracks = read_scene(baseline / scene)
        _, cand_det, cand_tracks = read_scene(candidate / scene)
        objects = sum(1 for v in truth.values() for _, _, counted in v if counted)
        out.append(f"{scene}: {objects} counted object-frames")
        change: Counter = Counter()
        for who, det, tracks, sign in (("baseline", base_det, base_tracks, -1), ("candidate", cand_det, cand_tracks, 1)):
            det_covered, det_stray, det_confident = scene_figures(truth, det, min_score)
            covered, stray, _ = scene_figures(truth, tracks, min_score)
            for oid, frames in covered.items():
                change[oid] += sign * frames
            by_class = ", ".join(f"{name} {n}" for name, n in det_confident.most_common()) or "none"
            out.append(f"  {who:9}  detections cover {sum(det_covered.values())}, {sum(det_stray.values())} left over"
                       f" ({sum(det_confident.values())} scoring >= {min_score:g}: {by_class});"
                       f" tracks cover {sum(covered.values())}, false positives {sum(stray.values())}"
                       f" ({stray['misplaced']} misplaced boxes, {stray['nothing there']} with nothing there)")
        changed = sorted((v, oid) for oid, v in change.items() if v)
        first = first_boxes(truth)
        worst = [f"{oid} {v:+d} (first at frame {first[oid][0]}, box {','.join(f'{c:.0f}' for c in first[oid][1])})"
                 for v, oid in changed[:top] if v < 0]
        best = [f"{oid} {v:+d}" for v, oid in reversed(changed[-top:]) if v > 0]
        out.append(f"  change in tracked object-frames {sum(change.values()):+d} over {len(changed)} objects:"
                   f" gains {sum(v for v, _ in changed if v > 0)}, losses {sum(v for v, _ in changed if v < 0)}")
        out.append(f"    most lost: {'; '.join(worst) or 'none'}")
        out.append(f"    most gained: {'; '.join(best) or 'none'}")
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("baseline", type=Path)
    parser.add_argument("candidate", type=Path)
    parser.add_argument("--top", type=int, default=3, help="objects listed per scene for the losses and the gains")
    parser.add_argument("--min-score", type=float, default=NEW_TRACK_SCORE,
                        help="count the left-over detections scoring at least this, by class (default: the tracker's"
                             " new-track score, %(default)s)")
    args = parser.parse_args(argv)
    for folder in (args.baseline, args.candidate):
        if not folder.is_dir():
            parser.error(f"{folder} is not a folder")
    print("\n".join(diff(args.baseline, args.candidate, args.top, args.min_score)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
