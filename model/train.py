#!/usr/bin/env python3
"""Train MobileViT-YOLO on a YOLO-format dataset.

  /usr/bin/python3 model/train.py --data DIR/data.yaml --variant xxs --imgsz 320 --epochs 100 --batch 16 \
      --out runs/xxs-320 [--resume] [--device cpu|cuda] [--multiscale] [--workers N] [--time-limit S] [--val-every N]

Writes RUN_DIR/last.pt (every epoch, resumable), RUN_DIR/best.pt (best validation fitness) and
RUN_DIR/results.csv (the learning curve). See model/README.md.
"""
import argparse
import dataclasses
import sys
from pathlib import Path

from strix_model.data import DatasetError
from strix_model.detector import input_size_arg
from strix_model.training import PRECISIONS, RUN_FIELDS, TrainConfig, Trainer

DEFAULTS = TrainConfig(data="")


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", help="data.yaml of a YOLO-format dataset (not needed with --resume)")
    p.add_argument("--variant", choices=["xxs", "xs", "s"], default=DEFAULTS.variant)
    p.add_argument("--imgsz", type=input_size_arg, default=DEFAULTS.imgsz,
                   help="input size: S (square) or WxH, e.g. 576x320 for 16:9 cameras; each a multiple of 64")
    p.add_argument("--epochs", type=int, default=None, help=f"total epochs (default {DEFAULTS.epochs}; "
                   "with --resume, the saved total unless given)")
    p.add_argument("--batch", type=int, default=DEFAULTS.batch, help="batch size (at --imgsz when multi-scale)")
    p.add_argument("--out", required=True, help="run directory for checkpoints and results.csv")
    p.add_argument("--resume", action="store_true", help="continue the run in --out from its last.pt")
    p.add_argument("--init", metavar="CHECKPOINT",
                   help="fine-tune: start from this .pt's EMA weights, or a shipped .onnx file's weights, with a "
                        "fresh optimizer and schedule (unlike --resume, which continues a run's own schedule)")
    p.add_argument("--device", default="cpu", help="cpu or cuda[:N]")
    p.add_argument("--precision", choices=PRECISIONS, default=DEFAULTS.precision,
                   help="forward pass in bfloat16 autocast or float32; auto (default): bfloat16 on a GPU and on a CPU "
                        "that computes it natively (AVX512-BF16 / AMX: about twice float32's speed), else float32 "
                        "(float16 on a GPU without bfloat16)")
    p.add_argument("--multiscale", action="store_true",
                   help="MobileViT's multi-scale sampler: per-batch sizes 0.5x..1.5x imgsz (a rectangle keeps its "
                        "aspect), batch scaled by area")
    p.add_argument("--workers", type=int, default=None, help="data loader processes (default: half the CPUs, 1..4)")
    p.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: all available CPUs)")
    p.add_argument("--seed", type=int, default=DEFAULTS.seed)
    p.add_argument("--lr-start", type=float, default=DEFAULTS.lr_start)
    p.add_argument("--lr-max", type=float, default=DEFAULTS.lr_max)
    p.add_argument("--lr-min", type=float, default=DEFAULTS.lr_min)
    p.add_argument("--warmup-epochs", type=float, default=DEFAULTS.warmup_epochs)
    p.add_argument("--weight-decay", type=float, default=DEFAULTS.weight_decay)
    p.add_argument("--mosaic", type=float, default=DEFAULTS.mosaic, help="probability of 4-image mosaic")
    p.add_argument("--repeat-threshold", type=float, default=DEFAULTS.repeat_threshold, metavar="T",
                   help="repeat images with rare classes: a class in a fraction f < T of the images repeats them "
                        "sqrt(T/f) times on average (LVIS repeat-factor sampling; 0: off)")
    p.add_argument("--class-weight-power", type=float, default=DEFAULTS.class_weight_power, metavar="P",
                   help="weigh each object of a class with fewer objects per epoch than the average class by "
                        "(mean/count)^P in the classification loss (between 1 and --class-weight-cap; 0: off). "
                        "Changes the score scale of those classes, which the tracker's thresholds see")
    p.add_argument("--class-weight-cap", type=float, default=None, metavar="C",
                   help=f"the most a class's objects weigh with --class-weight-power (at least 1; default "
                        f"{DEFAULTS.class_weight_cap:g}; refused without it)")
    p.add_argument("--box-gain", type=float, default=DEFAULTS.box_gain, metavar="G",
                   help="weight of the CIoU box loss against the class (0.5) and DFL (1.5) losses (YOLOv8's 7.5); "
                        "more asks for tighter boxes at some cost to the scores")
    p.add_argument("--scale", type=float, default=DEFAULTS.scale, help="random zoom range +-")
    p.add_argument("--translate", type=float, default=DEFAULTS.translate, help="random shift, fraction of imgsz")
    p.add_argument("--flip", type=float, default=DEFAULTS.flip, help="horizontal flip probability")
    p.add_argument("--hsv", type=float, nargs=3, metavar=("H", "S", "V"),
                   default=[DEFAULTS.hsv_h, DEFAULTS.hsv_s, DEFAULTS.hsv_v], help="HSV jitter gains")
    p.add_argument("--ema-tau", type=float, default=DEFAULTS.ema_tau, help="EMA warm-up in optimizer steps")
    p.add_argument("--val-batch", type=int, default=DEFAULTS.val_batch)
    p.add_argument("--val-every", type=int, default=DEFAULTS.val_every,
                   help="validate every N epochs (always after the last); best.pt is chosen among validated epochs")
    p.add_argument("--time-limit", type=float, default=None, metavar="SECONDS",
                   help="end within this many seconds: after each epoch the total is cut to what fits, and the "
                        "cosine schedule ends there (for a fixed slot, e.g. a lent GPU)")
    p.add_argument("--log-interval", type=float, default=DEFAULTS.log_interval_s, help="seconds between progress lines")
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.resume and args.init:
        print("train.py: --init starts a new run from a checkpoint; --resume continues one; give one of them",
              file=sys.stderr)
        return 2
    cfg = TrainConfig(
        data=args.data or "", variant=args.variant, imgsz=args.imgsz,
        epochs=args.epochs if args.epochs is not None else (0 if args.resume else DEFAULTS.epochs),
        batch=args.batch, out=args.out, device=args.device, precision=args.precision, multiscale=args.multiscale,
        workers=args.workers, threads=args.threads, seed=args.seed, lr_start=args.lr_start, lr_max=args.lr_max,
        lr_min=args.lr_min, warmup_epochs=args.warmup_epochs, weight_decay=args.weight_decay, mosaic=args.mosaic,
        repeat_threshold=args.repeat_threshold, class_weight_power=args.class_weight_power, box_gain=args.box_gain,
        class_weight_cap=DEFAULTS.class_weight_cap if args.class_weight_cap is None else args.class_weight_cap,
        scale=args.scale, translate=args.translate, flip=args.flip,
        hsv_h=args.hsv[0], hsv_s=args.hsv[1], hsv_v=args.hsv[2], ema_tau=args.ema_tau, val_batch=args.val_batch,
        val_every=args.val_every, time_limit_s=args.time_limit, log_interval_s=args.log_interval, init=args.init)
    if args.resume:
        # The Trainer takes only RUN_FIELDS from a resumed run's command; a recipe flag given here would be lost.
        changed = dict.fromkeys("--hsv" if f.name.startswith("hsv_") else "--" + f.name.replace("_", "-")
                                for f in dataclasses.fields(TrainConfig)
                                if f.name not in RUN_FIELDS and getattr(cfg, f.name) != getattr(DEFAULTS, f.name))
        if changed:
            print(f"train.py: --resume continues the run's own recipe (saved in its last.pt); {', '.join(changed)} "
                  f"would change it: start a new run from it with --init {Path(args.out) / 'last.pt'} instead",
                  file=sys.stderr)
            return 2
    if not args.resume and not args.data:
        print("train.py: --data is required (unless --resume)", file=sys.stderr)
        return 2
    if args.class_weight_cap is not None and args.class_weight_power == 0 and not args.resume:
        print(f"train.py: --class-weight-cap {args.class_weight_cap:g} has no effect without --class-weight-power",
              file=sys.stderr)
        return 2
    if not args.box_gain > 0:
        print(f"train.py: --box-gain {args.box_gain:g}: it must be above 0", file=sys.stderr)
        return 2
    try:
        Trainer(cfg, resume=args.resume, log=lambda s: print(s, flush=True)).run()
    except (DatasetError, ValueError, FileNotFoundError) as e:
        print(f"train.py: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
