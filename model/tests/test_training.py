import csv
import math

import pytest
import torch

from strix_model.checkpoint import load_checkpoint
from strix_model.data import YoloDataset, collate, load_data_config
from strix_model.detector import MobileViTYOLO
from strix_model.loss import DetectionLoss, TaskAlignedAssigner
from strix_model.training import TrainConfig, Trainer, autocast_dtype, cpu_has_bfloat16, lr_at


def test_assigner_picks_anchors_inside_the_box_and_none_outside():
    points = torch.tensor([[5.0, 5.0], [15.0, 5.0], [45.0, 45.0]])
    gt_boxes = torch.tensor([[[0.0, 0.0, 20.0, 10.0]]])
    pred_boxes = torch.tensor([[[0.0, 0.0, 20.0, 10.0], [0.0, 0.0, 10.0, 10.0], [40.0, 40.0, 50.0, 50.0]]])
    scores = torch.full((1, 3, 2), 0.5)
    boxes, target_scores, foreground = TaskAlignedAssigner(topk=10)(
        scores, pred_boxes, points, torch.tensor([[1]]), gt_boxes, torch.tensor([[True]]))
    assert foreground.tolist() == [[True, True, False]]
    assert torch.equal(boxes[0, 0], gt_boxes[0, 0])
    # The best-aligned anchor (IoU 1) gets target 1.0 for class 1; the other is scaled down; no class-0 target.
    assert target_scores[0, 0].tolist() == pytest.approx([0.0, 1.0])
    assert 0 < target_scores[0, 1, 1] < 1 and target_scores[0, :, 0].sum() == 0


def test_a_box_between_anchor_centres_gets_the_nearest_finest_anchor():
    # Stride-8 centres at 4 and 12 (x) and 4 (y); one stride-16 centre at 8, 8 - nearer to the box, but coarser.
    points = torch.tensor([[4.0, 4.0], [12.0, 4.0], [8.0, 8.0]])
    strides = torch.tensor([[8.0], [8.0], [16.0]])
    gt_boxes = torch.tensor([[[8.5, 3.0, 11.0, 6.0], [0.0, 0.0, 8.0, 8.0]]])  # a 2.5x3 px box: no centre inside
    pred_boxes = torch.tensor([[[0.0, 0.0, 8.0, 8.0], [8.0, 2.0, 14.0, 6.0], [0.0, 0.0, 16.0, 16.0]]])
    scores = torch.full((1, 3, 2), 0.5)
    labels, mask = torch.tensor([[1, 0]]), torch.tensor([[True, True]])
    boxes, target_scores, foreground = TaskAlignedAssigner(topk=10)(
        scores, pred_boxes, points, labels, gt_boxes, mask, strides)
    # The tiny box (class 1) gets the stride-8 anchor at 12 (nearest finest), not the stride-16 one at 8, 8.
    assert foreground.tolist() == [[True, True, False]]
    assert torch.equal(boxes[0, 1], gt_boxes[0, 0]) and target_scores[0, 1, 1] > 0
    # Boxes that contain an anchor centre are assigned exactly as before (only anchors inside them).
    assert torch.equal(boxes[0, 0], gt_boxes[0, 1]) and target_scores[0, 0, 0] > 0
    # Without the fallback the tiny box would have had no positive at all.
    assert not ((points[:, 0] > 8.5) & (points[:, 0] < 11.0) & (points[:, 1] > 3.0) & (points[:, 1] < 6.0)).any()


def test_class_weights_scale_only_the_positive_class_term_of_their_class(toy_data):
    torch.manual_seed(0)
    dataset = YoloDataset(load_data_config(toy_data), "train", 128)
    images, targets, _ = collate([dataset[i] for i in range(4)])
    model = MobileViTYOLO("xxs", num_classes=3).train()
    raw = [r.detach() for r in model(images.float() / 255)]

    def parts(weights):
        return {k: float(v) for k, v in DetectionLoss(model, class_weights=weights)(raw, targets)[1].items()}

    plain = parts(None)
    assert parts([1, 1, 1])["cls"] == pytest.approx(plain["cls"], rel=1e-4)
    tripled = parts([3, 3, 3])
    assert tripled["cls"] > 1.05 * plain["cls"]  # every positive term counts three times
    assert (tripled["box"], tripled["dfl"]) == (plain["box"], plain["dfl"])
    # The loss is linear in each weight and a weight acts on its own class only: the three one-class increases add
    # up to the all-class one, and none is negative (a class whose objects got no positive adds nothing).
    rises = [parts([3 if c == k else 1 for c in range(3)])["cls"] - plain["cls"] for k in range(3)]
    assert min(rises) > -1e-3 and sum(rises) == pytest.approx(tripled["cls"] - plain["cls"], rel=1e-3)
    with pytest.raises(ValueError, match="2 class weights for 3 classes"):
        DetectionLoss(model, class_weights=[1, 2])


@pytest.mark.parametrize("amp", [None, torch.bfloat16], ids=["float32", "bfloat16-autocast"])
def test_a_few_training_steps_lower_the_loss(toy_data, amp):
    torch.manual_seed(0)
    dataset = YoloDataset(load_data_config(toy_data), "train", 128)
    images, targets, _ = collate([dataset[i] for i in range(4)])
    images = images.float() / 255
    model = MobileViTYOLO("xxs", num_classes=3).train()
    loss_fn = DetectionLoss(model)
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-3)
    losses = []
    for _ in range(10):
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=amp is not None):
            raw = model(images)
        loss, parts = loss_fn([r.float() for r in raw], targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(float(loss))
    assert all(math.isfinite(v) for v in losses)
    assert sum(losses[-3:]) / 3 < 0.7 * losses[0], losses


def test_bfloat16_autocast_computes_what_float32_does():
    torch.manual_seed(0)
    model = MobileViTYOLO("xxs", num_classes=3).eval()
    images = torch.rand(2, 3, 128, 192)
    raw_maps = lambda: model.head(model.neck(model.backbone(images)))  # noqa: E731 (what the loss sees)
    with torch.no_grad():
        exact = model.decode(raw_maps())
        with torch.autocast("cpu", dtype=torch.bfloat16):
            raw = raw_maps()  # the transformer's LayerNorms take bfloat16 input here
        fast = model.decode([r.float() for r in raw])
    assert raw[0].dtype == torch.bfloat16
    assert (fast[:, :4] - exact[:, :4]).abs().max() < 1.0  # px, boxes of a 192x128 input
    assert (fast[:, 4:] - exact[:, 4:]).abs().max() < 0.005  # sigmoid scores
    assert (fast - exact).abs().max() > 0  # it did run in bfloat16


def test_precision_auto_takes_bfloat16_only_where_the_cpu_computes_it(tmp_path):
    sapphire, older = tmp_path / "amx", tmp_path / "avx2"
    sapphire.write_text("flags\t\t: fpu avx2 avx512f avx512_bf16 amx_bf16 amx_tile\n")
    older.write_text("flags\t\t: fpu avx2 avx512f avx512_vnni\n")
    assert cpu_has_bfloat16(str(sapphire)) and not cpu_has_bfloat16(str(older))
    assert not cpu_has_bfloat16(str(tmp_path / "missing"))
    cpu = torch.device("cpu")
    assert autocast_dtype(cpu, "auto") == (torch.bfloat16 if cpu_has_bfloat16() else None)
    assert autocast_dtype(cpu, "float32") is None and autocast_dtype(cpu, "bfloat16") == torch.bfloat16
    with pytest.raises(ValueError, match="precision must be one of auto, float32, bfloat16"):
        autocast_dtype(cpu, "float16")


@pytest.mark.parametrize("has_bf16", [True, False])
def test_precision_on_a_gpu_takes_float16_where_bfloat16_is_missing_and_refuses_to_fake_it(monkeypatch, has_bf16):
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda: has_bf16)
    gpu = torch.device("cuda")
    assert autocast_dtype(gpu, "auto") == (torch.bfloat16 if has_bf16 else torch.float16)
    assert autocast_dtype(gpu, "float32") is None
    if has_bf16:
        assert autocast_dtype(gpu, "bfloat16") == torch.bfloat16
    else:
        with pytest.raises(ValueError, match="this GPU does not compute bfloat16"):
            autocast_dtype(gpu, "bfloat16")


def test_learning_rate_follows_warmup_then_cosine():
    cfg = TrainConfig(data="", epochs=10, warmup_epochs=2)
    assert lr_at(0, cfg) == pytest.approx(0.00009)
    assert lr_at(1, cfg) == pytest.approx((0.00009 + 0.0009) / 2)
    assert lr_at(2, cfg) == pytest.approx(0.0009)
    assert lr_at(6, cfg) == pytest.approx((0.0009 + 0.00009) / 2)
    assert lr_at(10, cfg) == pytest.approx(0.00009)


def test_training_writes_checkpoints_and_learning_curve_and_resumes(trained_run, toy_data):
    last, best = load_checkpoint(trained_run / "last.pt"), load_checkpoint(trained_run / "best.pt")
    assert last["epoch"] == 0 and last["optimizer"] is not None and best["optimizer"] is None
    assert last["names"] == ["square", "disc", "triangle"] and last["dataset_id"] == "toy-shapes-seed11-8-4"
    rows = list(csv.DictReader(open(trained_run / "results.csv")))
    assert [r["epoch"] for r in rows] == ["1"]
    assert 0.0 <= float(rows[0]["mAP50-95"]) <= float(rows[0]["mAP50"]) <= 1.0

    # Resume into a copy so the session fixture stays as it was.
    import shutil
    resumed_dir = trained_run.parent / "resumed"
    shutil.copytree(trained_run, resumed_dir)
    lines = []
    Trainer(TrainConfig(data="", epochs=2, out=str(resumed_dir), workers=0, threads=1), resume=True,
            log=lines.append).run()
    resumed = load_checkpoint(resumed_dir / "last.pt")
    assert resumed["epoch"] == 1 and resumed["ema_updates"] == 2 * last["ema_updates"]
    assert resumed["train_config"]["lr_max"] == 2e-3  # the recipe came from the checkpoint
    assert [r["epoch"] for r in csv.DictReader(open(resumed_dir / "results.csv"))] == ["1", "2"]
    assert any(line.startswith("epoch 2/2 loss") for line in lines)


def one_epoch(toy_data, tmp_path, **recipe) -> TrainConfig:
    """One epoch at 128 px of the toy data, in-process and single-threaded; `recipe` sets or overrides the rest."""
    base = dict(data=str(toy_data), imgsz=128, epochs=1, batch=4, out=str(tmp_path), workers=0, threads=1)
    return TrainConfig(**{**base, **recipe})


def test_multiscale_and_mosaic_training_runs_an_epoch(toy_data, tmp_path):
    lines = []
    cfg = one_epoch(toy_data, tmp_path, multiscale=True, mosaic=1.0, log_interval_s=0, precision="float32")
    Trainer(cfg, log=lines.append).run()
    assert "imgsz 128 (multi-scale 64, 128, 192)," in lines[0] and "device cpu (float32)" in lines[0]
    assert any("ETA" in line for line in lines)
    assert (tmp_path / "last.pt").is_file() and (tmp_path / "results.csv").is_file()


def test_repeat_factor_sampling_lengthens_the_epoch_with_rare_class_images(toy_data, tmp_path):
    lines = []
    cfg = one_epoch(toy_data, tmp_path, repeat_threshold=1.0, log_interval_s=0)
    trainer = Trainer(cfg, log=lines.append)
    assert trainer.sampler.repeats is not None and trainer.sampler.repeats.max() > 1
    assert trainer.sampler.repeats.sum() > len(trainer.train_set)
    trainer.run()
    assert any(line.startswith("repeat-factor sampling (threshold 1)") for line in lines)


def test_class_weight_power_weighs_rare_classes_in_the_loss_and_says_so(toy_data, tmp_path):
    lines = []
    cfg = one_epoch(toy_data, tmp_path, class_weight_power=0.5, class_weight_cap=6, log_interval_s=0)
    trainer = Trainer(cfg, log=lines.append)
    assert trainer.loss.class_weights is not None and trainer.loss.class_weights.max() > 1
    trainer.run()
    assert any(line.startswith("class loss weights (power 0.5, cap 6): ") for line in lines)
    saved = load_checkpoint(tmp_path / "last.pt")["train_config"]
    assert (saved["class_weight_power"], saved["class_weight_cap"]) == (0.5, 6)
    # A cap under 1 is refused whether or not the weights are on, not ignored until a power is set
    with pytest.raises(ValueError, match="class weight cap 0.5: it must be 1 or more"):
        Trainer(one_epoch(toy_data, tmp_path / "capped", class_weight_cap=0.5), log=lines.append)


def test_train_py_refuses_a_class_weight_cap_without_a_power(toy_data, tmp_path, capsys):
    import train
    assert train.main(["--data", str(toy_data), "--out", str(tmp_path), "--class-weight-cap", "8"]) == 2
    assert "--class-weight-cap 8 has no effect without --class-weight-power" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())  # refused before anything is written


def test_train_py_box_gain_weighs_the_box_loss_and_a_non_positive_one_is_refused(toy_data, tmp_path, capsys):
    import train
    assert train.main(["--data", str(toy_data), "--out", str(tmp_path / "zero"), "--box-gain", "0"]) == 2
    assert "--box-gain 0: it must be above 0" in capsys.readouterr().err
    assert not (tmp_path / "zero").exists()
    assert train.main(["--data", str(toy_data), "--out", str(tmp_path / "run"), "--imgsz", "64", "--epochs", "1",
                       "--batch", "4", "--workers", "0", "--threads", "1", "--val-every", "10",
                       "--box-gain", "15"]) == 0
    assert load_checkpoint(tmp_path / "run" / "last.pt")["train_config"]["box_gain"] == 15


def test_train_py_resume_refuses_flags_that_would_change_the_runs_recipe(trained_run, tmp_path, capsys):
    import train
    before = (trained_run / "last.pt").read_bytes()
    assert train.main(["--resume", "--out", str(trained_run), "--lr-max", "0.01", "--box-gain", "10"]) == 2
    err = capsys.readouterr().err
    assert "--lr-max, --box-gain would change it" in err and f"--init {trained_run / 'last.pt'}" in err
    assert (trained_run / "last.pt").read_bytes() == before  # refused before anything is written


def test_a_rectangular_input_trains_and_validates_at_width_by_height(toy_data, tmp_path):
    lines = []
    cfg = TrainConfig(data=str(toy_data), imgsz=(192, 128), epochs=1, batch=4, out=str(tmp_path), workers=0,
                      threads=1, mosaic=0.5, log_interval_s=0, precision="bfloat16")
    Trainer(cfg, log=lines.append).run()
    assert "imgsz 192x128" in lines[0] and "device cpu (bfloat16)" in lines[0]
    assert load_checkpoint(tmp_path / "last.pt")["imgsz"] == (192, 128)


def test_a_rectangular_input_trains_multiscale_at_sizes_of_its_aspect(toy_data, tmp_path):
    lines = []
    cfg = TrainConfig(data=str(toy_data), imgsz=(192, 128), epochs=1, batch=4, out=str(tmp_path), workers=0,
                      threads=1, multiscale=True, log_interval_s=0, precision="float32")
    trainer = Trainer(cfg, log=lines.append)
    trainer.run()
    assert "imgsz 192x128 (multi-scale 128x64, 192x128, 256x192)" in lines[0]
    drawn = {size for batch in trainer.sampler for _, size in batch}
    assert drawn <= {(128, 64), (192, 128), (256, 192)}
    assert load_checkpoint(tmp_path / "last.pt")["imgsz"] == (192, 128)  # validation and export stay at the base


def test_init_fine_tunes_from_a_checkpoints_weights_with_a_fresh_schedule(trained_run, toy_data, tmp_path):
    source = load_checkpoint(trained_run / "best.pt")
    cfg = one_epoch(toy_data, tmp_path, lr_max=1e-3, log_interval_s=1e9, init=str(trained_run / "best.pt"))
    trainer = Trainer(cfg, log=lambda s: None)
    # Before any step the model and its EMA are the source's EMA weights, and nothing else carried over.
    for name, value in trainer.model.state_dict().items():
        assert torch.equal(value, source["ema"][name]), name
        assert torch.equal(trainer.ema.module.state_dict()[name], source["ema"][name]), name
    assert trainer.start_epoch == 0 and trainer.ema.updates == 0 and trainer.best_fitness < 0
    trainer.run()
    tuned = load_checkpoint(tmp_path / "last.pt")
    assert tuned["epoch"] == 0 and tuned["train_config"]["init"] == str(trained_run / "best.pt")
    assert tuned["train_config"]["lr_max"] == 1e-3  # this run's recipe, not the source's 2e-3


def test_init_refuses_a_checkpoint_of_another_variant(trained_run, toy_data, tmp_path):
    cfg = TrainConfig(data=str(toy_data), variant="xs", imgsz=128, epochs=1, batch=4, out=str(tmp_path), workers=0,
                      threads=1, init=str(trained_run / "best.pt"))
    with pytest.raises(ValueError, match="choose the same --variant"):
        Trainer(cfg, log=lambda s: None)


def test_a_time_limit_never_lengthens_a_schedule_it_has_cut(toy_data, tmp_path, monkeypatch):
    # The planner sees epochs run faster after cutting 3 to 2; the cosine has already ended at 2, so 2 it stays.
    from strix_model import training

    wanted = iter([2, 3])  # what the measured speed would allow after epochs 1 and 2
    caps = []

    def planner(cfg, cap, start, done, elapsed_s):
        caps.append(cap)
        return min(cap, next(wanted))

    monkeypatch.setattr(training, "planned_epochs", planner)
    lines = []
    cfg = TrainConfig(data=str(toy_data), imgsz=64, epochs=3, batch=4, out=str(tmp_path), workers=0, threads=1,
                      time_limit_s=1e6, log_interval_s=1e9, val_every=10)
    Trainer(cfg, log=lines.append).run()
    with open(tmp_path / "results.csv") as f:
        assert [row["epoch"] for row in csv.DictReader(f)] == ["1", "2"]
    assert caps == [3, 2]
    assert any("2 epochs in all instead of 3" in line for line in lines)


def test_training_validates_each_val_source_of_a_mixed_data_yaml(toy_data, tmp_path):
    # val lists the toy set's folder and another one: each epoch's log gives both sources' own mAP after the pooled.
    from strix_model.synthetic import TOY_NAMES, write_toy_dataset

    other = write_toy_dataset(tmp_path / "b", train=1, val=3, seed=5, width=160, height=120).parent
    mixed = tmp_path / "mixed.yaml"
    mixed.write_text(f"train: {toy_data.parent / 'images' / 'train'}\n"
                     f"val: [{toy_data.parent / 'images' / 'val'}, b/images/val]\nnames: {TOY_NAMES}\n")
    lines = []
    cfg = TrainConfig(data=str(mixed), imgsz=128, epochs=1, batch=4, out=str(tmp_path / "run"), workers=0, threads=1,
                      log_interval_s=1e9)
    Trainer(cfg, log=lines.append).run()
    epoch = next(i for i, line in enumerate(lines) if line.startswith("epoch 1/1 loss"))
    assert lines[epoch + 1].startswith(f"  source {toy_data.parent / 'images' / 'val'}: 4 images, mAP50-95=")
    assert lines[epoch + 2].startswith("  source b/images/val: 3 images, mAP50-95=")
