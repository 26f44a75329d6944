#!/usr/bin/env python3
"""A checkpoint (.pt) rebuilt from a shipped ONNX file, for a machine whose PyTorch cannot rebuild it (the lent GPU's).

  /usr/bin/python3 model/onnx_to_checkpoint.py --onnx models/mobilevit-yolo-xxs-448x256.onnx \\
      --data DIR/data.yaml --out .gpu-data/init.pt

`train.py --init FILE.onnx` does the same in place, but only with the PyTorch that exported the file (from_onnx.py
finds the weights by exporting a probe model). This writes what `--init` takes on any PyTorch: the weights, with
BatchNorm statistics measured on 128 augmented training images of --data, stored as float16 (the ONNX file's
weights are float16 already; half the carry), as the EMA-less `model` of a checkpoint. eval.py and export.py take
it too; it cannot be resumed.
"""
import argparse
import sys
from pathlib import Path

import onnx
import torch

from strix_model.checkpoint import weights_only
from strix_model.data import YoloDataset, load_data_config
from strix_model.from_onnx import checkpoint_from_onnx
from strix_model.onnx_export import onnx_input_size
from strix_model.training import TrainConfig, configure_threads


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--onnx", type=Path, required=True, help="a model exported by export.py")
    p.add_argument("--data", required=True, help="data.yaml whose training images calibrate the BatchNorms")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: all available CPUs)")
    args = p.parse_args(argv)
    configure_threads(args.threads)
    try:
        imgsz = onnx_input_size(onnx.load(str(args.onnx))) if args.onnx.is_file() else None
        augment = TrainConfig(data=args.data).augment()  # as training sees the images
        dataset = YoloDataset(load_data_config(args.data), "train", imgsz or 320, augment)
        checkpoint = checkpoint_from_onnx(args.onnx, dataset, seed=args.seed)
    except (ValueError, FileNotFoundError) as e:  # DatasetError is a ValueError
        print(f"onnx_to_checkpoint.py: {e}", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    torch.save(weights_only(checkpoint, half=True), args.out)
    print(f"wrote {args.out}: rebuilt from {checkpoint['from_onnx']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
