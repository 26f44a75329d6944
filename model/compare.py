#!/usr/bin/env python3
"""Judge new weights against the shipped ones by the model card's ship rule, from eval.py's logs.

  /usr/bin/python3 model/compare.py --candidate DIR [--baseline models/scores] [--default 384x256] [--tolerance 0.005]

Each folder holds one eval.py log per input size, named eval-SIZE.log (model/candidate.sh writes them; the shipped
files' logs are committed in models/scores, the baseline). A log's figures are the image-weighted mean of its
`source ...` lines (one per val folder of the data.yaml), or its last line where there is only one folder, so a set
of 196 images and one of 496 count by their images, as the card's figures do.

The rule: a size passes when mAP50-95 + mAP50 rises and neither falls by more than the tolerance; the candidate
ships (all sizes, one version) when the default size passes and no size falls by more than the tolerance on either
figure. The last line is `ship` or `keep`; the exit status 0 either way, 2 on unreadable logs.
"""
import argparse
import re
import sys
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from strix_model.metrics import parse_source_line, parse_summary

SHIPPED_SCORES = Path(__file__).resolve().parents[1] / "models" / "scores"
LOG_NAME = re.compile(r"^eval-(\d+(?:x\d+)?)\.log$")

Figures = Tuple[float, float]


class LogError(ValueError):
    pass


def read_figures(text: str, where: str = "log") -> Figures:
    """(mAP50-95, mAP50) of one eval.py log: its sources weighted by their images, else its summary line."""
    sources: List[Tuple[int, float, float]] = []
    summary: Optional[Figures] = None
    for line in text.splitlines():
        source = parse_source_line(line)
        if source:
            sources.append(source[1:])
        summary = parse_summary(line) or summary
    if summary is None:
        raise LogError(f"{where}: no `mAP50-95=X mAP50=Y` line (did eval.py finish?)")
    if not sources:
        return summary
    images = sum(n for n, _, _ in sources)
    return (sum(n * a for n, a, _ in sources) / images, sum(n * b for n, _, b in sources) / images)


def read_folder(folder: Path) -> Dict[str, Figures]:
    figures = {}
    for path in sorted(folder.glob("eval-*.log")):
        m = LOG_NAME.match(path.name)
        if m:
            figures[m.group(1)] = read_figures(path.read_text(), str(path))
    if not figures:
        raise LogError(f"{folder}: no eval-SIZE.log files")
    return figures


def judge(baseline: Dict[str, Figures], candidate: Dict[str, Figures], default: str,
          tolerance: float) -> Tuple[List[str], bool]:
    """The report's lines and whether the candidate ships."""
    sizes = [s for s in baseline if s in candidate]
    missing = sorted(set(baseline) ^ set(candidate))
    if default not in sizes:
        raise LogError(f"the default size {default} needs a log in both folders")
    lines = ["| size | mAP50-95 baseline → candidate | mAP50 baseline → candidate | verdict |", "|---|---|---|---|"]
    falls = []
    passes = {}
    for size in sorted(sizes, key=lambda s: [int(x) for x in s.split("x")]):
        (b1, b2), (c1, c2) = baseline[size], candidate[size]
        d1, d2 = c1 - b1, c2 - b2
        fell = d1 < -tolerance or d2 < -tolerance
        passes[size] = d1 + d2 > 0 and not fell
        if fell:
            falls.append(size)
        verdict = "passes" if passes[size] else ("falls" if fell else "no gain")
        lines.append(f"| {size} | {b1:.3f} → {c1:.3f} ({d1:+.3f}) | {b2:.3f} → {c2:.3f} ({d2:+.3f}) | {verdict} |")
    if missing:
        lines.append(f"sizes in one folder only (not judged): {', '.join(missing)}")
    ship = passes[default] and not falls
    if not passes[default]:
        lines.append(f"the default size {default} does not pass")
    if falls:
        lines.append(f"falls by more than {tolerance}: {', '.join(falls)}")
    lines.append("ship" if ship else "keep")
    return lines, ship


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--baseline", type=Path, default=SHIPPED_SCORES,
                   help="eval-SIZE.log files to beat (default: the shipped models' committed logs, models/scores)")
    p.add_argument("--candidate", required=True, type=Path, help="eval-SIZE.log files of the new weights")
    p.add_argument("--default", default="384x256", help="the detector's default input size; it must pass")
    p.add_argument("--tolerance", type=float, default=0.005, help="the most either figure may fall at any size")
    args = p.parse_args(argv)
    try:
        lines, _ = judge(read_folder(args.baseline), read_folder(args.candidate), args.default, args.tolerance)
    except (LogError, OSError) as e:
        print(f"compare.py: {e}", file=sys.stderr)
        return 2
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
