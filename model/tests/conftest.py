"""Shared fixtures: a generated toy dataset and one briefly trained run, made once per test session."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import strix_model  # noqa: E402,F401  (first: sets the OpenMP wait policy before torch loads)
import torch  # noqa: E402
from strix_model.synthetic import write_toy_dataset  # noqa: E402
from strix_model.training import TrainConfig, Trainer  # noqa: E402

# One thread: the models are tiny here, and CI machines are shared (two threads on a busy core crawl).
torch.set_num_threads(1)


@pytest.fixture(scope="session")
def toy_data(tmp_path_factory) -> Path:
    return write_toy_dataset(tmp_path_factory.mktemp("toy"), train=8, val=4, seed=11, width=160, height=120)


@pytest.fixture(scope="session")
def trained_run(tmp_path_factory, toy_data) -> Path:
    """One epoch at 128 px: just enough to produce real checkpoints for export and eval tests."""
    out = tmp_path_factory.mktemp("run")
    cfg = TrainConfig(data=str(toy_data), imgsz=128, epochs=1, batch=4, out=str(out), workers=0,
                      threads=1, warmup_epochs=0.5, lr_max=2e-3, log_interval_s=1e9)
    Trainer(cfg, log=lambda s: None).run()
    return out
