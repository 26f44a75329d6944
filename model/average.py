#!/usr/bin/env python3
"""Average checkpoints of the same model in weight space (WiSE-FT: Wortsman et al., CVPR 2022; SWA: Izmailov et al.).

  /usr/bin/python3 model/average.py --weights BASE.pt FINETUNED.pt --alpha 0.5 --out OUT.pt
  /usr/bin/python3 model/average.py --weights A.pt B.pt C.pt --out OUT.pt      # three or more: their plain mean

OUT = (1 - alpha) * BASE + alpha * FINETUNED, over the EMA weights (what validation scores and export uses); BatchNorm
statistics are averaged the same way, integer buffers come from the last checkpoint. Made for a fine-tune and the
model it started from (the fine-tune gains on its own data and loses elsewhere, the average usually keeps most of
both); the shipped steps 14 and 15 average a model with the end of a schedule from it (two snapshots of SWA,
models/HISTORY.md), and three or more schedule ends are SWA's plain mean. OUT carries the last checkpoint's metadata
(classes, input size; every training data id once) and no optimizer state, so eval.py and export.py take it like
any best.pt; it cannot be resumed.
"""
import argparse
import re
import sys
from pathlib import Path
from typing import List, Optional

import torch

from strix_model.checkpoint import load_checkpoint, weights_of


AVERAGED = re.compile(r" \(weights averaged, [^)]*\)$")


def data_ids(dataset_id: str) -> list:
    """The training data ids in a checkpoint's dataset id, without the note that an earlier average added."""
    return [i for i in AVERAGED.sub("", dataset_id).split(" | ") if i]


def average(checkpoints: List[dict], alpha: Optional[float] = None) -> dict:
    """Two checkpoints: (1 - alpha) * first + alpha * second (alpha 0.5 unless given); more: their plain mean."""
    if len(checkpoints) < 2:
        raise ValueError("give at least two checkpoints")
    if alpha is not None and len(checkpoints) > 2:
        raise ValueError(f"--alpha weighs two checkpoints; {len(checkpoints)} are averaged with equal weights")
    alpha = 0.5 if alpha is None else alpha
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"--alpha {alpha}: give a weight between 0 and 1")
    first, last = checkpoints[0], checkpoints[-1]
    for other in checkpoints[1:]:
        if other["model_config"] != first["model_config"] or other["names"] != first["names"]:
            raise ValueError(f"the checkpoints are of different models: {first['model_config']} {first['names']} "
                             f"vs {other['model_config']} {other['names']}")
    states = [weights_of(c) for c in checkpoints]
    if len(states) == 2:  # lerp, as steps 14 and 15 were made: re-running their commands gives the same bits
        a, b = states
        weights = {name: torch.lerp(a[name].float(), b[name].float(), alpha).to(b[name].dtype)
                   if b[name].is_floating_point() else b[name].clone() for name in b}
        note = f"alpha {alpha:g}"
    else:
        weights = {name: torch.stack([s[name].float() for s in states]).mean(0).to(value.dtype)
                   if value.is_floating_point() else value.clone() for name, value in states[-1].items()}
        note = f"mean of {len(states)}"
    # Each training data id once, also where a checkpoint is itself an average (step 14's files named theirs twice).
    ids = dict.fromkeys(i for c in checkpoints for i in data_ids(c["dataset_id"]))
    return dict(last, model=weights, ema=weights, optimizer=None, metrics=None,
                dataset_id=f"{' | '.join(ids)} (weights averaged, {note})",
                averaged={"alpha": alpha if len(states) == 2 else None,
                          "metrics": [c.get("metrics") for c in checkpoints]})


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--weights", nargs="+", type=Path, required=True, metavar="CHECKPOINT",
                   help="BASE.pt FINETUNED.pt, or three or more checkpoints for their plain mean")
    p.add_argument("--alpha", type=float, default=None,
                   help="with two checkpoints: weight of the second (0: the first, 1: the second; default 0.5)")
    p.add_argument("--out", type=Path, required=True)
    args = p.parse_args(argv)
    try:
        merged = average([load_checkpoint(w) for w in args.weights], args.alpha)
    except (ValueError, FileNotFoundError) as e:
        print(f"average.py: {e}", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    torch.save(merged, args.out)
    alpha = merged["averaged"]["alpha"]
    if alpha is not None:
        print(f"wrote {args.out}: {1 - alpha:g} x {args.weights[0]} + {alpha:g} x {args.weights[1]}")
    else:
        print(f"wrote {args.out}: the mean of {', '.join(map(str, args.weights))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
