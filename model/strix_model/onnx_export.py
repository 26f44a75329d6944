"""ONNX export with the detector contract, its metadata, and the parity fixture for the Java detector.

export.py stores the weights as float16 (`store_weights_as_float16`), each cast back to float32 by a Cast node at the
start of the graph: half the size (the jar carries five input sizes of one model), and ONNX Runtime folds the casts
when it loads the model, so inference still runs in float32 at the same speed. The fixture and mAP are of the stored
weights.

Parity fixture (`<out>.parity.json` + `<out>.parity.bin`): the .bin is raw little-endian float32, the
input tensor `images` [1,3,H,W] followed by the stored graph's output [1,4+nc,N] (the NumPy interpreter's; the
float32 graph is checked against PyTorch before its weights are halved), both C-order; the .json says
where each starts (byte offsets), their shapes, the tolerance (absolute plus relative: PARITY_TOLERANCE), and the
detections that the shared post-processing (best class per location, class-aware NMS) makes of that output.
"""
import datetime
import hashlib
import io
import json
from pathlib import Path
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple, Union

import numpy as np
import onnx
import torch
from PIL import Image

from .boxes import postprocess
from .data import Letterbox, letterbox, load_rgb, to_input_tensor
from .detector import STRIDES, MobileViTYOLO, format_input_size, input_size
from .synthetic import render_scene

OPSET = 17  # highest that torch 1.13 exports; has LayerNormalization
MODEL_NAME_PREFIX = "mobilevit-yolo"
# |ONNX - PyTorch| <= PARITY_TOLERANCE + PARITY_RELATIVE_TOLERANCE x |PyTorch| per output value: two float32
# implementations differ by rounding only, which grows with the value: a stride-32 box edge at 190 px is a sum over
# DFL bins times 32, and differed by 3.2e-3 px (1.7e-5 of it) in the 16th session. A wrong operator is off by pixels.
PARITY_TOLERANCE = 2e-3
PARITY_RELATIVE_TOLERANCE = 1e-4
PARITY_CONF = 0.25
PARITY_IOU = 0.45


def default_version(model: MobileViTYOLO) -> str:
    """Date plus a hash of the weights: two different models never share a version."""
    digest = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        digest.update(name.encode())
        digest.update(tensor.detach().cpu().numpy().tobytes())
    return f"{datetime.date.today():%Y.%m.%d}-{digest.hexdigest()[:8]}"


def build_metadata(model: MobileViTYOLO, names: Sequence[str], imgsz: Union[int, Tuple[int, int]], version: str,
                   dataset_id: str) -> Dict[str, str]:
    width, height = input_size(imgsz)
    return {
        "name": f"{MODEL_NAME_PREFIX}-{model.variant}-{format_input_size(imgsz)}",
        "names": json.dumps(list(names)),
        # S for a square input; [H, W] otherwise, in Ultralytics' order (its exports write imgsz as [h, w]).
        "imgsz": str(width) if width == height else json.dumps([height, width]),
        "strides": json.dumps(list(STRIDES)),
        "variant": model.variant,
        "version": version,
        "dataset_id": dataset_id,
        "task": "detect",
        "output_layout": "[B, 4+nc, N]: cx, cy, w, h (input pixels), class scores (sigmoid)",
        "preprocessing": "letterbox pad 114, RGB, /255, NCHW",
    }


def export_onnx(model: MobileViTYOLO, imgsz: Union[int, Tuple[int, int]], names: Sequence[str], version: str,
                dataset_id: str) -> onnx.ModelProto:
    """The checked float32 graph. imgsz: S, or (W, H); the input is [batch, 3, H, W] with a dynamic batch."""
    width, height = input_size(imgsz)
    if len(names) != model.num_classes:
        raise ValueError(f"{len(names)} class names for a model with {model.num_classes} classes")
    model = model.eval()
    dummy = torch.zeros(1, 3, height, width)
    buffer = io.BytesIO()
    with torch.no_grad():
        torch.onnx.export(model, dummy, buffer, opset_version=OPSET, input_names=["images"],
                          output_names=["output0"], dynamic_axes={"images": {0: "batch"}, "output0": {0: "batch"}},
                          do_constant_folding=True)
    proto = onnx.load_from_string(buffer.getvalue())
    # The tracer leaves symbolic names on the output's fixed dimensions; state them so consumers
    # (ONNX Runtime's session info in the Java detector) see [batch, 4+nc, N].
    output_dims = proto.graph.output[0].type.tensor_type.shape.dim
    for dim, value in zip(output_dims[1:], (4 + model.num_classes, sum((width // s) * (height // s) for s in STRIDES))):
        dim.Clear()
        dim.dim_value = value
    proto.producer_name = "strix-model"
    proto.doc_string = f"MobileViT-YOLO-{model.variant.upper()} {width}x{height}"
    for key, value in build_metadata(model, names, imgsz, version, dataset_id).items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.checker.check_model(proto, full_check=True)
    return proto


def save_onnx(proto: onnx.ModelProto, out: Path) -> None:
    onnx.checker.check_model(proto, full_check=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(proto, str(out))


def store_weights_as_float16(proto: onnx.ModelProto, min_elements: int = 16) -> onnx.ModelProto:
    """A copy whose float32 initializers of more than `min_elements` values are stored as float16, each read
    through a Cast back to float32 placed first in the graph (same names, so the nodes that use them are untouched).
    Small ones (scalars, DFL bin indices) stay float32."""
    halved = onnx.ModelProto()
    halved.CopyFrom(proto)
    graph = halved.graph
    casts, kept, stored = [], [], []
    for tensor in graph.initializer:
        if tensor.data_type == onnx.TensorProto.FLOAT and int(np.prod(tensor.dims)) > min_elements:
            values = onnx.numpy_helper.to_array(tensor).astype(np.float16)
            stored.append(onnx.numpy_helper.from_array(values, tensor.name + "_fp16"))
            casts.append(onnx.helper.make_node("Cast", [tensor.name + "_fp16"], [tensor.name],
                                               name=tensor.name + "_to_fp32", to=onnx.TensorProto.FLOAT))
        else:
            kept.append(tensor)
    nodes = list(graph.node)
    del graph.initializer[:]
    graph.initializer.extend(kept + stored)
    del graph.node[:]
    graph.node.extend(casts + nodes)
    return halved


def parity_paths(onnx_path: Path):
    return onnx_path.with_suffix(".parity.json"), onnx_path.with_suffix(".parity.bin")


class ParityInput(NamedTuple):
    """The parity fixture's input `tensor` [1, 3, H, W] float32: the `source` image letterboxed by `box`."""
    tensor: np.ndarray
    source: Image.Image
    source_name: str
    box: Letterbox


def parity_input(imgsz: Union[int, Tuple[int, int]], image: Optional[Path] = None) -> ParityInput:
    """`image` (default: a generated scene) letterboxed to imgsz."""
    source = load_rgb(image) if image else render_scene(seed=7, width=640, height=480)[0]
    canvas, box = letterbox(source, input_size(imgsz))
    return ParityInput(to_input_tensor([canvas]).astype("<f4"), source,
                       image.name if image else "synthetic scene seed 7", box)


def parity_excess(actual: np.ndarray, expected: np.ndarray, tolerance: float = PARITY_TOLERANCE,
                  relative: float = PARITY_RELATIVE_TOLERANCE) -> float:
    """How far the worst value lies outside the parity tolerance (<= 0: all within)."""
    return float((np.abs(actual - expected) - tolerance - relative * np.abs(expected)).max())


def write_parity_fixture(output: np.ndarray, onnx_path: Path, parity: ParityInput) -> Dict:
    """Store the parity input and the model's `output` for it for the Java parity test."""
    tensor, source, box = parity.tensor, parity.source, parity.box
    output = np.asarray(output).astype("<f4")
    detections = postprocess(output, PARITY_CONF, PARITY_IOU)[0]
    json_path, bin_path = parity_paths(onnx_path)
    bin_path.write_bytes(tensor.tobytes() + output.tobytes())
    description = {
        "format": "strix-parity-1",
        "binary": bin_path.name,
        "dtype": "float32",
        "byte_order": "little",
        "input": {"name": "images", "shape": list(tensor.shape), "offset": 0, "bytes": tensor.nbytes},
        "output": {"name": "output0", "shape": list(output.shape), "offset": tensor.nbytes, "bytes": output.nbytes},
        "tolerance": PARITY_TOLERANCE,
        "relative_tolerance": PARITY_RELATIVE_TOLERANCE,
        "source_image": {"name": parity.source_name,
                         "width": source.width, "height": source.height,
                         "letterbox": {"ratio": box.ratio, "left": box.left, "top": box.top}},
        "detections": {"conf_threshold": PARITY_CONF, "iou_threshold": PARITY_IOU,
                       "columns": ["x1", "y1", "x2", "y2", "score", "class"],
                       "rows": [[round(float(v), 4) for v in row] for row in detections]},
    }
    json_path.write_text(json.dumps(description, indent=2) + "\n")
    return description


def read_parity_fixture(json_path: Path) -> Dict[str, np.ndarray]:
    """Reads a fixture back (what the Java test does): {'images': ..., 'output0': ..., 'meta': ...}."""
    meta = json.loads(Path(json_path).read_text())
    raw = (Path(json_path).parent / meta["binary"]).read_bytes()
    arrays = {}
    for part in ("input", "output"):
        spec = meta[part]
        arrays[spec["name"]] = np.frombuffer(raw, "<f4", count=int(np.prod(spec["shape"])),
                                             offset=spec["offset"]).reshape(spec["shape"])
    arrays["meta"] = meta
    return arrays


def read_metadata(proto: onnx.ModelProto) -> Dict[str, str]:
    return {p.key: p.value for p in proto.metadata_props}


def onnx_input_size(proto: onnx.ModelProto) -> Optional[Tuple[int, int]]:
    """(W, H) of an exported model's input [B, 3, H, W], from the graph (or its imgsz metadata when the graph leaves
    the sides symbolic); None when neither says."""
    dims = proto.graph.input[0].type.tensor_type.shape.dim
    if len(dims) == 4 and dims[2].dim_value > 0 and dims[3].dim_value > 0:
        return dims[3].dim_value, dims[2].dim_value
    imgsz = read_metadata(proto).get("imgsz")
    if not imgsz:
        return None
    sides = json.loads(imgsz)
    return input_size(sides if isinstance(sides, int) else list(reversed(sides)))  # metadata lists [H, W]


def graph_op_types(proto: onnx.ModelProto) -> List[str]:
    return sorted({node.op_type for node in proto.graph.node})
