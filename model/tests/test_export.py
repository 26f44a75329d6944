import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
import pytest
import torch

from strix_model.checkpoint import load_model
from strix_model.onnx_export import export_onnx, parity_excess, read_metadata, read_parity_fixture
from strix_model.onnx_numpy import NumpyOnnxModel

MODEL_DIR = Path(__file__).resolve().parents[1]


def run(script, *args):
    result = subprocess.run([sys.executable, str(MODEL_DIR / script), *map(str, args), "--threads", "1"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def exported(trained_run, tmp_path_factory):
    out = tmp_path_factory.mktemp("export") / "model.onnx"
    stdout = run("export.py", "--weights", trained_run / "best.pt", "--imgsz", 128, "--out", out, "--version", "t1")
    assert "onnx.checker passed" in stdout
    return out


def test_export_passes_checker_and_carries_metadata(exported):
    proto = onnx.load(str(exported))
    onnx.checker.check_model(proto, full_check=True)
    meta = read_metadata(proto)
    assert json.loads(meta["names"]) == ["square", "disc", "triangle"]
    assert meta["imgsz"] == "128" and json.loads(meta["strides"]) == [8, 16, 32]
    assert meta["variant"] == "xxs" and meta["version"] == "t1"
    assert meta["dataset_id"] == "toy-shapes-seed11-8-4"
    (inp,), (out,) = proto.graph.input, proto.graph.output
    assert inp.name == "images"
    dims = [d.dim_param or d.dim_value for d in inp.type.tensor_type.shape.dim]
    assert dims == ["batch", 3, 128, 128]
    assert [d.dim_param or d.dim_value for d in out.type.tensor_type.shape.dim] == ["batch", 7, 336]


def float32_graph(trained_run):
    model, checkpoint = load_model(trained_run / "best.pt")
    return model, export_onnx(model, 128, checkpoint["names"], "t1", checkpoint["dataset_id"])


def test_the_graph_computes_what_pytorch_does_for_a_batch(trained_run):
    model, graph = float32_graph(trained_run)
    images = torch.rand(3, 3, 128, 128)
    with torch.no_grad():
        expected = model(images).numpy()
    actual = NumpyOnnxModel(graph).run({"images": images.numpy()})[0]
    assert actual.shape == expected.shape == (3, 7, 336)
    assert np.abs(actual - expected).max() < 1e-3


def test_the_file_stores_the_weights_as_float16_and_computes_what_they_do(exported, trained_run):
    model, graph = float32_graph(trained_run)
    proto = onnx.load(str(exported))
    stored = {t.name: t for t in proto.graph.initializer}
    halved = [t for t in stored.values() if t.data_type == onnx.TensorProto.FLOAT16]
    assert len(halved) > 100 and all(t.name.endswith("_fp16") for t in halved)
    assert not [t for t in stored.values() if t.data_type == onnx.TensorProto.FLOAT and np.prod(t.dims) > 16]
    assert exported.stat().st_size < 0.55 * len(graph.SerializeToString())
    # Same as the float32 graph with its weights rounded to float16 and back.
    rounded = onnx.ModelProto()
    rounded.CopyFrom(graph)
    for tensor in rounded.graph.initializer:
        if tensor.data_type == onnx.TensorProto.FLOAT and np.prod(tensor.dims) > 16:
            values = onnx.numpy_helper.to_array(tensor).astype(np.float16).astype(np.float32)
            tensor.CopyFrom(onnx.numpy_helper.from_array(values, tensor.name))
    images = np.random.default_rng(3).random((2, 3, 128, 128), dtype=np.float32)
    actual = NumpyOnnxModel(proto).run({"images": images})[0]
    assert np.abs(actual - NumpyOnnxModel(rounded).run({"images": images})[0]).max() < 1e-5
    with torch.no_grad():
        full = model(torch.from_numpy(images)).numpy()
    assert np.abs(actual[:, 4:] - full[:, 4:]).max() < 1e-2  # class scores: float16's 3 significant digits


def test_parity_fixture_holds_input_and_the_files_output(exported, trained_run):
    fixture = read_parity_fixture(exported.with_suffix(".parity.json"))
    assert fixture["images"].shape == (1, 3, 128, 128) and fixture["images"].dtype == np.dtype("<f4")
    assert 0.0 <= fixture["images"].min() and fixture["images"].max() <= 1.0
    expected = NumpyOnnxModel(str(exported)).run({"images": fixture["images"].copy()})[0]
    assert np.allclose(fixture["output0"], expected, atol=1e-5)
    size = exported.with_suffix(".parity.bin").stat().st_size
    assert size == 4 * (3 * 128 * 128 + 7 * 336)


def test_parity_tolerance_grows_with_the_value_so_float32_rounding_of_large_box_edges_passes():
    expected = np.array([[0.5, 191.5186, 0.01]], np.float32)
    # The 16th session's export at 320: a stride-32 box edge off by 3.2e-3 px, rounding only (1.7e-5 of it).
    assert parity_excess(expected + np.array([[0.0, 3.2e-3, 0.0]], np.float32), expected) <= 0
    # The same absolute error on a class score, or a box off by a tenth of a pixel, is not rounding.
    assert parity_excess(expected + np.array([[3.2e-3, 0.0, 0.0]], np.float32), expected) > 0
    assert parity_excess(expected + np.array([[0.0, 0.1, 0.0]], np.float32), expected) > 0


def test_fp32_weights_keep_pytorchs_output_in_the_fixture(trained_run, tmp_path):
    out = tmp_path / "fp32.onnx"
    run("export.py", "--weights", trained_run / "best.pt", "--imgsz", 128, "--out", out, "--fp32-weights")
    proto = onnx.load(str(out))
    assert not [t for t in proto.graph.initializer if t.data_type == onnx.TensorProto.FLOAT16]
    fixture = read_parity_fixture(out.with_suffix(".parity.json"))
    model, _ = load_model(trained_run / "best.pt")
    with torch.no_grad():
        expected = model(torch.from_numpy(fixture["images"].copy())).numpy()
    assert np.allclose(fixture["output0"], expected, atol=1e-5)


def test_eval_gives_the_same_map_for_checkpoint_and_onnx(exported, trained_run, toy_data):
    summary = re.compile(r"^mAP50-95=\d\.\d{3} mAP50=\d\.\d{3}$")
    pt_lines = run("eval.py", "--weights", trained_run / "best.pt", "--data", toy_data).strip().splitlines()
    onnx_lines = run("eval.py", "--onnx", exported, "--data", toy_data).strip().splitlines()
    assert summary.match(pt_lines[-1]) and pt_lines[-1] == onnx_lines[-1]
    assert pt_lines[-4].split()[0] == "square"  # per-class table precedes the summary


def test_a_rectangular_export_is_height_by_width_and_scores_like_its_checkpoint(trained_run, toy_data, tmp_path):
    out = tmp_path / "rect.onnx"
    run("export.py", "--weights", trained_run / "best.pt", "--imgsz", "192x128", "--out", out, "--version", "t2")
    proto = onnx.load(str(out))
    meta = read_metadata(proto)
    assert meta["imgsz"] == "[128, 192]" and meta["name"] == "mobilevit-yolo-xxs-192x128"  # Ultralytics' [h, w]
    dims = [d.dim_param or d.dim_value for d in proto.graph.input[0].type.tensor_type.shape.dim]
    assert dims == ["batch", 3, 128, 192]
    assert [d.dim_value for d in proto.graph.output[0].type.tensor_type.shape.dim][2] == 24 * 16 + 12 * 8 + 6 * 4
    fixture = read_parity_fixture(out.with_suffix(".parity.json"))
    assert fixture["images"].shape == (1, 3, 128, 192)
    pt_lines = run("eval.py", "--weights", trained_run / "best.pt", "--data", toy_data, "--imgsz", "192x128").splitlines()
    onnx_lines = run("eval.py", "--onnx", out, "--data", toy_data).splitlines()
    assert pt_lines[0] == f"model: {trained_run / 'best.pt'}" and onnx_lines[0].startswith(f"model: {out}, version ")
    assert "imgsz 192x128" in pt_lines[1] and "imgsz 192x128" in onnx_lines[1]
    assert re.match(r"^mAP50-95=\d\.\d{3} mAP50=\d\.\d{3}$", pt_lines[-1]) and pt_lines[-1] == onnx_lines[-1]
    for wrong, message in (("128", "exported for 192x128"), ("200x128", "multiple of 64")):
        result = subprocess.run([sys.executable, str(MODEL_DIR / "eval.py"), "--onnx", str(out), "--data",
                                 str(toy_data), "--imgsz", wrong], capture_output=True, text=True)
        assert result.returncode == 2 and message in result.stderr


def test_eval_reports_what_is_found_by_size_at_each_confidence(exported, toy_data):
    lines = run("eval.py", "--onnx", exported, "--data", toy_data, "--found-conf", "0.1", "0.5").splitlines()
    found = [line for line in lines if line.startswith("found at conf")]
    assert [line.split()[3].rstrip(",") for line in found] == ["0.1", "0.5"]
    assert all(re.search(r"<8 px \d+/\d+.*>=32 px \d+/\d+.*; precision \d\.\d{3}", line) for line in found)


def test_eval_rejects_a_dataset_with_other_classes(exported, tmp_path):
    from strix_model.synthetic import write_toy_dataset

    other = write_toy_dataset(tmp_path, train=1, val=1, names=["a", "b", "c"])
    result = subprocess.run([sys.executable, str(MODEL_DIR / "eval.py"), "--onnx", str(exported), "--data", str(other)],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "differ from the dataset's" in result.stderr


def perfect_predictions(toy_data, every=1):
    """The val split's own boxes as detections (score 0.9) for every `every`-th image, with the data config."""
    from strix_model.data import YoloDataset, load_data_config, load_rgb
    data = load_data_config(str(toy_data))
    dataset = YoloDataset(data, "val", 64)
    predictions = {}
    for index in range(0, len(dataset.images), every):
        path = dataset.images[index]
        width, height = load_rgb(path).size
        truth = dataset.original_boxes(index, width, height).tolist()
        predictions[Path(path).name] = [[x1, y1, x2, y2, 0.9, cls] for cls, x1, y1, x2, y2 in truth]
    return data, predictions


def test_eval_scores_predictions_made_elsewhere(toy_data, tmp_path):
    # Detections from another implementation (the Java detector) are scored by the same mAP code.
    _, perfect = perfect_predictions(toy_data)
    shifted = {name: [[x1 + (x2 - x1), y1, x2 + (x2 - x1), y2, score, cls] for x1, y1, x2, y2, score, cls in boxes]
               for name, boxes in perfect.items()}
    for name, predictions, expected in (("perfect", perfect, "mAP50-95=1.000 mAP50=1.000"),
                                        ("shifted", shifted, "mAP50-95=0.000 mAP50=0.000")):
        file = tmp_path / f"{name}.json"
        file.write_text(json.dumps({"predictions": predictions}))
        last = run("eval.py", "--predictions", file, "--data", toy_data).strip().splitlines()[-1]
        assert last == expected, name


def test_eval_scores_each_image_source_of_a_split_and_one_map_over_all(toy_data, tmp_path):
    # val lists two datasets' folders: the toy set, predicted perfectly, and another (its own file names), with no
    # predictions. Each gets its own line; the last line is one mAP over both, between the two.
    from strix_model.synthetic import TOY_NAMES, write_toy_dataset

    other = write_toy_dataset(tmp_path / "b", train=1, val=3, seed=5, width=160, height=120).parent
    for folder in ("images", "labels"):
        for f in (other / folder / "val").iterdir():
            f.rename(f.with_name("b_" + f.name))
    mixed = tmp_path / "mixed.yaml"
    mixed.write_text(f"val: [{toy_data.parent / 'images' / 'val'}, b/images/val]\nnames: {TOY_NAMES}\n")
    _, perfect = perfect_predictions(toy_data)
    file = tmp_path / "perfect.json"
    file.write_text(json.dumps({"predictions": perfect}))
    lines = run("eval.py", "--predictions", file, "--data", mixed).strip().splitlines()
    assert [line for line in lines if line.startswith("source ")] == [
        f"source {toy_data.parent / 'images' / 'val'}: 4 images, mAP50-95=1.000 mAP50=1.000",
        "source b/images/val: 3 images, mAP50-95=0.000 mAP50=0.000"]
    pooled = [float(v.split("=")[1]) for v in lines[-1].split()]
    assert 0 < pooled[0] < 1 and 0 < pooled[1] < 1
    single = run("eval.py", "--predictions", file, "--data", toy_data).splitlines()
    assert not [line for line in single if line.startswith("source ")]

    # Predictions are keyed by file name: two folders with the same names are refused, not scored wrongly.
    (tmp_path / "c").mkdir()
    for folder in ("images", "labels"):
        shutil.copytree(toy_data.parent / folder, tmp_path / "c" / folder)
    mixed.write_text(f"val: [{toy_data.parent / 'images' / 'val'}, c/images/val]\nnames: {TOY_NAMES}\n")
    result = subprocess.run([sys.executable, str(MODEL_DIR / "eval.py"), "--predictions", str(file), "--data",
                             str(mixed)], capture_output=True, text=True)
    assert result.returncode == 2 and "several images named val_00000.png" in result.stderr


def test_eval_confusion_puts_perfect_predictions_on_the_diagonal(toy_data, tmp_path):
    data, predictions = perfect_predictions(toy_data)
    per_class = [0] * data.num_classes
    for boxes in predictions.values():
        for box in boxes:
            per_class[int(box[5])] += 1
    file = tmp_path / "perfect.json"
    file.write_text(json.dumps({"predictions": predictions}))
    lines = run("eval.py", "--predictions", file, "--data", toy_data, "--confusion").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("classes at conf 0.25"))
    rows = [[int(v) for v in line.split()[1:]] for line in lines[start + 2:start + 3 + data.num_classes]]
    expected = [[per_class[r] if c == r else 0 for c in range(data.num_classes)] + [0] for r in range(data.num_classes)]
    assert rows == expected + [[0] * data.num_classes] and sum(per_class) > 0


def test_eval_min_size_leaves_the_small_objects_out_of_the_found_shares_and_the_precision_too(toy_data):
    # Perfect boxes for the objects of at least 64 px only. With --min-size 64 the small ones are ignore regions for
    # the mAP; the tallies must agree: nothing counted missed, a detection on a small object no false positive.
    from strix_model.evaluation import evaluate_predictions
    from strix_model.metrics import ConfusionMatrix, SizeRecall
    data, perfect = perfect_predictions(toy_data)
    ratio = 320 / 160  # the toy images are 160x120, the detector input 320 (the default imgsz)
    big = {name: [b for b in boxes if ((b[2] - b[0]) * (b[3] - b[1])) ** 0.5 * ratio >= 64]
           for name, boxes in perfect.items()}
    small = sum(len(perfect[name]) - len(big[name]) for name in perfect)
    assert small > 0 and sum(map(len, big.values())) > 0
    loose = {name: boxes + [b for b in perfect[name] if b not in boxes] for name, boxes in big.items()}
    for predictions in (big, loose):  # `loose` also finds the small objects: not scored, so neither hit nor miss
        found, classes = SizeRecall(), ConfusionMatrix(data.names)
        result = evaluate_predictions(predictions, data, "val", min_size=64, ignore_regions={},
                                      tallies=[found, classes])
        assert result.map50_95 == pytest.approx(1.0)
        assert found.found.sum() == found.total.sum() == found.true_positives == found.detections
        assert found.total.sum() == sum(map(len, big.values()))
        assert classes.counts[:, -1].sum() == 0 and classes.counts[-1].sum() == 0  # none missed, none background
    found = SizeRecall()
    evaluate_predictions(big, data, "val", ignore_regions={}, tallies=[found])
    assert found.total.sum() - found.found.sum() == small  # without --min-size the small ones count as missed


def test_eval_every_scores_only_every_nth_image(toy_data):
    # Perfect boxes for the even-numbered images only: all of the split scores less than 1, every 2nd image scores 1.
    from strix_model.evaluation import evaluate_predictions
    data, predictions = perfect_predictions(toy_data, every=2)
    assert evaluate_predictions(predictions, data, "val", ignore_regions={}).map50 < 0.9
    assert evaluate_predictions(predictions, data, "val", ignore_regions={}, every=2).map50_95 == pytest.approx(1.0)
    with pytest.raises(ValueError, match="--every must be at least 1"):
        evaluate_predictions(predictions, data, "val", ignore_regions={}, every=0)
