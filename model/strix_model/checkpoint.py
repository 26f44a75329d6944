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


def model_from_checkpoint(checkpoint: Dict, use_ema: bool = True) -> MobileViTYOLO:
    """The EMA weights when present (what validation scored), else the raw training weights."""
    model = MobileViTYOLO.from_config(checkpoint["model_config"])
    state = checkpoint.get("ema") if use_ema and checkpoint.get("ema") is not None else checkpoint["model"]
    model.load_state_dict(state)
    return model.eval()


def load_model(path: Union[str, Path]) -> Tuple[MobileViTYOLO, Dict]:
    checkpoint = load_checkpoint(path)
    return model_from_checkpoint(checkpoint), checkpoint
