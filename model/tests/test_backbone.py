import pytest
import torch

from strix_model.backbone import VARIANTS, MobileViT, MobileViTClassifier
from strix_model.detector import count_parameters

# MobileViT paper, Table 4 (ImageNet classifiers), and the backbone without final conv and classifier.
PAPER_PARAMS = {"xxs": 1.27e6, "xs": 2.32e6, "s": 5.58e6}
BACKBONE_PARAMS = {"xxs": 0.925e6, "xs": 1.895e6, "s": 4.834e6}


@pytest.mark.parametrize("variant", ["xxs", "xs", "s"])
def test_classifier_parameter_count_matches_paper(variant):
    params = count_parameters(MobileViTClassifier(variant))
    assert abs(params - PAPER_PARAMS[variant]) / PAPER_PARAMS[variant] < 0.01, params


@pytest.mark.parametrize("variant", ["xxs", "xs", "s"])
def test_backbone_without_classifier_parameter_count(variant):
    params = count_parameters(MobileViT(variant))
    assert abs(params - BACKBONE_PARAMS[variant]) / BACKBONE_PARAMS[variant] < 0.01, params


@pytest.mark.parametrize("variant", ["xxs", "xs", "s"])
def test_backbone_yields_stride_8_16_32_maps_with_table4_channels(variant):
    backbone = MobileViT(variant).eval()
    with torch.no_grad():
        c3, c4, c5 = backbone(torch.zeros(1, 3, 128, 128))
    spec = VARIANTS[variant]
    assert c3.shape == (1, spec.layer3.channels, 16, 16)
    assert c4.shape == (1, spec.layer4.channels, 8, 8)
    assert c5.shape == (1, spec.layer5.channels, 4, 4)


def test_classifier_outputs_1000_logits():
    with torch.no_grad():
        assert MobileViTClassifier("xxs").eval()(torch.zeros(2, 3, 128, 128)).shape == (2, 1000)


def test_table4_widths():
    widths = {v: (s.layer1.channels, s.layer2.channels, s.layer3.channels, s.layer4.channels, s.layer5.channels)
              for v, s in VARIANTS.items()}
    assert widths == {"xxs": (16, 24, 48, 64, 80), "xs": (32, 48, 64, 80, 96), "s": (32, 64, 96, 128, 160)}
    dims = {v: (s.layer3.transformer_dim, s.layer4.transformer_dim, s.layer5.transformer_dim)
            for v, s in VARIANTS.items()}
    assert dims == {"xxs": (64, 80, 96), "xs": (96, 120, 144), "s": (144, 192, 240)}
    for spec in VARIANTS.values():
        assert [s.transformer_layers for s in (spec.layer3, spec.layer4, spec.layer5)] == [2, 4, 3]
        assert all(s.ffn_dim == 2 * s.transformer_dim for s in (spec.layer3, spec.layer4, spec.layer5))


def test_unfold_and_fold_are_inverse_when_transformer_is_identity():
    # With the transformer and final norm made identities, the global branch is a pure unfold/fold and
    # must hand back exactly the map it got: proves the patch reshapes lose or move nothing.
    from strix_model.backbone import MobileViTBlock

    block = MobileViTBlock(8, 16, 32, 1).eval()
    block.transformer = torch.nn.Identity()
    block.norm = torch.nn.Identity()
    captured = {}
    block.project.register_forward_hook(lambda module, inputs, output: captured.update(folded=inputs[0]))
    x = torch.randn(2, 8, 8, 12)
    with torch.no_grad():
        block(x)
        expected = block.local(x)
    assert torch.equal(captured["folded"], expected)
