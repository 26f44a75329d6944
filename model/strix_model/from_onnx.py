"""Training weights rebuilt from a shipped ONNX file: the committed model is a checkpoint the next session can
always find (`train.py --init models/M.onnx`), where `model/runs/` may be gone with the build machine.

The export folds each BatchNorm into its convolution (eval mode), so a ConvBNAct comes back as its convolution
holding the folded weight and a BatchNorm that adds the folded bias and otherwise passes values through. That model
computes exactly what the file does (the float16 weights, read as float32). Its BatchNorms have lost their
statistics, though, and training normalises by batch statistics: `calibrate_batchnorm` measures each convolution's
output on real images and moves the scale into the BatchNorm, which leaves the eval-mode output as it is and makes a
training-mode step start from the same function.

Which initializer is which parameter: the same code exports the same graph, so a probe model with random weights
and identity BatchNorms, exported at the file's input size, names its initializers as the file does; each probe
initializer is then recognised by value (a Linear's weight may be stored transposed).
"""
import json
import warnings
from pathlib import Path
from typing import Dict, Iterable, Iterator, Tuple, Union

import numpy as np
import onnx
import torch
from onnx import numpy_helper
from torch import nn

from .checkpoint import FORMAT_VERSION
from .data import collate
from .detector import MobileViTYOLO
from .onnx_export import export_onnx, onnx_input_size, read_metadata

FLOAT16_SUFFIX = "_fp16"  # store_weights_as_float16's initializer names


def _file_weights(proto: onnx.ModelProto) -> Dict[str, np.ndarray]:
    """Initializers by the names the graph reads them under, float16 ones as the float32 their Cast makes."""
    weights = {}
    for tensor in proto.graph.initializer:
        name = tensor.name[:-len(FLOAT16_SUFFIX)] if tensor.name.endswith(FLOAT16_SUFFIX) else tensor.name
        weights[name] = numpy_helper.to_array(tensor).astype(np.float32)
    for node in proto.graph.node:  # the exporter keeps one of several equal tensors and reads it through Identity
        if node.op_type == "Identity" and node.input[0] in weights:
            weights[node.output[0]] = weights[node.input[0]]
    return weights


def _probe_layout(config: Dict, imgsz: Tuple[int, int], names) -> Dict[str, Tuple[str, str, bool]]:
    """Initializer name -> (module name, "weight" | "bias", transposed) for every parameter the export stores."""
    probe = MobileViTYOLO.from_config(config).eval()
    generator = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for parameter in probe.parameters():
            parameter.copy_(torch.randn(parameter.shape, generator=generator))
        for module in probe.modules():
            if isinstance(module, nn.BatchNorm2d):  # identity scale: the folded weight is the conv weight
                module.weight.fill_(1.0)
                module.running_mean.zero_()
                module.running_var.fill_(1.0 - module.eps)
    known = []  # (parameter name, tensor): every weight and bias; of a BatchNorm only the bias (its folded shift)
    for module_name, module in probe.named_modules():
        for kind in ("bias",) if isinstance(module, nn.BatchNorm2d) else ("weight", "bias"):
            tensor = getattr(module, kind, None)
            if isinstance(tensor, nn.Parameter):
                known.append((f"{module_name}.{kind}", tensor))
    by_size: Dict[int, list] = {}
    for name, tensor in known:
        by_size.setdefault(tensor.numel(), []).append((name, tensor.detach().numpy()))
    with warnings.catch_warnings():  # the tracer's warnings are about the probe, not the file
        warnings.simplefilter("ignore")
        exported = export_onnx(probe, imgsz, names, "probe", "probe")
    layout = {}
    for tensor in exported.graph.initializer:
        values = numpy_helper.to_array(tensor)
        if values.dtype != np.float32:
            continue
        for name, candidate in by_size.get(values.size, []):
            for transposed, view in ((False, candidate), (True, candidate.T if candidate.ndim == 2 else None)):
                if view is not None and view.shape == values.shape and np.allclose(view, values, rtol=1e-4,
                                                                                     atol=1e-6):
                    module_name, _, kind = name.rpartition(".")
                    layout[tensor.name] = (module_name, kind, transposed)
        # Anything unrecognised (DFL bin indices, shape constants) is not a trained weight.
    return layout


def model_from_onnx(path: Union[str, Path]) -> Tuple[MobileViTYOLO, Dict]:
    """The model a Strix ONNX file was exported from (eval mode) and a checkpoint-like dict describing it
    (model_config, names, dataset_id, imgsz, version)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"ONNX file {path} does not exist")
    proto = onnx.load(str(path))
    meta = read_metadata(proto)
    if "variant" not in meta or "names" not in meta:
        raise ValueError(f"{path} is not a Strix MobileViT-YOLO export (no variant/names metadata)")
    names = json.loads(meta["names"])
    imgsz = onnx_input_size(proto)
    model = MobileViTYOLO(meta["variant"], len(names)).eval()
    layout = _probe_layout(model.config(), imgsz, names)
    weights = _file_weights(proto)
    modules = dict(model.named_modules())
    folded = {name: module for name, module in modules.items() if isinstance(module, nn.BatchNorm2d)}
    loaded = set()
    with torch.no_grad():
        for bn in folded.values():  # a new BatchNorm scales by 1 / sqrt(var + eps): make that exactly 1
            bn.running_var.fill_(1.0 - bn.eps)
        for initializer, (module_name, kind, transposed) in layout.items():
            if initializer not in weights:
                raise ValueError(f"{path}: no initializer {initializer}; it was exported by other code than this "
                                 "(a different model/ or PyTorch version): rebuild it where it was exported, with "
                                 "model/onnx_to_checkpoint.py, and use the .pt")
            values = torch.from_numpy(weights[initializer])
            target = getattr(modules[module_name], kind)
            target.copy_(values.T if transposed else values.reshape(target.shape))
            loaded.add(f"{module_name}.{kind}")
    expected = {name for name, _ in model.named_parameters()
                if not (name.rpartition(".")[0] in folded and name.endswith(".weight"))}
    missing = sorted(expected - loaded)
    if missing:
        raise ValueError(f"{path}: no weights found for {missing[:5]}{' ...' if len(missing) > 5 else ''}")
    info = {"model_config": model.config(), "names": names, "dataset_id": meta.get("dataset_id", ""),
            "imgsz": imgsz, "version": meta.get("version", ""), "source": str(path)}
    return model, info


@torch.no_grad()
def calibrate_batchnorm(model: MobileViTYOLO, batches: Iterable[torch.Tensor]) -> int:
    """Gives the pass-through BatchNorms of `model_from_onnx` statistics: per channel, the mean and standard
    deviation of the convolution's output over `batches` (images [B,3,H,W], 0-1). The convolution is divided by the
    deviation and the BatchNorm multiplies it back, so eval-mode outputs stay the same and the batch statistics a
    training step normalises by are about the running ones. Returns the number of images seen."""
    model.eval()
    sums: Dict[nn.BatchNorm2d, list] = {}

    def record(bn, inputs):
        x = inputs[0].double()
        total = sums.setdefault(bn, [0.0, 0.0, 0])
        total[0] = total[0] + x.sum((0, 2, 3))
        total[1] = total[1] + x.square().sum((0, 2, 3))
        total[2] += x.numel() // x.shape[1]

    bns = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    hooks = [bn.register_forward_pre_hook(record) for bn in bns]
    images = 0
    try:
        for batch in batches:
            model(batch)
            images += batch.shape[0]
    finally:
        for hook in hooks:
            hook.remove()
    if images == 0:
        raise ValueError("calibrate_batchnorm needs at least one batch")
    convs = {m[1]: m[0] for m in model.modules() if isinstance(m, nn.Sequential) and len(m) > 1
             and isinstance(m[0], nn.Conv2d) and isinstance(m[1], nn.BatchNorm2d)}
    for bn in bns:
        total_sum, total_square, count = sums[bn]
        mean = total_sum / count
        std = (total_square / count - mean.square()).clamp(min=1e-12).sqrt().clamp(min=1e-3)
        conv = convs[bn]
        conv.weight.div_(std.float().view(-1, 1, 1, 1))
        bn.running_mean.copy_((mean / std).float())
        bn.running_var.fill_(1.0 - bn.eps)
        bn.bias.add_(mean.float())  # (x/s - m/s) * s + (b + m) = x + b
        bn.weight.copy_(std.float())
    return images


def calibration_batches(dataset, batch: int = 16, seed: int = 0, images: int = 128) -> Iterator[torch.Tensor]:
    """`images` items of a training `YoloDataset` (augmented as training sees them), as float 0-1 batches; a fixed
    draw per seed."""
    picks = np.random.default_rng(seed).permutation(len(dataset))[:images]
    for start in range(0, len(picks), batch):
        yield collate([dataset[int(i)] for i in picks[start:start + batch]])[0].float() / 255.0


def checkpoint_from_onnx(path: Union[str, Path], dataset, batch: int = 16, seed: int = 0) -> Dict:
    """What `train.py --init` and `onnx_to_checkpoint.py` take from a shipped file: a checkpoint (the `model`
    weights, no EMA or optimizer) of `model_from_onnx` calibrated on `dataset` (a training `YoloDataset`)."""
    model, info = model_from_onnx(path)
    if list(dataset.config.names) != info["names"]:
        raise ValueError(f"{path} has classes {info['names']}, the training data {list(dataset.config.names)}")
    seen = calibrate_batchnorm(model, calibration_batches(dataset, batch, seed))
    return {"format_version": FORMAT_VERSION, "model_config": info["model_config"], "names": info["names"],
            "dataset_id": info["dataset_id"], "imgsz": info["imgsz"], "epoch": 0, "model": model.state_dict(),
            "ema": None, "optimizer": None, "metrics": None,
            "from_onnx": f"{path} (version {info['version']}; BatchNorm statistics from {seen} training images)"}
