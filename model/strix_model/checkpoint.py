"""Checkpoint files (last.pt / best.pt): what they hold and how to rebuild the model from one."""
from pathlib import Path
from typing import Dict, Tuple, Union

import torch

from .detector import MobileViTYOLO

FORMAT_VERSION = 1


def load_checkpoint(path: Union[str, Path]) -> Dict:
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"checkpoint {path} does not exist")
    checkpoint = torch.load(path, map_location="cpu")
    if not isinstance(checkpoint, dict) or "model_config" not in checkpoint:
        raise ValueError(f"{path} is not a Strix MobileViT-YOLO checkpoint (no model_config)")
    return checkpoint


def weights_of(checkpoint: Dict) -> Dict[str, torch.Tensor]:
    """The EMA weights when present (what validation scored), else the raw training weights."""
    return checkpoint["ema"] if checkpoint.get("ema") is not None else checkpoint["model"]


def weights_only(checkpoint: Dict, half: bool = False) -> Dict:
    """The checkpoint with only the weights that eval.py, export.py and `train.py --init` use (no EMA copy, no
    optimizer): half of best.pt, a quarter of last.pt. half: float16 tensors (load_state_dict casts them back)."""
    weights = weights_of(checkpoint)
    if half:
        weights = {k: v.half() if v.is_floating_point() else v for k, v in weights.items()}
    return dict(checkpoint, model=weights, ema=None, optimizer=None)


def model_from_checkpoint(checkpoint: Dict) -> MobileViTYOLO:
    """The model with weights_of(checkpoint)."""
    model = MobileViTYOLO.from_config(checkpoint["model_config"])
    model.load_state_dict(weights_of(checkpoint))
    return model.eval()


def load_model(path: Union[str, Path]) -> Tuple[MobileViTYOLO, Dict]:
    checkpoint = load_checkpoint(path)
    return model_from_checkpoint(checkpoint), checkpoint
