import pytest
import torch

from strix_model.detector import STRIDES, MobileViTYOLO, format_input_size, input_size, validate_imgsz


def expected_anchors(size):
    return sum((size // s) ** 2 for s in STRIDES)


@pytest.mark.parametrize("variant", ["xxs", "xs", "s"])
def test_inference_output_is_boxes_then_class_scores(variant):
    model = MobileViTYOLO(variant, num_classes=7).eval()
    with torch.no_grad():
        out = model(torch.rand(2, 3, 128, 128))
    assert out.shape == (2, 4 + 7, expected_anchors(128))
    scores = out[:, 4:]
    assert ((scores >= 0) & (scores <= 1)).all()
    assert (out[:, 2:4] >= 0).all()  # widths and heights


def test_output_count_at_deployment_size():
    model = MobileViTYOLO("xxs", num_classes=7).eval()
    with torch.no_grad():
        assert model(torch.rand(1, 3, 320, 320)).shape == (1, 11, 2100)


def test_training_mode_returns_raw_level_maps():
    model = MobileViTYOLO("xxs", num_classes=3).train()
    raw = model(torch.rand(2, 3, 128, 128))
    assert [tuple(r.shape) for r in raw] == [(2, 4 * 16 + 3, 16, 16), (2, 67, 8, 8), (2, 67, 4, 4)]


@pytest.mark.parametrize("size", [256, 320, 384, 448, 512, 640])
def test_accepts_multiples_of_64(size):
    assert validate_imgsz(size) == size


@pytest.mark.parametrize("size", [416, 224, 300, 0, -64, 96])
def test_rejects_sizes_whose_stride_32_map_does_not_split_into_patches(size):
    with pytest.raises(ValueError, match="multiple of 64"):
        validate_imgsz(size)


@pytest.mark.parametrize("given, expected", [(320, (320, 320)), ("320", (320, 320)), ("576x320", (576, 320)),
                                             ("576X320", (576, 320)), ((576, 320), (576, 320)), ([320], (320, 320))])
def test_input_size_reads_square_and_rectangular_forms_as_width_height(given, expected):
    assert input_size(given) == expected
    assert format_input_size(given) == ("320" if expected == (320, 320) else "576x320")


@pytest.mark.parametrize("given, message", [("576x300", "multiple of 64"), ("big", "give S or WxH"),
                                            ("64x64x64", "give S or WxH")])
def test_input_size_rejects_what_the_model_cannot_take(given, message):
    with pytest.raises(ValueError, match=message):
        input_size(given)


def test_a_rectangular_input_gives_one_candidate_per_location_of_each_level():
    model = MobileViTYOLO("xxs", num_classes=7).eval()
    with torch.no_grad():
        out = model(torch.rand(1, 3, 320, 576))
    assert out.shape == (1, 11, 72 * 40 + 36 * 20 + 18 * 10)
    # Level-0 locations run row-major over the 72-wide stride-8 grid: the 73rd is the second row's first cell.
    assert 0 <= out[0, 0, 72].item() < 40 and 8 <= out[0, 1, 72].item() < 24


def test_forward_rejects_bad_input_with_a_clear_message():
    model = MobileViTYOLO("xxs", num_classes=1).eval()
    with pytest.raises(ValueError, match="input size 416 is not supported"):
        model(torch.zeros(1, 3, 416, 416))
    with pytest.raises(ValueError, match=r"expected images \[B, 3, H, W\]"):
        model(torch.zeros(1, 1, 128, 128))


def test_decode_turns_distance_bins_into_pixel_boxes():
    # Make every location predict left=top=2, right=bottom=5 grid cells (one-hot DFL bins) and check the
    # box of the first stride-8 cell (centre 4,4 px) and the last stride-32 cell.
    model = MobileViTYOLO("xxs", num_classes=2).eval()
    size = 128
    raw = []
    for stride in STRIDES:
        cells = size // stride
        level = torch.full((1, 4 * 16 + 2, cells, cells), -50.0)
        for side, bin_index in enumerate((2, 2, 5, 5)):
            level[0, side * 16 + bin_index] = 50.0
        level[0, 64] = 0.0     # class 0 logit -> 0.5
        level[0, 65] = 50.0    # class 1 logit -> 1.0
        raw.append(level)
    out = model.decode(raw)[0]
    first = out[:, 0]
    assert torch.allclose(first[:4], torch.tensor([4 + 1.5 * 8, 4 + 1.5 * 8, 7 * 8, 7 * 8]), atol=1e-3)
    assert torch.allclose(first[4:], torch.tensor([0.5, 1.0]))
    last = out[:, -1]  # stride 32, cell (3, 3): centre 112 px
    assert torch.allclose(last[:4], torch.tensor([112 + 1.5 * 32, 112 + 1.5 * 32, 7 * 32, 7 * 32]), atol=1e-3)


def test_unknown_variant_is_rejected():
    with pytest.raises(ValueError, match="unknown MobileViT variant"):
        MobileViTYOLO("m", 3)
