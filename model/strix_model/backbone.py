"""MobileViT backbone (Mehta & Rastegari, ICLR 2022), XXS / XS / S exactly as the paper's Table 4.

The backbone returns the stride 8, 16 and 32 feature maps that the detection neck consumes.
`MobileViTClassifier` adds the paper's classification tail (conv1x1, global pool, linear) only so
that a test can pin the parameter counts to the paper's 1.27M / 2.32M / 5.58M.
"""
from dataclasses import dataclass
from typing import List, Tuple

import torch
from torch import nn

PATCH_SIZE = 2  # h = w = 2 at every MobileViT stage (Table 4)
NUM_HEADS = 4


@dataclass(frozen=True)
class StageSpec:
    """One stage of Table 4: output channels, and for MobileViT stages the transformer's d, FFN and L."""

    channels: int
    blocks: int = 1
    transformer_dim: int = 0
    ffn_dim: int = 0
    transformer_layers: int = 0


@dataclass(frozen=True)
class VariantSpec:
    expansion: int
    layer1: StageSpec
    layer2: StageSpec
    layer3: StageSpec
    layer4: StageSpec
    layer5: StageSpec
    classifier_channels: int

    @property
    def feature_channels(self) -> Tuple[int, int, int]:
        """Channels of the stride 8, 16, 32 outputs."""
        return self.layer3.channels, self.layer4.channels, self.layer5.channels


VARIANTS = {
    "xxs": VariantSpec(
        expansion=2,
        layer1=StageSpec(16),
        layer2=StageSpec(24, blocks=3),
        layer3=StageSpec(48, transformer_dim=64, ffn_dim=128, transformer_layers=2),
        layer4=StageSpec(64, transformer_dim=80, ffn_dim=160, transformer_layers=4),
        layer5=StageSpec(80, transformer_dim=96, ffn_dim=192, transformer_layers=3),
        classifier_channels=320,
    ),
    "xs": VariantSpec(
        expansion=4,
        layer1=StageSpec(32),
        layer2=StageSpec(48, blocks=3),
        layer3=StageSpec(64, transformer_dim=96, ffn_dim=192, transformer_layers=2),
        layer4=StageSpec(80, transformer_dim=120, ffn_dim=240, transformer_layers=4),
        layer5=StageSpec(96, transformer_dim=144, ffn_dim=288, transformer_layers=3),
        classifier_channels=384,
    ),
    "s": VariantSpec(
        expansion=4,
        layer1=StageSpec(32),
        layer2=StageSpec(64, blocks=3),
        layer3=StageSpec(96, transformer_dim=144, ffn_dim=288, transformer_layers=2),
        layer4=StageSpec(128, transformer_dim=192, ffn_dim=384, transformer_layers=4),
        layer5=StageSpec(160, transformer_dim=240, ffn_dim=480, transformer_layers=3),
        classifier_channels=640,
    ),
}

STEM_CHANNELS = 16


def variant_spec(variant: str) -> VariantSpec:
    try:
        return VARIANTS[variant]
    except KeyError:
        raise ValueError(f"unknown MobileViT variant {variant!r}; choose one of {sorted(VARIANTS)}") from None


class ConvBNAct(nn.Sequential):
    """Conv (no bias) + BatchNorm + optional Swish: the building brick of every convolution here."""

    def __init__(self, cin: int, cout: int, kernel: int = 3, stride: int = 1, groups: int = 1, act: bool = True):
        super().__init__(
            nn.Conv2d(cin, cout, kernel, stride, kernel // 2, groups=groups, bias=False),
            nn.BatchNorm2d(cout),
            nn.SiLU(inplace=True) if act else nn.Identity(),
        )


def _round8(value: float) -> int:
    """MobileNetV2's rule: hidden widths rounded to a multiple of 8, never down by more than 10%."""
    rounded = max(8, int(value + 4) // 8 * 8)
    return rounded + 8 if rounded < 0.9 * value else rounded


class InvertedResidual(nn.Module):
    """MobileNetV2 block: expand 1x1, depthwise 3x3, linear project 1x1; residual when shapes allow."""

    def __init__(self, cin: int, cout: int, stride: int, expansion: int):
        super().__init__()
        hidden = _round8(cin * expansion)
        layers = []
        if expansion != 1:
            layers.append(ConvBNAct(cin, hidden, 1))
        layers += [ConvBNAct(hidden, hidden, 3, stride, groups=hidden), ConvBNAct(hidden, cout, 1, act=False)]
        self.block = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.block(x)
        return x + y if self.residual else y


class LayerNorm(nn.LayerNorm):
    """nn.LayerNorm that normalises in float32 whatever it is given: under CPU bfloat16 autocast (torch 1.13's
    `--precision bfloat16`) nn.LayerNorm rejects a bfloat16 input with its float32 weights, and float32 statistics
    are the stable ones anyway. A float32 input (export, evaluation) takes exactly nn.LayerNorm's path."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return super().forward(x if x.dtype == torch.float32 else x.float())


class MultiHeadSelfAttention(nn.Module):
    """Plain scaled dot-product self-attention written out so that it exports to basic ONNX ops."""

    def __init__(self, dim: int, heads: int):
        super().__init__()
        if dim % heads:
            raise ValueError(f"attention width {dim} does not split into {heads} heads")
        self.heads = heads
        self.head_dim = dim // heads
        self.scale = self.head_dim ** -0.5
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # x: [S, N, dim] where S = batch * pixels-per-patch sequences of N tokens each
        seqs, tokens, dim = x.shape
        qkv = self.qkv(x).reshape(seqs, tokens, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        attn = torch.softmax((q * self.scale) @ k.transpose(-2, -1), dim=-1)
        out = (attn @ v).transpose(1, 2).reshape(seqs, tokens, dim)
        return self.proj(out)


class TransformerLayer(nn.Module):
    """Pre-norm transformer encoder layer: LN, MHA, residual; LN, FFN (Swish), residual."""

    def __init__(self, dim: int, ffn_dim: int, heads: int = NUM_HEADS):
        super().__init__()
        self.norm1 = LayerNorm(dim)
        self.attn = MultiHeadSelfAttention(dim, heads)
        self.norm2 = LayerNorm(dim)
        self.ffn = nn.Sequential(nn.Linear(dim, ffn_dim), nn.SiLU(inplace=True), nn.Linear(ffn_dim, dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.norm1(x))
        return x + self.ffn(self.norm2(x))


class MobileViTBlock(nn.Module):
    """Local conv representation, global transformer over unfolded 2x2 patches, fold, fuse with the input."""

    def __init__(self, channels: int, dim: int, ffn_dim: int, layers: int):
        super().__init__()
        self.local = nn.Sequential(
            ConvBNAct(channels, channels, 3),
            nn.Conv2d(channels, dim, 1, bias=False),  # no norm, no activation (paper / reference code)
        )
        self.transformer = nn.Sequential(*[TransformerLayer(dim, ffn_dim) for _ in range(layers)])
        self.norm = LayerNorm(dim)
        self.project = ConvBNAct(dim, channels, 1)
        self.fuse = ConvBNAct(2 * channels, channels, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.local(x)
        _, dim, height, width = y.shape
        p = PATCH_SIZE
        nh, nw = height // p, width // p
        # Unfold: sequence k of the P = p*p sequences holds pixel k of every patch, so attention mixes
        # the same position across all patches, as in the paper.
        y = y.reshape(-1, dim, nh, p, nw, p).permute(0, 3, 5, 2, 4, 1).reshape(-1, nh * nw, dim)
        y = self.norm(self.transformer(y))
        y = y.reshape(-1, p, p, nh, nw, dim).permute(0, 5, 3, 1, 4, 2).reshape(-1, dim, height, width)
        y = self.project(y)
        return self.fuse(torch.cat((x, y), dim=1))


def _mobilevit_stage(cin: int, stage: StageSpec, expansion: int) -> nn.Sequential:
    return nn.Sequential(
        InvertedResidual(cin, stage.channels, stride=2, expansion=expansion),
        MobileViTBlock(stage.channels, stage.transformer_dim, stage.ffn_dim, stage.transformer_layers),
    )


class MobileViT(nn.Module):
    """The backbone: stem and five stages; forward returns the stride 8, 16 and 32 feature maps."""

    def __init__(self, variant: str = "xxs"):
        super().__init__()
        spec = variant_spec(variant)
        self.variant = variant
        self.spec = spec
        e = spec.expansion
        self.stem = ConvBNAct(3, STEM_CHANNELS, 3, stride=2)
        self.layer1 = nn.Sequential(InvertedResidual(STEM_CHANNELS, spec.layer1.channels, 1, e))
        layer2 = [InvertedResidual(spec.layer1.channels, spec.layer2.channels, 2, e)]
        layer2 += [InvertedResidual(spec.layer2.channels, spec.layer2.channels, 1, e)
                   for _ in range(spec.layer2.blocks - 1)]
        self.layer2 = nn.Sequential(*layer2)
        self.layer3 = _mobilevit_stage(spec.layer2.channels, spec.layer3, e)
        self.layer4 = _mobilevit_stage(spec.layer3.channels, spec.layer4, e)
        self.layer5 = _mobilevit_stage(spec.layer4.channels, spec.layer5, e)
        self.out_channels = spec.feature_channels
        self.reset_parameters()

    def reset_parameters(self) -> None:
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out")
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)

    def forward(self, x: torch.Tensor) -> List[torch.Tensor]:
        x = self.layer2(self.layer1(self.stem(x)))
        c3 = self.layer3(x)
        c4 = self.layer4(c3)
        c5 = self.layer5(c4)
        return [c3, c4, c5]


class MobileViTClassifier(nn.Module):
    """The paper's ImageNet classifier (backbone + conv1x1 + global pool + linear): used to pin param counts."""

    def __init__(self, variant: str = "xxs", num_classes: int = 1000):
        super().__init__()
        self.backbone = MobileViT(variant)
        spec = self.backbone.spec
        self.expand = ConvBNAct(spec.layer5.channels, spec.classifier_channels, 1)
        self.classifier = nn.Linear(spec.classifier_channels, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.expand(self.backbone(x)[-1])
        return self.classifier(x.mean(dim=(2, 3)))
