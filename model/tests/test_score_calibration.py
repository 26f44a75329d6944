import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from strix_model.checkpoint import load_checkpoint, model_from_checkpoint
from strix_model.detector import MobileViTYOLO
from strix_model.score_calibration import ScoreProfile, class_shifts, logit, shift_class_logits
from test_export import run  # export.py in a subprocess, one thread

MODEL_DIR = Path(__file__).resolve().parents[1]


def profile(found_by_score, conf=0.05):
    """One class; detections given as {score: found}."""
    tally = ScoreProfile(1, conf=conf)
    tally.scores[0] = list(found_by_score)
    tally.found[0] = list(found_by_score.values())
    return tally


# best first: TP 0.9, FP 0.8, TP 0.6, FP 0.4, TP 0.3, FP 0.2, FP 0.1 -> at 0.25: 3 TP, 2 FP
CANDIDATE = {0.9: True, 0.8: False, 0.6: True, 0.4: False, 0.3: True, 0.2: False, 0.1: False}


@pytest.mark.parametrize("false_positives, threshold, counts", [
    (2, 0.25, (3, 2)),   # as many as the reference already: unchanged (a model calibrated to itself)
    (1, 0.5, (2, 1)),    # fewer: just above the 2nd false positive, halfway to the next score (0.6)
    (0, 0.85, (1, 0)),   # none: above the best false positive
    (3, 0.2, (3, 3)),    # more: down to the 3rd false positive
    (4, 0.1, (3, 4)),
    (5, 0.05, (3, 4)),   # more than it ever makes: the lowest score profiled
])
def test_the_threshold_nearest_the_confidence_with_the_references_false_positives(false_positives, threshold, counts):
    candidate = profile(CANDIDATE)
    assert candidate.counts_at(0, 0.25) == (3, 2)
    found = candidate.threshold_for(0, false_positives, 0.25)
    assert found == pytest.approx(threshold)
    assert candidate.counts_at(0, found) == counts


def test_class_shifts_move_the_logit_by_the_threshold_and_leave_matched_classes_alone():
    reference = profile({0.7: True, 0.5: False, 0.3: True, 0.1: False})  # 1 FP at 0.25
    shift, = class_shifts(reference, profile(CANDIDATE), ["car"], conf=0.25)
    assert shift.threshold == pytest.approx(0.5) and shift.offset == pytest.approx(logit(0.5) - logit(0.25))
    assert (shift.reference, shift.before, shift.matched) == ((2, 1), (3, 2), (2, 1))
    same, = class_shifts(profile(CANDIDATE), profile(CANDIDATE), ["car"], conf=0.25)
    assert same.offset == 0.0
    with pytest.raises(ValueError, match="profile below it"):
        class_shifts(profile(CANDIDATE, conf=0.3), profile(CANDIDATE), ["car"], conf=0.25)


def test_a_detection_profile_counts_found_objects_and_false_positives():
    tally = ScoreProfile(2, conf=0.05)
    truth = np.array([[0, 10, 10, 50, 50], [1, 100, 100, 140, 140]], np.float64)
    detections = np.array([[11, 11, 50, 50, 0.9, 0],      # finds the person
                           [12, 10, 50, 52, 0.6, 0],      # the same person again: a false positive
                           [100, 100, 140, 140, 0.3, 0],  # the bicycle, called a person: a false positive
                           [200, 200, 240, 240, 0.02, 1]], np.float64)  # under the profile's confidence
    tally.add(detections, truth, scale=1.0)
    assert tally.counts_at(0, 0.25) == (1, 2) and tally.counts_at(0, 0.7) == (1, 0)
    assert tally.counts_at(1, 0.0) == (0, 0)  # the bicycle's only box is under the profile


def test_shifting_a_class_logit_moves_only_that_classs_scores_by_the_offset():
    torch.manual_seed(0)
    model = MobileViTYOLO("xxs", num_classes=3).eval()
    images = torch.rand(1, 3, 128, 128)
    with torch.no_grad():
        before = model(images)
        shift_class_logits(model, [1.0, 0.0, -0.5])
        after = model(images)
    assert torch.allclose(after[:, :4], before[:, :4])
    change = torch.logit(after[:, 4:].double()) - torch.logit(before[:, 4:].double())
    for cls, offset in enumerate([-1.0, 0.0, 0.5]):
        assert torch.allclose(change[:, cls], torch.full_like(change[:, cls], offset), atol=1e-4)
    with pytest.raises(ValueError, match="2 offsets for a head of 3 classes"):
        shift_class_logits(model, [1.0, 0.0])


def calibrate(*args):
    return subprocess.run([sys.executable, str(MODEL_DIR / "calibrate_scores.py"), *map(str, args), "--threads", "1"],
                          capture_output=True, text=True, timeout=300)


def shifted(source, offsets, out):
    """source's checkpoint with its class logits lowered by offsets (negative: raised)."""
    checkpoint = load_checkpoint(source)
    model = model_from_checkpoint(checkpoint)
    shift_class_logits(model, offsets)
    torch.save(dict(checkpoint, model=model.state_dict(), ema=model.state_dict()), out)
    return out


@pytest.fixture(scope="module")
def reference(trained_run, tmp_path_factory):
    """The toy run with every class raised 5 logits (one epoch leaves its scores under 0.25), and its export."""
    out = tmp_path_factory.mktemp("reference")
    shifted(trained_run / "best.pt", [-5.0, -5.0, -5.0], out / "ref.pt")
    run("export.py", "--weights", out / "ref.pt", "--imgsz", 128, "--out", out / "ref.onnx")
    return out


def offsets(stdout):
    line = next(line for line in stdout.splitlines() if line.startswith("logit offsets: "))
    return {name: float(value) for name, value in (part.split() for part in line[15:].split(", "))}


def test_a_model_calibrated_to_its_own_export_is_unchanged(reference, toy_data, tmp_path):
    result = calibrate("--weights", reference / "ref.pt", "--reference", reference / "ref.onnx", "--data", toy_data,
                       "--out", tmp_path / "cal.pt")
    assert result.returncode == 0, result.stderr
    assert "square 0/4 (0/4), disc 0/4 (0/4)" in result.stdout  # it detects: the offsets are measured, not vacuous
    assert offsets(result.stdout) == {"square": 0.0, "disc": 0.0, "triangle": 0.0}
    calibrated = load_checkpoint(tmp_path / "cal.pt")
    assert calibrated["calibrated"]["offsets"] == {"square": 0.0, "disc": 0.0, "triangle": 0.0}
    assert calibrated["calibrated"]["imgsz"] == "128" and calibrated["optimizer"] is None
    original = model_from_checkpoint(load_checkpoint(reference / "ref.pt")).state_dict()
    for name, value in model_from_checkpoint(calibrated).state_dict().items():
        assert torch.equal(value, original[name]), name


def test_a_class_raised_past_the_reference_is_lowered_back_to_its_false_positives(reference, toy_data, tmp_path):
    # The candidate: the reference with squares 1.5 logits higher, which also takes the discs' locations
    candidate = shifted(reference / "ref.pt", [-1.5, 0.0, 0.0], tmp_path / "cand.pt")
    result = calibrate("--weights", candidate, "--reference", reference / "ref.onnx", "--data", toy_data,
                       "--out", tmp_path / "cal.pt")
    assert result.returncode == 0, result.stderr
    square = result.stdout.split("round 1:")[1].splitlines()[2].split()
    assert square[:3] == ["square", "0/4", "0/20"]  # reference 4 false squares at 0.25, the candidate 20
    found = offsets(result.stdout)
    assert 0.5 < found["square"] <= 1.5 and found["disc"] == found["triangle"] == 0.0  # lowered only, never raised
    # Squares back to the reference's 4 false positives; discs were not raised to win their locations back
    assert "after calibration, at 0.25 (TP/FP, reference's in brackets): square 0/4 (0/4), disc 0/0 (0/4)" \
        in result.stdout
    assert "round 2:" in result.stdout and "round 3:" not in result.stdout  # measured again, then nothing to shift
    assert load_checkpoint(tmp_path / "cal.pt")["calibrated"]["offsets"]["square"] == pytest.approx(found["square"],
                                                                                                  abs=1e-3)


def test_calibration_refuses_a_missing_reference_another_size_or_no_rounds(reference, toy_data, tmp_path):
    args = ["--weights", reference / "ref.pt", "--data", toy_data, "--out", tmp_path / "cal.pt"]
    result = calibrate(*args, "--reference", tmp_path / "none.onnx")
    assert result.returncode == 2 and "does not exist" in result.stderr
    result = calibrate(*args, "--reference", reference / "ref.onnx", "--imgsz", 192)
    assert result.returncode == 2 and "cannot change it" in result.stderr
    result = calibrate(*args, "--reference", reference / "ref.onnx", "--rounds", 0)
    assert result.returncode == 2 and "--rounds 0: give at least 1" in result.stderr
    assert not (tmp_path / "cal.pt").exists()
