"""MobileViT-YOLO: MobileViT backbone, PAN-FPN neck over strides 8/16/32, anchor-free decoupled head.

In training mode `forward` returns the raw per-level head maps for the loss; in eval mode it returns
the exported contract, `[B, 4 + nc, N]`: cx, cy, w, h in input pixels, then per-class sigmoid scores,
N = sum over strides of (W / stride) * (H / stride), levels in stride order, locations row-major within a level.
Inputs may be square (S x S) or rectangular (W x H, e.g. 576x320 for 16:9 cameras); each side a multiple of 64.
"""
from typing import Dict, List, Sequence, Tuple, Union

import argparse
import math
import torch
import torch.nn.functional as F
from torch import nn

from .backbone import PATCH_SIZE, ConvBNAct, MobileViT, variant_spec

STRIDES = (8, 16, 32)
SIZE_MULTIPLE = STRIDES[-1] * PATCH_SIZE  # 64: stride-32 maps must split into 2x2 patches
REG_MAX = 16  # DFL bins per box side; see model/README.md for why DFL

# PAN-FPN widths at strides 8/16/32 per backbone variant: a little wider than the backbone's outputs so
# the neck can mix scales without becoming the bulk of the model.
NECK_CHANNELS = {"xxs": (64, 96, 128), "xs": (80, 128, 160), "s": (128, 192, 256)}


def validate_imgsz(size: int) -> int:
    """Return `size` if the model can take S x S inputs of it, else raise ValueError with the reason."""
    if not isinstance(size, int) or isinstance(size, bool):
        raise ValueError(f"input size must be an integer, got {size!r}")
    if size <= 0 or size % SIZE_MULTIPLE:
        lower = max(SIZE_MULTIPLE, size // SIZE_MULTIPLE * SIZE_MULTIPLE)
        raise ValueError(
            f"input size {size} is not supported: MobileViT-YOLO needs a multiple of {SIZE_MULTIPLE} "
            f"(stride {STRIDES[-1]} feature maps must divide into {PATCH_SIZE}x{PATCH_SIZE} patches), "
            f"e.g. 256, 320, 384, 448, 512, 640; nearest are {lower} and {lower + SIZE_MULTIPLE}")
    return size


def input_size(value: Union[int, str, Sequence[int]]) -> Tuple[int, int]:
    """The model input as (width, height) from S, "S", "WxH", (W, H) or [W, H]; each side must pass
    validate_imgsz. Raises ValueError with the reason."""
    if isinstance(value, str):
        try:
            sides = [int(part) for part in value.lower().split("x")]
        except ValueError:
            raise ValueError(f"input size {value!r}: give S or WxH, e.g. 320 or 576x320") from None
    elif isinstance(value, (list, tuple)):
        sides = list(value)
    else:
        sides = [value]
    if len(sides) == 1:
        sides = sides * 2
    if len(sides) != 2:
        raise ValueError(f"input size {value!r}: give S or WxH, e.g. 320 or 576x320")
    return validate_imgsz(int(sides[0])), validate_imgsz(int(sides[1]))


def input_size_arg(text: str) -> Tuple[int, int]:
    """argparse type of the scripts' --imgsz: input_size(), its reason shown as the usage error."""
    try:
        return input_size(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e))


def format_input_size(size: Union[int, str, Sequence[int]]) -> str:
    """"320" for a square input, "576x320" (width x height) otherwise."""
    width, height = input_size(size)
    return str(width) if width == height else f"{width}x{height}"


class CSPBlock(nn.Module):
    """YOLOv8's C2f: split, a chain of 3x3 bottlenecks whose every output is kept, concat, 1x1 fuse."""

    def __init__(self, cin: int, cout: int, depth: int = 1):
        super().__init__()
        hidden = cout // 2
        self.split = ConvBNAct(cin, 2 * hidden, 1)
        self.bottlenecks = nn.ModuleList(
            nn.Sequential(ConvBNAct(hidden, hidden, 3), ConvBNAct(hidden, hidden, 3)) for _ in range(depth))
        self.fuse = ConvBNAct((2 + depth) * hidden, cout, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        parts = list(self.split(x).chunk(2, dim=1))
        for block in self.bottlenecks:
            parts.append(block(parts[-1]))
        return self.fuse(torch.cat(parts, dim=1))


class PANFPN(nn.Module):
    """Top-down (FPN) then bottom-up (PAN) fusion of the stride 8/16/32 maps."""

    def __init__(self, in_channels: Sequence[int], widths: Sequence[int]):
        super().__init__()
        c3, c4, c5 = in_channels
        w3, w4, w5 = widths
        self.top_down4 = CSPBlock(c5 + c4, w4)
        self.top_down3 = CSPBlock(w4 + c3, w3)
        self.down3 = ConvBNAct(w3, w3, 3, stride=2)
        self.bottom_up4 = CSPBlock(w3 + w4, w4)
        self.down4 = ConvBNAct(w4, w4, 3, stride=2)
        self.bottom_up5 = CSPBlock(w4 + c5, w5)
        self.out_channels = (w3, w4, w5)

    def forward(self, feats: List[torch.Tensor]) -> List[torch.Tensor]:
        c3, c4, c5 = feats
        p4 = self.top_down4(torch.cat((F.interpolate(c5, scale_factor=2.0, mode="nearest"), c4), 1))
        n3 = self.top_down3(torch.cat((F.interpolate(p4, scale_factor=2.0, mode="nearest"), c3), 1))
        n4 = self.bottom_up4(torch.cat((self.down3(n3), p4), 1))
        n5 = self.bottom_up5(torch.cat((self.down4(n4), c5), 1))
        return [n3, n4, n5]


class DecoupledHead(nn.Module):
    """Per level, separate box (DFL distributions of the 4 side distances) and class branches."""

    def __init__(self, in_channels: Sequence[int], num_classes: int, reg_max: int = REG_MAX):
        super().__init__()
        self.num_classes = num_classes
        self.reg_max = reg_max
        box_width = max(16, in_channels[0] // 4, 4 * reg_max)
        cls_width = max(in_channels[0], min(num_classes, 100))
        self.box = nn.ModuleList(
            nn.Sequential(ConvBNAct(c, box_width, 3), ConvBNAct(box_width, box_width, 3),
                          nn.Conv2d(box_width, 4 * reg_max, 1)) for c in in_channels)
        self.cls = nn.ModuleList(
            nn.Sequential(ConvBNAct(c, cls_width, 3), ConvBNAct(cls_width, cls_width, 3),
                          nn.Conv2d(cls_width, num_classes, 1)) for c in in_channels)

    def init_biases(self, strides: Sequence[int], reference_size: int = 640) -> None:
        # Start class scores near the prior of ~5 objects per image so early BCE is not swamped by
        # background; start box logits flat so DFL begins from a uniform distribution.
        for box, cls, stride in zip(self.box, self.cls, strides):
            nn.init.constant_(box[-1].bias, 1.0)
            prior = 5 / self.num_classes / (reference_size / stride) ** 2
            nn.init.constant_(cls[-1].bias, math.log(prior))

    def forward(self, feats: List[torch.Tensor]) -> List[torch.Tensor]:
        return [torch.cat((box(f), cls(f)), 1) for f, box, cls in zip(feats, self.box, self.cls)]


def make_anchors(shapes: Sequence[Tuple[int, int]], strides: Sequence[int],
                 device=None, dtype=torch.float32) -> Tuple[torch.Tensor, torch.Tensor]:
    """Cell centres in grid units [N, 2] (x, y) and each cell's stride [N, 1], levels concatenated."""
    points, stride_column = [], []
    for (height, width), stride in zip(shapes, strides):
        ys = torch.arange(height, device=device, dtype=dtype) + 0.5
        xs = torch.arange(width, device=device, dtype=dtype) + 0.5
        grid_y, grid_x = torch.meshgrid(ys, xs, indexing="ij")
        points.append(torch.stack((grid_x, grid_y), -1).reshape(-1, 2))
        stride_column.append(torch.full((height * width, 1), float(stride), device=device, dtype=dtype))
    return torch.cat(points), torch.cat(stride_column)


def dfl_expectation(box_logits: torch.Tensor, reg_max: int) -> torch.Tensor:
    """[B, 4*reg_max, N] logits -> [B, 4, N] expected side distances in grid units (0..reg_max-1)."""
    batch, _, count = box_logits.shape
    prob = box_logits.reshape(batch, 4, reg_max, count).softmax(2)
    bins = torch.arange(reg_max, dtype=prob.dtype, device=prob.device).reshape(1, 1, reg_max, 1)
    return (prob * bins).sum(2)


class MobileViTYOLO(nn.Module):
    """The detector. `config()` gives what a checkpoint needs to rebuild it."""

    def __init__(self, variant: str = "xxs", num_classes: int = 80, reg_max: int = REG_MAX):
        super().__init__()
        variant_spec(variant)
        if num_classes < 1:
            raise ValueError("a detector needs at least one class")
        self.variant = variant
        self.num_classes = num_classes
        self.reg_max = reg_max
        self.strides = STRIDES
        self.backbone = MobileViT(variant)
        self.neck = PANFPN(self.backbone.out_channels, NECK_CHANNELS[variant])
        self.head = DecoupledHead(self.neck.out_channels, num_classes, reg_max)
        self.head.init_biases(STRIDES)

    def config(self) -> Dict:
        return {"variant": self.variant, "num_classes": self.num_classes, "reg_max": self.reg_max,
                "strides": list(self.strides)}

    @classmethod
    def from_config(cls, config: Dict) -> "MobileViTYOLO":
        return cls(config["variant"], config["num_classes"], config.get("reg_max", REG_MAX))

    def forward(self, images: torch.Tensor):
        if images.dim() != 4 or images.shape[1] != 3:
            raise ValueError(f"expected images [B, 3, H, W], got {list(images.shape)}")
        for side in images.shape[2:]:
            validate_imgsz(int(side))
        raw = self.head(self.neck(self.backbone(images)))
        return raw if self.training else self.decode(raw)

    def flatten(self, raw: List[torch.Tensor]) -> Tuple[torch.Tensor, torch.Tensor]:
        """Raw level maps -> box logits [B, 4*reg_max, N] and class logits [B, nc, N]."""
        batch = raw[0].shape[0]
        flat = torch.cat([r.reshape(batch, 4 * self.reg_max + self.num_classes, -1) for r in raw], 2)
        return flat[:, : 4 * self.reg_max], flat[:, 4 * self.reg_max:]

    def anchors_for(self, raw: List[torch.Tensor]) -> Tuple[torch.Tensor, torch.Tensor]:
        shapes = [(int(r.shape[2]), int(r.shape[3])) for r in raw]
        return make_anchors(shapes, self.strides, raw[0].device, raw[0].dtype)

    def decode(self, raw: List[torch.Tensor]) -> torch.Tensor:
        box_logits, cls_logits = self.flatten(raw)
        points, stride = self.anchors_for(raw)
        points, stride = points.t().unsqueeze(0), stride.t().unsqueeze(0)  # [1, 2, N], [1, 1, N]
        dist = dfl_expectation(box_logits, self.reg_max)
        left_top, right_bottom = dist[:, :2], dist[:, 2:]
        centre = (points + (right_bottom - left_top) / 2) * stride
        size = (left_top + right_bottom) * stride
        return torch.cat((centre, size, cls_logits.sigmoid()), 1)


def count_parameters(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())
