import subprocess
import sys
from pathlib import Path

import torch

from strix_model.checkpoint import load_checkpoint

MODEL_DIR = Path(__file__).resolve().parents[1]


def average(*args):
    return subprocess.run([sys.executable, str(MODEL_DIR / "average.py"), *map(str, args)],
                          capture_output=True, text=True, timeout=120)


def test_averaging_interpolates_the_ema_weights_and_keeps_the_finetunes_metadata(trained_run, tmp_path):
    base, finetuned = load_checkpoint(trained_run / "best.pt"), load_checkpoint(trained_run / "last.pt")
    # Make the two differ everywhere: the "fine-tune" is the base plus one.
    shifted = {k: v + 1 if v.is_floating_point() else v for k, v in base["ema"].items()}
    torch.save(dict(finetuned, ema=shifted, imgsz=(192, 128)), tmp_path / "ft.pt")
    for alpha, offset in ((0.0, 0.0), (0.25, 0.25), (1.0, 1.0)):
        result = average("--weights", trained_run / "best.pt", tmp_path / "ft.pt", "--alpha", alpha,
                         "--out", tmp_path / "avg.pt")
        assert result.returncode == 0, result.stderr
        merged = load_checkpoint(tmp_path / "avg.pt")
        for name, value in base["ema"].items():
            if value.is_floating_point():
                assert torch.allclose(merged["ema"][name], value + offset, atol=1e-6), name
        assert merged["model"] is not None and merged["optimizer"] is None
        assert merged["imgsz"] == (192, 128) and merged["names"] == base["names"]
        assert merged["dataset_id"] == f"{base['dataset_id']} (weights averaged, alpha {alpha:g})"  # one data, once


def test_averaging_refuses_checkpoints_of_different_models(trained_run, tmp_path):
    other = load_checkpoint(trained_run / "best.pt")
    torch.save(dict(other, names=["a", "b", "c"]), tmp_path / "other.pt")
    result = average("--weights", trained_run / "best.pt", tmp_path / "other.pt", "--out", tmp_path / "x.pt")
    assert result.returncode == 2 and "different models" in result.stderr
    result = average("--weights", trained_run / "best.pt", trained_run / "best.pt", "--alpha", "1.5",
                     "--out", tmp_path / "x.pt")
    assert result.returncode == 2 and "between 0 and 1" in result.stderr


def test_an_average_of_checkpoints_trained_on_different_data_names_both(trained_run, tmp_path):
    base = load_checkpoint(trained_run / "best.pt")
    torch.save(dict(base, dataset_id="other-data"), tmp_path / "other-data.pt")
    result = average("--weights", trained_run / "best.pt", tmp_path / "other-data.pt", "--out", tmp_path / "x.pt")
    assert result.returncode == 0, result.stderr
    merged = load_checkpoint(tmp_path / "x.pt")["dataset_id"]
    assert merged == f"{base['dataset_id']} | other-data (weights averaged, alpha 0.5)"


def test_an_average_with_an_average_names_each_training_data_once(trained_run, tmp_path):
    base = load_checkpoint(trained_run / "best.pt")
    for earlier in (f"{base['dataset_id']} (weights averaged, alpha 0.5)",  # step 15: step 14 was an average
                    f"{base['dataset_id']} | {base['dataset_id']} (weights averaged, alpha 0.5)"):  # step 14's files
        torch.save(dict(base, dataset_id=earlier), tmp_path / "earlier.pt")
        result = average("--weights", tmp_path / "earlier.pt", trained_run / "best.pt", "--out", tmp_path / "x.pt")
        assert result.returncode == 0, result.stderr
        assert load_checkpoint(tmp_path / "x.pt")["dataset_id"] == f"{base['dataset_id']} (weights averaged, alpha 0.5)"


def test_three_or_more_checkpoints_average_to_their_plain_mean(trained_run, tmp_path):
    base = load_checkpoint(trained_run / "best.pt")
    for offset in (1, 2):
        shifted = {k: v + offset if v.is_floating_point() else v for k, v in base["ema"].items()}
        torch.save(dict(base, ema=shifted), tmp_path / f"plus{offset}.pt")
    paths = (trained_run / "best.pt", tmp_path / "plus1.pt", tmp_path / "plus2.pt")
    result = average("--weights", *paths, "--out", tmp_path / "mean.pt")
    assert result.returncode == 0, result.stderr
    merged = load_checkpoint(tmp_path / "mean.pt")
    for name, value in base["ema"].items():
        if value.is_floating_point():
            assert torch.allclose(merged["ema"][name], value + 1, atol=1e-5), name
    assert merged["dataset_id"] == f"{base['dataset_id']} (weights averaged, mean of 3)"
    result = average("--weights", *paths, "--alpha", "0.3", "--out", tmp_path / "x.pt")
    assert result.returncode == 2 and "equal weights" in result.stderr
    result = average("--weights", trained_run / "best.pt", "--out", tmp_path / "x.pt")
    assert result.returncode == 2 and "at least two" in result.stderr
