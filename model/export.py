#!/usr/bin/env python3
"""Export a checkpoint to ONNX for the Java detector, plus its parity fixture.

  /usr/bin/python3 model/export.py --weights RUN_DIR/best.pt --imgsz 320 --out models/mobilevit-yolo-xxs-320.onnx

Input `images` float32 [B,3,H,W] (dynamic B; --imgsz S or WxH), output `output0` [B,4+nc,N]; metadata_props carry
names, imgsz (S, or [H, W] as Ultralytics writes it), strides, variant, version and dataset_id. Weights are stored as
float16 (cast to float32 in the graph; --fp32-weights keeps them float32). Also writes OUT.parity.json + OUT.parity.bin.
"""
import argparse
import sys
import warnings
from pathlib import Path

import numpy as np

from strix_model.checkpoint import load_model  # first: strix_model sets the OpenMP wait policy before torch loads
from strix_model.detector import input_size, input_size_arg
from strix_model.onnx_export import (PARITY_RELATIVE_TOLERANCE, PARITY_TOLERANCE, default_version, export_onnx,
                                     parity_excess, parity_input, parity_paths, read_metadata, save_onnx,
                                     store_weights_as_float16, write_parity_fixture)
from strix_model.onnx_numpy import NumpyOnnxModel
from strix_model.training import configure_threads

import torch  # noqa: E402


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
                   help="skip checking the float32 graph against PyTorch with the NumPy interpreter")
    p.add_argument("--fp32-weights", action="store_true",
                   help="store the weights as float32 (twice the size) instead of float16")
    args = p.parse_args(argv)
    configure_threads(args.threads)
    try:
        model, checkpoint = load_model(args.weights)
        imgsz = args.imgsz or input_size(checkpoint["imgsz"])
        version = args.version or default_version(model)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer warnings about shape constants are expected here
            graph32 = export_onnx(model, imgsz, checkpoint["names"], version, checkpoint["dataset_id"])
        parity = parity_input(imgsz, args.parity_image)
        images = parity.tensor
    except (ValueError, FileNotFoundError) as e:
        print(f"export.py: {e}", file=sys.stderr)
        return 2
    with torch.no_grad():
        expected = model.eval()(torch.from_numpy(images)).numpy()
    if not args.no_verify:
        actual = NumpyOnnxModel(graph32).run({"images": images})[0]
        print(f"ONNX (NumPy interpreter) vs PyTorch: max abs difference {np.abs(actual - expected).max():.2e}")
        if parity_excess(actual, expected) > 0:
            print(f"export.py: ONNX output differs from PyTorch by more than {PARITY_TOLERANCE} + "
                  f"{PARITY_RELATIVE_TOLERANCE} x |value|", file=sys.stderr)
            return 1
    proto = graph32 if args.fp32_weights else store_weights_as_float16(graph32)
    save_onnx(proto, args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB, {'float32' if args.fp32_weights else 'float16'}"
          f" weights), onnx.checker passed")
    for key, value in read_metadata(proto).items():
        print(f"  {key}: {value}")
    # The fixture holds what the stored file computes: PyTorch's output, or the float16 weights' through the
    # NumPy interpreter (ONNX Runtime in the Java parity test must agree with it).
    output = expected if proto is graph32 else NumpyOnnxModel(proto).run({"images": images})[0]
    if proto is not graph32:
        rounding = np.abs(output - expected)
        print(f"float16 weights vs PyTorch's float32: max abs difference {rounding[:, :4].max():.2e} on boxes "
              f"(input pixels), {rounding[:, 4:].max():.2e} on class scores")
    fixture = write_parity_fixture(output, args.out, parity)
    json_path, bin_path = parity_paths(args.out)
    print(f"wrote parity fixture {json_path.name} + {bin_path.name} "
          f"({len(fixture['detections']['rows'])} detections at conf {fixture['detections']['conf_threshold']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
