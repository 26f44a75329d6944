#!/usr/bin/env python3
"""Average two checkpoints of the same model in weight space (WiSE-FT: Wortsman et al., CVPR 2022).

  /usr/bin/python3 model/average.py --weights BASE.pt FINETUNED.pt --alpha 0.5 --out OUT.pt

OUT = (1 - alpha) * BASE + alpha * FINETUNED, over the EMA weights (what validation scores and export uses); BatchNorm
statistics are averaged the same way, integer buffers come from FINETUNED. Made for a fine-tune and the model it
started from (the fine-tune gains on its own data and loses elsewhere, the average usually keeps most of both); the
shipped steps 14 and 15 average a model with the end of a schedule from it (two snapshots of SWA, models/README.md).
OUT carries FINETUNED's metadata (classes, input size, dataset id) and no optimizer state, so eval.py and
export.py take it like any best.pt; it cannot be resumed.
"""
import argparse
import re
import sys
from pathlib import Path

import torch

from strix_model.checkpoint import load_checkpoint


AVERAGED = re.compile(r" \(weights averaged, alpha [^)]*\)$")


def data_ids(dataset_id: str) -> list:
    """The training data ids in a checkpoint's dataset id, without the note that an earlier average added."""
    return [i for i in AVERAGED.sub("", dataset_id).split(" | ") if i]


def average(base: dict, finetuned: dict, alpha: float) -> dict:
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"--alpha {alpha}: give a weight between 0 and 1")
    if base["model_config"] != finetuned["model_config"] or base["names"] != finetuned["names"]:
        raise ValueError(f"the checkpoints are of different models: {base['model_config']} {base['names']} vs "
                         f"{finetuned['model_config']} {finetuned['names']}")
    a, b = (c["ema"] if c.get("ema") is not None else c["model"] for c in (base, finetuned))
    weights = {name: torch.lerp(a[name].float(), b[name].float(), alpha).to(b[name].dtype)
               if b[name].is_floating_point() else b[name].clone() for name in b}
    # Each training data id once, also where a checkpoint is itself an average (step 14's files named theirs twice).
    ids = dict.fromkeys(data_ids(base["dataset_id"]) + data_ids(finetuned["dataset_id"]))
    return dict(finetuned, model=weights, ema=weights, optimizer=None, metrics=None,
                dataset_id=f"{' | '.join(ids)} (weights averaged, alpha {alpha:g})",
                averaged={"alpha": alpha, "base_metrics": base.get("metrics"),
                          "finetuned_metrics": finetuned.get("metrics")})


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--weights", nargs=2, type=Path, required=True, metavar=("BASE", "FINETUNED"))
    p.add_argument("--alpha", type=float, default=0.5, help="weight of FINETUNED (0: BASE, 1: FINETUNED)")
    p.add_argument("--out", type=Path, required=True)
    args = p.parse_args(argv)
    try:
        merged = average(load_checkpoint(args.weights[0]), load_checkpoint(args.weights[1]), args.alpha)
    except (ValueError, FileNotFoundError) as e:
        print(f"average.py: {e}", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    torch.save(merged, args.out)
    print(f"wrote {args.out}: {1 - args.alpha:g} x {args.weights[0]} + {args.alpha:g} x {args.weights[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
