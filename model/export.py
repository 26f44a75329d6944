#!/usr/bin/env python3
"""Export a checkpoint to ONNX for the Java detector, plus its parity fixture.

  /usr/bin/python3 model/export.py --weights RUN_DIR/best.pt --imgsz 320 --out models/mobilevit-yolo-xxs-320.onnx

Input `images` float32 [B,3,H,W] (dynamic B; --imgsz S or WxH), output `output0` [B,4+nc,N]; metadata_props carry
names, imgsz (S, or [H, W] as Ultralytics writes it), strides, variant, version and dataset_id. Also writes OUT.parity.json + OUT.parity.bin.
"""
import argparse
import sys
import warnings
from pathlib import Path

import numpy as np

from strix_model.checkpoint import load_model
from strix_model.detector import input_size, input_size_arg
from strix_model.onnx_export import (export_onnx, default_version, parity_paths, read_metadata,
                                     write_parity_fixture)
from strix_model.training import configure_threads


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--weights", required=True, type=Path)
    p.add_argument("--imgsz", type=input_size_arg, default=None,
                   help="S or WxH (e.g. 576x320 for 16:9 cameras); default: the size the model was trained at")
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--version", default=None, help="model version (default: date + hash of the weights)")
    p.add_argument("--parity-image", type=Path, default=None,
                   help="image for the parity fixture (default: a generated scene)")
    p.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: all available CPUs)")
    p.add_argument("--no-verify", action="store_true",
                   help="skip running the ONNX file with the NumPy interpreter against PyTorch")
    args = p.parse_args(argv)
    configure_threads(args.threads)
    try:
        model, checkpoint = load_model(args.weights)
        imgsz = args.imgsz or input_size(checkpoint["imgsz"])
        version = args.version or default_version(model)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer warnings about shape constants are expected here
            proto = export_onnx(model, args.out, imgsz, checkpoint["names"], version, checkpoint["dataset_id"])
        fixture = write_parity_fixture(model, args.out, imgsz, args.parity_image)
    except (ValueError, FileNotFoundError) as e:
        print(f"export.py: {e}", file=sys.stderr)
        return 2
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB), onnx.checker passed")
    for key, value in read_metadata(proto).items():
        print(f"  {key}: {value}")
    json_path, bin_path = parity_paths(args.out)
    print(f"wrote parity fixture {json_path.name} + {bin_path.name} "
          f"({len(fixture['detections']['rows'])} detections at conf {fixture['detections']['conf_threshold']})")
    if not args.no_verify:
        from strix_model.onnx_export import read_parity_fixture
        from strix_model.onnx_numpy import NumpyOnnxModel

        arrays = read_parity_fixture(json_path)
        ours = NumpyOnnxModel(proto).run({"images": arrays["images"]})[0]
        diff = float(np.abs(ours - arrays["output0"]).max())
        print(f"ONNX (NumPy interpreter) vs PyTorch: max abs difference {diff:.2e}")
        if diff > fixture["tolerance"]:
            print(f"export.py: ONNX output differs from PyTorch by {diff} > {fixture['tolerance']}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
