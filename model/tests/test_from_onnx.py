"""The shipped ONNX file is a checkpoint: its weights come back as a PyTorch model that computes what it does and
that training can continue from."""
import copy
from pathlib import Path

import numpy as np
import pytest
import torch

from strix_model.checkpoint import load_model
from strix_model.from_onnx import calibrate_batchnorm, model_from_onnx
from strix_model.onnx_export import parity_excess, read_parity_fixture
from strix_model.onnx_numpy import NumpyOnnxModel
from strix_model.training import TrainConfig, Trainer
from test_export import run  # export.py and friends in a subprocess, one thread

MODEL_DIR = Path(__file__).resolve().parents[1]
SHIPPED = MODEL_DIR.parent / "models" / "mobilevit-yolo-xxs-384x256.onnx"


@pytest.fixture(scope="module")
def shipped():
    model, info = model_from_onnx(SHIPPED)
    return model, info, read_parity_fixture(SHIPPED.with_suffix(".parity.json"))


def test_the_shipped_default_model_comes_back_computing_its_parity_output(shipped):
    model, info, fixture = shipped
    assert info["model_config"]["variant"] == "xxs" and info["imgsz"] == (384, 256)
    assert info["names"][0] == "person" and info["version"].startswith("20")
    with torch.no_grad():
        output = model(torch.from_numpy(fixture["images"].copy())).numpy()
    meta = fixture["meta"]
    assert parity_excess(output, fixture["output0"], meta["tolerance"], meta.get("relative_tolerance", 0.0)) <= 0


def raw_outputs(model, images, batchnorm_from_batch):
    """The training-mode forward (raw per-level outputs), BatchNorm normalising by the batch's statistics or by
    its running ones; on a copy, so that running statistics stay as they are."""
    model = copy.deepcopy(model).train()
    for module in model.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.train(batchnorm_from_batch)
    with torch.no_grad():
        return model(images)


def largest_difference(a, b):
    return max(float((x - y).abs().max()) for x, y in zip(a, b))


def test_calibration_keeps_the_function_and_lets_a_training_step_start_from_it(shipped):
    model, _, fixture = shipped
    model = copy.deepcopy(model)
    image = torch.from_numpy(fixture["images"].copy())
    batch = torch.cat((image, image.flip(-1), image * 0.8))
    with torch.no_grad():
        before = model(batch).numpy()
    uncalibrated = raw_outputs(model, batch, batchnorm_from_batch=True)
    assert calibrate_batchnorm(model, [batch]) == 3
    with torch.no_grad():
        assert np.abs(model(batch).numpy() - before).max() < 2e-3
    # A training step on the calibration images computes the file's function; with pass-through BatchNorms
    # it would see another network.
    function = raw_outputs(model, batch, batchnorm_from_batch=False)
    assert largest_difference(raw_outputs(model, batch, batchnorm_from_batch=True), function) < 0.01
    assert largest_difference(uncalibrated, function) > 5.0


@pytest.fixture(scope="module")
def toy_onnx(trained_run, tmp_path_factory):
    onnx_file = tmp_path_factory.mktemp("toy-onnx") / "toy.onnx"
    run("export.py", "--weights", trained_run / "best.pt", "--imgsz", 128, "--out", onnx_file)
    return onnx_file


def file_output(onnx_file, images):
    return NumpyOnnxModel(str(onnx_file)).run({"images": images})[0]


def test_training_continues_from_an_exported_file(toy_onnx, toy_data, tmp_path):
    lines = []
    cfg = TrainConfig(data=str(toy_data), imgsz=128, epochs=1, batch=4, out=str(tmp_path / "run"), workers=0,
                      threads=1, lr_max=1e-3, log_interval_s=1e9, init=str(toy_onnx))
    trainer = Trainer(cfg, log=lines.append)
    assert any(f"initialised from {toy_onnx}" in line and "BatchNorm statistics from 8 training images" in line
               for line in lines), lines
    # Before any step the model and its EMA compute what the file computes.
    images = np.random.default_rng(0).random((2, 3, 128, 128), dtype=np.float32)
    expected = file_output(toy_onnx, images)
    for model in (trainer.model, trainer.ema.module):
        with torch.no_grad():
            actual = model.eval()(torch.from_numpy(images)).numpy()
        assert np.abs(actual - expected).max() < 2e-3
    trainer.model.train()
    trainer.run()
    assert (tmp_path / "run" / "last.pt").is_file()


def test_onnx_to_checkpoint_writes_what_init_eval_and_export_take(toy_onnx, toy_data, tmp_path):
    out = tmp_path / "init.pt"
    assert "BatchNorm statistics from 8 training images" in run("onnx_to_checkpoint.py", "--onnx", toy_onnx, "--data",
                                                       toy_data, "--out", out)
    model, checkpoint = load_model(out)
    assert checkpoint["names"] == ["square", "disc", "triangle"] and checkpoint["imgsz"] == (128, 128)
    images = np.random.default_rng(1).random((2, 3, 128, 128), dtype=np.float32)
    with torch.no_grad():
        actual = model(torch.from_numpy(images)).numpy()
    expected = file_output(toy_onnx, images)
    # float16 again after calibration rescaled the weights: within a tenth of a pixel and 0.01 of a score
    assert np.abs(actual[:, :4] - expected[:, :4]).max() < 0.1
    assert np.abs(actual[:, 4:] - expected[:, 4:]).max() < 0.01
    lines = []
    Trainer(TrainConfig(data=str(toy_data), imgsz=128, epochs=1, batch=4, out=str(tmp_path / "run"), workers=0,
                        threads=1, log_interval_s=1e9, init=str(out)), log=lines.append)
    assert any(f"rebuilt from {toy_onnx}" in line for line in lines), lines
