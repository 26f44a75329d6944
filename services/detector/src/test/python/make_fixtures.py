#!/usr/bin/env python3
"""Generates the detector's test models into a folder (Maven runs it in generate-test-resources).

Nothing is downloaded and nothing large is committed: every file is made from a seed, in about 20 s.

- `xxs-320.onnx` + `xxs-320.parity.{json,bin}`: a MobileViT-YOLO-XXS at 320 exported by `model/export.py`
  itself (the tool that exports the shipped model), so the ONNX graph, its metadata and the parity fixture
  are exactly what the shipped model will have. Its weights are random (seeded). An untrained model scores
  every location near its prior (~1e-4), so the fixture would hold no detections and "the final boxes
  match" would be vacuous. So the BatchNorm statistics are recomputed on a few generated scenes (the
  outputs then vary like a trained model's) and the class-logit biases raised so that about 3% of the
  locations of the parity image score above 0.25 and NMS has dozens of overlapping candidates to sort out. Biases that
  would put a score or an IoU within a hair of the thresholds (where float noise between PyTorch and ONNX
  Runtime could flip a decision) are moved until none is.
- `scene.png`, `scene.jpg`: the 640x480 synthetic scene the parity fixture was made from (lossless, and as
  a JPEG for the pipeline tests).
- `tiny-v8.onnx`, `tiny-v5.onnx`: hand-built graphs (onnx.helper) with YOLOv8's [B, 4+nc, N] and YOLOv5's
  [B, N, 5+nc] outputs over a 64x64 input: four fixed candidates, one of whose scores is the mean of the
  input image, so a test can tell the images of a batch apart. Their expected detections are spelled out in
  the Java tests (TinyModels).

Usage: make_fixtures.py --out DIR. Skips the work when DIR holds files made from the same sources.
"""
import argparse
import hashlib
import json
import math
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[4]
MODEL_DIR = REPO / "model"
sys.path.insert(0, str(MODEL_DIR))

NAMES = ["person", "bicycle", "car", "motorcycle", "bus", "truck", "dog"]  # camsim's classes
IMGSZ = 320
VERSION = "fixture-1"
CONF, IOU = 0.25, 0.45
MARGIN = 5e-4  # no score, and no IoU that NMS decides on, this close to its threshold


def sources_stamp() -> str:
    digest = hashlib.sha256()
    for path in [Path(__file__).resolve(), MODEL_DIR / "export.py", *sorted((MODEL_DIR / "strix_model").glob("*.py"))]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def nms_decisions_are_clear(boxes, scores, classes) -> bool:
    """Greedy class-aware NMS in which no keep-or-suppress decision hangs on an IoU near the threshold."""
    import numpy as np

    from strix_model.boxes import numpy_iou

    kept = []
    for i in np.argsort(-scores, kind="stable"):
        same = [k for k in kept if classes[k] == classes[i]]
        ious = numpy_iou(boxes[i:i + 1], boxes[same])[0] if same else np.zeros(0)
        if np.any(ious > IOU + MARGIN):
            continue
        if np.any(ious > IOU - MARGIN):
            return False
        kept.append(i)
    return True


def calibrated_model(canvas_tensor):
    """Random XXS weights with the class biases raised until the parity image gives robust candidates."""
    import numpy as np
    import torch

    from strix_model.boxes import cxcywh_to_xyxy
    from strix_model.detector import MobileViTYOLO

    from strix_model.data import letterbox, to_input_tensor
    from strix_model.synthetic import render_scene

    torch.manual_seed(0)
    model = MobileViTYOLO("xxs", len(NAMES))
    # Fresh BatchNorm statistics (mean 0, variance 1) leave a random network's outputs nearly constant
    # (every score ~1e-4, every box 120 px); recomputed on a few scenes, the features vary as a trained
    # model's do, so scores and boxes spread out and NMS has real work.
    calibration = np.concatenate([to_input_tensor([letterbox(render_scene(100 + i, 640, 480)[0], IMGSZ)[0]])
                                  for i in range(8)]).astype(np.float32)
    for module in model.modules():
        if isinstance(module, torch.nn.modules.batchnorm._BatchNorm):
            module.reset_running_stats()
            module.momentum = None  # a plain average over the calibration batch
    with torch.no_grad():
        model.train()(torch.from_numpy(calibration))
        # Channels that barely vary over 8 scenes would divide float noise by a tiny standard deviation (the
        # NumPy interpreter and ONNX Runtime then differ from PyTorch by ~6e-3 px); a trained network has no such
        # channels. Flooring the variance brings the differences down to ~2e-4, as for trained models.
        for module in model.modules():
            if isinstance(module, torch.nn.modules.batchnorm._BatchNorm):
                module.running_var.clamp_(min=1e-2)
    model.eval()
    with torch.no_grad():
        base = model(torch.from_numpy(canvas_tensor)).numpy()[0]
    probs = np.clip(base[4:].astype(np.float64), 1e-12, 1 - 1e-12)
    logits = np.log(probs / (1 - probs))
    best_logit, best_class = logits.max(0), logits.argmax(0)
    threshold_logit = math.log(CONF / (1 - CONF))
    for quantile in np.linspace(0.97, 0.95, 21):
        shift = threshold_logit - float(np.quantile(best_logit, quantile))
        scores = 1 / (1 + np.exp(-(best_logit + shift)))
        if np.any(np.abs(scores - CONF) < MARGIN):
            continue
        keep = scores > CONF
        boxes = cxcywh_to_xyxy(base[:4].T.astype(np.float64))[keep]
        classes = best_class[keep]
        if not nms_decisions_are_clear(boxes, scores[keep], classes):
            continue
        with torch.no_grad():
            for cls in model.head.cls:
                cls[-1].bias += shift
        return model, int(keep.sum())
    raise SystemExit("make_fixtures.py: found no class-bias shift with scores and IoUs clear of the thresholds")


def write_xxs(out: Path) -> None:
    import numpy as np
    import torch

    from strix_model.data import letterbox, to_input_tensor
    from strix_model.synthetic import render_scene

    scene = render_scene(seed=7, width=640, height=480)[0]
    scene.save(out / "scene.png")
    scene.save(out / "scene.jpg", quality=95)
    canvas, _ = letterbox(scene, IMGSZ)
    model, candidates = calibrated_model(to_input_tensor([canvas]).astype(np.float32))
    weights = out / "xxs-320.pt"
    torch.save({"format_version": 1, "model_config": model.config(), "names": NAMES,
                "dataset_id": "strix-detector-test-fixture", "imgsz": IMGSZ,
                "model": model.state_dict(), "ema": None}, weights)
    # export.py as users run it; --no-verify: the Java parity test compares ONNX Runtime with PyTorch itself;
    # --fp32-weights: the fixture is PyTorch's output, whose scores and IoUs were calibrated clear of the thresholds.
    result = subprocess.run([sys.executable, str(MODEL_DIR / "export.py"), "--weights", str(weights),
                             "--imgsz", str(IMGSZ), "--out", str(out / "xxs-320.onnx"), "--version", VERSION,
                             "--parity-image", str(out / "scene.png"), "--no-verify", "--fp32-weights"],
                            cwd=MODEL_DIR, capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(MODEL_DIR)))
    if result.returncode != 0:
        raise SystemExit("make_fixtures.py: model/export.py failed:\n" + result.stdout + result.stderr)
    weights.unlink()
    print(f"xxs-320.onnx: {candidates} candidates above {CONF} on the parity image; " + result.stdout.splitlines()[-1])


def tiny_model(layout: str, path: Path) -> None:
    """A 64x64 model whose output is C + mean(image) * D: fixed candidates, one scored by the image's mean."""
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    # Candidates (cx, cy, w, h in input pixels) and class scores for names [person, car]:
    #   0: person 0.9              1: person 0.8, IoU 0.78 with 0 -> suppressed by NMS
    #   2: car 0.7, same box as 1 (other class: kept)    3: person, score = mean of the input image
    boxes = [(16, 16, 16, 16), (18, 16, 16, 16), (18, 16, 16, 16), (48, 48, 8, 8)]
    scores = [(0.9, 0.1), (0.8, 0.05), (0.1, 0.7), (0.0, 0.0)]
    n, nc = len(boxes), 2
    if layout == "v8":
        constant = np.zeros((1, 4 + nc, n), np.float32)
        slope = np.zeros_like(constant)
        for i, (box, score) in enumerate(zip(boxes, scores)):
            constant[0, :4, i], constant[0, 4:, i] = box, score
        slope[0, 4, 3] = 1.0
        out_shape = ["batch", 4 + nc, n]
        meta = {"name": "tiny-v8", "version": "t8", "names": json.dumps(["person", "car"]), "imgsz": "64",
                "strides": "[8, 16, 32]", "output_layout": "[B, 4+nc, N]: cx, cy, w, h (input pixels), class scores"}
    else:
        constant = np.zeros((1, n, 5 + nc), np.float32)
        slope = np.zeros_like(constant)
        for i, (box, score) in enumerate(zip(boxes, scores)):
            constant[0, i, :4], constant[0, i, 4], constant[0, i, 5:] = box, 1.0, score
        constant[0, 3, 5] = 1.0  # objectness carries the image mean, class probability 1
        constant[0, 3, 4] = 0.0
        slope[0, 3, 4] = 1.0
        out_shape = ["batch", n, 5 + nc]
        meta = {"stride": "32", "names": "{0: 'person', 1: 'car'}"}  # what YOLOv5's export.py writes
    nodes = [
        helper.make_node("ReduceMean", ["images"], ["mean4"], axes=[1, 2, 3], keepdims=1),
        helper.make_node("Reshape", ["mean4", "shape3"], ["mean"]),
        helper.make_node("Mul", ["mean", "slope"], ["scaled"]),
        helper.make_node("Add", ["scaled", "constant"], ["output0"]),
    ]
    graph = helper.make_graph(
        nodes, f"tiny-{layout}",
        [helper.make_tensor_value_info("images", TensorProto.FLOAT, ["batch", 3, 64, 64])],
        [helper.make_tensor_value_info("output0", TensorProto.FLOAT, out_shape)],
        initializer=[numpy_helper.from_array(np.array([-1, 1, 1], np.int64), "shape3"),
                     numpy_helper.from_array(slope, "slope"), numpy_helper.from_array(constant, "constant")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="strix-tests")
    model.ir_version = 8
    for key, value in meta.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, str(path))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args()
    out = args.out.resolve()
    stamp_file = out / "fixtures.stamp"
    stamp = sources_stamp()
    if stamp_file.exists() and stamp_file.read_text().strip() == stamp:
        print(f"make_fixtures.py: {out} is up to date")
        return 0
    out.mkdir(parents=True, exist_ok=True)
    stamp_file.unlink(missing_ok=True)

    import strix_model  # noqa: F401  (sets OMP_WAIT_POLICY before torch loads)
    import torch

    torch.set_num_threads(min(2, os.cpu_count() or 1))
    tiny_model("v8", out / "tiny-v8.onnx")
    tiny_model("v5", out / "tiny-v5.onnx")
    write_xxs(out)
    stamp_file.write_text(stamp + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
