#!/usr/bin/env python3
"""Evaluate a checkpoint or an exported ONNX model: COCO mAP@0.5:0.95, mAP@0.5 and per-class AP.

  /usr/bin/python3 model/eval.py (--weights FILE.pt | --onnx FILE.onnx) --data DIR/data.yaml [--split val]
  /usr/bin/python3 model/eval.py --predictions FILE.json --data DIR/data.yaml [--split val]

--predictions scores detections made elsewhere (the Java detector through Kafka) with the same mAP:
{"predictions": {"IMAGE_FILE_NAME": [[x1, y1, x2, y2, score, class_index], ...], ...}} in original pixels
(a split whose folders hold equal file names is refused: score each folder with its own data.yaml).

A split that data.yaml gives as several image sources (`val: [a/images/val, b/images/val]`) is scored as one set,
and each source's own figures are printed first (`source a/images/val: N images, mAP50-95=... mAP50=...`).

The last line printed is exactly `mAP50-95=X.XXX mAP50=X.XXX`. Both paths use the Java detector's
preprocessing (letterbox, pad 114, RGB / 255) and the same decoding and NMS.
"""
import argparse
import json
import sys
import time
from pathlib import Path

import onnx

from strix_model.checkpoint import load_model
from strix_model.data import DatasetError, load_data_config, load_ignore_regions
from strix_model.detector import format_input_size, input_size, input_size_arg
from strix_model.evaluation import (EVAL_CONF, EVAL_IOU, EVAL_MAX_DET, evaluate, evaluate_predictions,
                                     onnx_predictor, source_lines, torch_predictor)
from strix_model.metrics import ConfusionMatrix, SizeRecall, format_report
from strix_model.onnx_export import onnx_input_size, read_metadata
from strix_model.training import configure_threads


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--weights", type=Path, help="checkpoint (.pt) from train.py; its EMA weights are used")
    source.add_argument("--onnx", type=Path, help="model exported by export.py")
    source.add_argument("--predictions", type=Path, help="detections made elsewhere, as JSON (see above)")
    p.add_argument("--data", required=True, help="data.yaml of a YOLO-format dataset")
    p.add_argument("--split", default="val")
    p.add_argument("--imgsz", type=input_size_arg, default=None,
                   help="default: the model's own input size; S, or WxH (e.g. 576x320, a 16:9 letterbox), each a "
                        "multiple of 64. An ONNX model has one size, its export's; with --predictions, the detector's")
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--conf", type=float, default=EVAL_CONF)
    p.add_argument("--iou", type=float, default=EVAL_IOU, help="NMS IoU threshold")
    p.add_argument("--max-det", type=int, default=EVAL_MAX_DET)
    p.add_argument("--threads", type=int, default=None)
    p.add_argument("--min-size", type=float, default=0.0, metavar="PX",
                   help="score only objects of at least PX x PX pixels at the model input; smaller ones become "
                        "ignore regions (COCOeval's area ranges), for the found shares and --confusion too. "
                        "Default 0: every label counts")
    p.add_argument("--no-ignore-regions", action="store_true",
                   help="score detections on the dataset's iscrowd objects (annotations/SPLIT.json: camsim's objects "
                        "too small or hidden to be labels) as false positives instead of ignoring them as COCOeval does")
    p.add_argument("--found-conf", type=float, nargs="+", default=[0.25], metavar="CONF",
                   help="also report, at each of these confidences (default: the detector's 0.25), the share of "
                        "objects found by size at the model input and the precision")
    p.add_argument("--every", type=int, default=1, metavar="N",
                   help="score every N-th image of the split only, e.g. --split train --every 11: a sample of the "
                        "training images; a model that scores there what it scores on val underfits")
    p.add_argument("--confusion", action="store_true",
                   help="also print which class each labelled object was detected as (at the first --found-conf, "
                        "IoU 0.5), the objects missed and the detections that found none")
    args = p.parse_args(argv)
    tallies = [SizeRecall(conf=c) for c in args.found_conf]
    by_source = {}
    configure_threads(args.threads)
    try:
        data = load_data_config(args.data)
        regions = {} if args.no_ignore_regions else load_ignore_regions(data, args.split)
        if args.confusion:
            tallies.append(ConfusionMatrix(data.names, conf=args.found_conf[0]))
        if args.predictions:
            with open(args.predictions, encoding="utf-8") as f:
                predictions = json.load(f)["predictions"]
            started = time.time()
            result = evaluate_predictions(predictions, data, args.split, max_det=args.max_det,
                                          min_size=args.min_size, imgsz=args.imgsz or 320,
                                          tallies=tallies, ignore_regions=regions, every=args.every,
                                          by_source=by_source)
            print(f"{args.split}{_sample(args)}: {data.dataset_id}, predictions from {args.predictions}"
                  f"{_ignored(regions, args)}, {time.time() - started:.1f}s")
            _print_report(result, data, tallies, by_source)
            return 0
        if args.weights:
            model, checkpoint = load_model(args.weights)
            names, imgsz = checkpoint["names"], args.imgsz or input_size(checkpoint["imgsz"])
            predict = torch_predictor(model)
            scored = str(args.weights)
        else:
            if not args.onnx.is_file():
                raise FileNotFoundError(f"ONNX model {args.onnx} does not exist")
            proto = onnx.load(str(args.onnx), load_external_data=False)
            meta = read_metadata(proto)
            names = json.loads(meta["names"]) if "names" in meta else data.names
            imgsz = onnx_input_size(proto)
            if args.imgsz and imgsz and args.imgsz != imgsz:
                raise ValueError(f"{args.onnx} was exported for {format_input_size(imgsz)}; "
                                 f"--imgsz {format_input_size(args.imgsz)} cannot change it")
            imgsz = imgsz or args.imgsz or input_size(320)
            predict = onnx_predictor(args.onnx)
            scored = f"{args.onnx}, version {meta.get('version', 'unknown')}"
        if list(names) != data.names:
            raise ValueError(f"the model's classes {list(names)} differ from the dataset's {data.names}")
        started = time.time()
        result = evaluate(predict, data, args.split, imgsz, batch=args.batch, conf=args.conf, iou=args.iou,
                          max_det=args.max_det, log=lambda s: (sys.stderr.write(s), sys.stderr.flush()),
                          min_size=args.min_size, tallies=tallies, ignore_regions=regions, every=args.every,
                          by_source=by_source)
    except (DatasetError, ValueError, FileNotFoundError) as e:
        print(f"eval.py: {e}", file=sys.stderr)
        return 2
    objects = f", objects >= {args.min_size:g}x{args.min_size:g} px at the input" if args.min_size else ""
    print(f"model: {scored}")  # which file these figures belong to (models/scores/ keeps the shipped files' logs)
    print(f"{args.split}{_sample(args)}: {data.dataset_id}, imgsz {format_input_size(imgsz)}{objects}"
          f"{_ignored(regions, args)}, {time.time() - started:.1f}s")
    _print_report(result, data, tallies, by_source)
    return 0


def _print_report(result, data, tallies, by_source) -> None:
    for line in source_lines(by_source, data.root):
        print(line)
    print("\n".join(tally.report() for tally in tallies))
    print(format_report(result, data.names))  # its last line, the summary, is what scripts read


def _sample(args) -> str:
    return f" (1 image in {args.every})" if args.every > 1 else ""


def _ignored(regions, args) -> str:
    if args.no_ignore_regions:
        return ", iscrowd objects not ignored"
    count = sum(len(r) for r in regions.values())
    return f", {count} iscrowd ignore regions" if count else ""


if __name__ == "__main__":
    sys.exit(main())
