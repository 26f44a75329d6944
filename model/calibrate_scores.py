#!/usr/bin/env python3
"""Calibrate a checkpoint's class scores to a reference model: per class, as many false positives at the detector's
confidence as the reference makes there.

  /usr/bin/python3 model/calibrate_scores.py --weights CANDIDATE.pt --reference models/mobilevit-yolo-xxs-384x256.onnx \
      --data data/camsim-mix.yaml --out CALIBRATED.pt [--conf 0.25] [--imgsz 384x256]

Both models detect on the --split (default val) of --data at the reference's input size, with the detector's NMS
(IoU 0.45). Per class, the candidate's threshold nearest --conf that gives the reference's false-positive count there
becomes --conf: the class logit is lowered by the difference, in the head's bias (strix_model/score_calibration.py
says why). Classes are only lowered, never raised above their trained scores. A location keeps its best class only,
so lowering one class can give its boxes to another: the candidate is measured and shifted again, up to --rounds
times. Prints each round's counts and shifts, the offsets, and the candidate's counts at --conf after calibration.
OUT is a checkpoint like average.py's: eval.py and export.py take it. Use the training data's own val split, not the
sets the candidate is then judged on.
"""
import argparse
import json
import sys
from pathlib import Path

import onnx
import torch

from strix_model.score_calibration import ScoreProfile, class_shifts, format_shifts, shift_class_logits
from strix_model.checkpoint import load_checkpoint, model_from_checkpoint
from strix_model.data import DatasetError, load_data_config
from strix_model.detector import format_input_size, input_size, input_size_arg
from strix_model.evaluation import evaluate, onnx_predictor, torch_predictor
from strix_model.onnx_export import onnx_input_size, read_metadata
from strix_model.training import configure_threads

DETECTOR_NMS_IOU = 0.45  # the Java detector's default (DetectorConfig), which the tracker sees
PROFILE_CONF = 0.05      # detections are profiled from here up; thresholds are placed above it


def profile(predict, data, split, imgsz, batch) -> ScoreProfile:
    tally = ScoreProfile(data.num_classes, conf=PROFILE_CONF)
    evaluate(predict, data, split, imgsz, batch=batch, conf=PROFILE_CONF, iou=DETECTOR_NMS_IOU, tallies=[tally])
    return tally


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--weights", type=Path, required=True, help="the checkpoint to calibrate (.pt)")
    p.add_argument("--reference", type=Path, required=True, help="the model whose false positives to match (.onnx)")
    p.add_argument("--data", required=True, help="data.yaml whose --split both models detect on")
    p.add_argument("--split", default="val")
    p.add_argument("--conf", type=float, default=0.25, help="the detector's confidence threshold (default 0.25)")
    p.add_argument("--imgsz", type=input_size_arg, default=None, help="default: the reference's input size")
    p.add_argument("--rounds", type=int, default=3,
                   help="measure and shift again up to this many times (a location keeps its best class only, so "
                        "lowering one class can give its boxes to another; default 3)")
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--threads", type=int, default=None)
    p.add_argument("--out", type=Path, required=True)
    args = p.parse_args(argv)
    configure_threads(args.threads)
    try:
        if args.rounds < 1:
            raise ValueError(f"--rounds {args.rounds}: give at least 1")
        if not PROFILE_CONF < args.conf < 1:
            raise ValueError(f"--conf {args.conf:g}: give a confidence between {PROFILE_CONF:g} and 1")
        data = load_data_config(args.data)
        checkpoint = load_checkpoint(args.weights)
        if not args.reference.is_file():
            raise FileNotFoundError(f"reference model {args.reference} does not exist")
        proto = onnx.load(str(args.reference), load_external_data=False)
        reference_names = json.loads(read_metadata(proto).get("names", "null")) or data.names
        for who, names in (("the reference", reference_names), (str(args.weights), checkpoint["names"])):
            if list(names) != data.names:
                raise ValueError(f"{who}'s classes {list(names)} differ from the dataset's {data.names}")
        imgsz = args.imgsz or onnx_input_size(proto) or input_size(checkpoint["imgsz"])
        if onnx_input_size(proto) and imgsz != onnx_input_size(proto):
            raise ValueError(f"{args.reference} was exported for {format_input_size(onnx_input_size(proto))}; "
                             f"--imgsz {format_input_size(imgsz)} cannot change it")
        print(f"{args.split}: {data.dataset_id}, imgsz {format_input_size(imgsz)}, NMS IoU {DETECTOR_NMS_IOU:g}; "
              f"reference {args.reference}, candidate {args.weights}", flush=True)
        reference = profile(onnx_predictor(args.reference), data, args.split, imgsz, args.batch)
        model = model_from_checkpoint(checkpoint)
        total = [0.0] * data.num_classes
        candidate = profile(torch_predictor(model), data, args.split, imgsz, args.batch)
        for round_ in range(1, args.rounds + 1):
            shifts = class_shifts(reference, candidate, data.names, args.conf)
            # Only lower a class: its total offset stays >= 0 (raising one is not what calibration is for)
            step = [max(s.offset, -t) + 0.0 for s, t in zip(shifts, total)]  # + 0.0: no -0.000
            print(f"round {round_}:\n{format_shifts(shifts, args.conf)}\nshifted by "
                  + ", ".join(f"{n} {d:+.3f}" for n, d in zip(data.names, step)), flush=True)
            if not any(step):
                break
            shift_class_logits(model, step)
            total = [t + d for t, d in zip(total, step)]
            candidate = profile(torch_predictor(model), data, args.split, imgsz, args.batch)  # as it is now
    except (DatasetError, ValueError, FileNotFoundError) as e:
        print(f"calibrate_scores.py: {e}", file=sys.stderr)
        return 2
    print("logit offsets: " + ", ".join(f"{n} {t:+.3f}" for n, t in zip(data.names, total)))
    counts = [(candidate.counts_at(c, args.conf), reference.counts_at(c, args.conf)) for c in range(data.num_classes)]
    print(f"after calibration, at {args.conf:g} (TP/FP, reference's in brackets): "
          + ", ".join(f"{name} {tp}/{fp} ({ref_tp}/{ref_fp})"
                      for name, ((tp, fp), (ref_tp, ref_fp)) in zip(data.names, counts)))
    state = model.state_dict()
    calibrated = dict(checkpoint, model=state, ema=state, optimizer=None,
                      calibrated={"reference": str(args.reference), "data": data.dataset_id, "split": args.split,
                                  "conf": args.conf, "imgsz": format_input_size(imgsz),
                                  "offsets": dict(zip(data.names, (round(t, 4) for t in total)))})
    args.out.parent.mkdir(parents=True, exist_ok=True)
    torch.save(calibrated, args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
