"""The training loop behind train.py: AdamW + warm-up/cosine, EMA, checkpoints, resume, per-epoch mAP."""
import copy
import csv
import dataclasses
import math
import os
import random
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple, Union

import numpy as np
import torch

from .checkpoint import FORMAT_VERSION, load_checkpoint, weights_of
from .data import (Augment, ResolutionBatchSampler, YoloDataset, class_loss_weights, collate, load_data_config,
                   multiscale_sizes, repeat_factors)
from .detector import MobileViTYOLO, count_parameters, format_input_size, input_size
from .evaluation import evaluate, source_lines, torch_predictor
from .from_onnx import checkpoint_from_onnx
from .loss import DetectionLoss, LossWeights
from .metrics import format_report

CSV_FIELDS = ["epoch", "lr", "loss", "box", "cls", "dfl", "mAP50-95", "mAP50", "train_img_per_s",
              "epoch_s", "val_s"]


@dataclass
class TrainConfig:
    data: str
    variant: str = "xxs"
    imgsz: Union[int, Tuple[int, int]] = 320  # S, or (W, H) for a rectangular input such as 576x320
    epochs: int = 100
    batch: int = 16
    out: str = "runs/train"
    device: str = "cpu"
    precision: str = "auto"  # float32, bfloat16 (autocast) or auto: see autocast_dtype
    multiscale: bool = False
    workers: Optional[int] = None
    threads: Optional[int] = None
    seed: int = 0
    # The paper's detection recipe: warm-up 0.00009 -> 0.0009, cosine back to 0.00009, weight decay 0.01.
    lr_start: float = 0.00009
    lr_max: float = 0.0009
    lr_min: float = 0.00009
    warmup_epochs: float = 3.0
    weight_decay: float = 0.01
    grad_clip: float = 10.0
    ema_decay: float = 0.9999
    ema_tau: float = 2000.0
    box_gain: float = 7.5
    cls_gain: float = 0.5
    dfl_gain: float = 1.5
    hsv_h: float = 0.015
    hsv_s: float = 0.7
    hsv_v: float = 0.4
    flip: float = 0.5
    scale: float = 0.5
    translate: float = 0.1
    mosaic: float = 0.0
    repeat_threshold: float = 0.0  # repeat-factor sampling of images with rare classes (data.repeat_factors); 0: off
    class_weight_power: float = 0.0  # rare classes' positives weigh more in the class loss (data.class_loss_weights)
    class_weight_cap: float = 4.0  # the most a class's positives weigh there (at least 1)
    val_batch: int = 16
    val_every: int = 1  # validate every N epochs (and always after the last)
    time_limit_s: Optional[float] = None  # cut the planned epochs so the run ends within this many seconds
    log_interval_s: float = 10.0
    init: Optional[str] = None  # start from this checkpoint's EMA weights (fresh optimizer and schedule)

    def augment(self) -> Augment:
        return Augment(self.hsv_h, self.hsv_s, self.hsv_v, self.flip, self.scale, self.translate, self.mosaic)


# What a resumed run takes from the new command (where and how fast to run, for how long); every other field is the
# run's recipe and comes from its last.pt (out names the run).
RUN_FIELDS = ("data", "epochs", "out", "device", "precision", "workers", "threads", "val_batch", "val_every",
              "time_limit_s", "log_interval_s")


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def configure_threads(threads: Optional[int] = None) -> int:
    """Intra-op threads for convs and GEMMs (oneDNN / OpenBLAS): all the CPUs this process may use.

    Debian's torch starts with one thread (OMP default here), so without this CPU training uses one core.
    """
    threads = threads or available_cpus()
    torch.set_num_threads(threads)
    return threads


def resolve_device(name: str) -> torch.device:
    if name == "cpu":
        return torch.device("cpu")
    if name.startswith("cuda"):
        if not torch.cuda.is_available():
            raise SystemExit(f"--device {name}: this PyTorch has no usable CUDA (Debian's python3-torch is CPU-only)")
        return torch.device(name)
    raise SystemExit(f"--device must be cpu or cuda[:N], got {name!r}")


def lr_at(progress: float, cfg: TrainConfig) -> float:
    """Linear warm-up lr_start -> lr_max over warmup_epochs, then cosine lr_max -> lr_min at the last epoch."""
    warmup = min(cfg.warmup_epochs, cfg.epochs)
    if progress < warmup:
        return cfg.lr_start + (cfg.lr_max - cfg.lr_start) * progress / warmup
    span = max(cfg.epochs - warmup, 1e-9)
    t = min(max((progress - warmup) / span, 0.0), 1.0)
    return cfg.lr_min + 0.5 * (cfg.lr_max - cfg.lr_min) * (1 + math.cos(math.pi * t))


def build_optimizer(model: torch.nn.Module, cfg: TrainConfig, device: torch.device) -> torch.optim.AdamW:
    """AdamW; weight decay on conv / linear weights only, not on norm scales and biases."""
    decay, no_decay = [], []
    for param in model.parameters():
        if param.requires_grad:
            (decay if param.ndim > 1 else no_decay).append(param)
    groups = [{"params": decay, "weight_decay": cfg.weight_decay}, {"params": no_decay, "weight_decay": 0.0}]
    if device.type == "cuda":
        return torch.optim.AdamW(groups, lr=cfg.lr_start, fused=True)  # one kernel per step, not per tensor
    return torch.optim.AdamW(groups, lr=cfg.lr_start)


PRECISIONS = ("auto", "float32", "bfloat16")


def cpu_has_bfloat16(cpuinfo: str = "/proc/cpuinfo") -> bool:
    """Whether the CPU computes bfloat16 natively (AVX512-BF16 or AMX flags): there oneDNN runs the bfloat16
    convolutions and GEMMs of autocast about twice as fast as float32 (measured at 448x256); elsewhere no fast path."""
    try:
        text = Path(cpuinfo).read_text()
    except OSError:
        return False
    return re.search(r"\b(avx512_bf16|amx_bf16)\b", text) is not None


def autocast_dtype(device: torch.device, precision: str = "auto") -> Optional[torch.dtype]:
    """The autocast dtype of the forward pass (None: plain float32). auto: on a GPU bfloat16 where supported (no
    loss scaling needed), else float16; on a CPU bfloat16 where it is native (`cpu_has_bfloat16`), else float32.
    Weights, optimizer, EMA, loss and validation stay float32 either way."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, got {precision!r}")
    if precision == "float32":
        return None
    if device.type == "cuda":
        if torch.cuda.is_bf16_supported():
            return torch.bfloat16
        if precision == "bfloat16":
            raise ValueError("this GPU does not compute bfloat16: use --precision auto (float16 with loss scaling) "
                             "or float32")
        return torch.float16
    return torch.bfloat16 if precision == "bfloat16" or cpu_has_bfloat16() else None


def grad_scaler(enabled: bool):
    """Loss scaling for float16 (torch.amp.GradScaler on torch >= 2.3, torch.cuda.amp's before)."""
    if hasattr(torch, "amp") and hasattr(torch.amp, "GradScaler"):
        return torch.amp.GradScaler("cuda", enabled=enabled)
    return torch.cuda.amp.GradScaler(enabled=enabled)


def planned_epochs(cfg: TrainConfig, cap: int, start: int, done: int, elapsed_s: float) -> int:
    """With a time limit, the total epochs that fit: `done` epochs since `start` took `elapsed_s`; as many more
    as the mean epoch fits into what is left, at most `cap` in all. The cosine schedule then ends there."""
    if not cfg.time_limit_s or done == 0:
        return cfg.epochs
    per_epoch = elapsed_s / done
    return min(cap, start + done + int(max(cfg.time_limit_s - elapsed_s, 0.0) // per_epoch))


class ModelEMA:
    """Exponential moving average of weights and BN statistics; the ramp keeps early averages fresh."""

    def __init__(self, model: torch.nn.Module, decay: float = 0.9999, tau: float = 2000.0, updates: int = 0):
        self.module = copy.deepcopy(model).eval()
        for p in self.module.parameters():
            p.requires_grad_(False)
        self.decay, self.tau, self.updates = decay, tau, updates

    @torch.no_grad()
    def update(self, model: torch.nn.Module) -> None:
        self.updates += 1
        d = self.decay * (1 - math.exp(-self.updates / self.tau))
        source = model.state_dict()
        floats, sources = [], []
        for name, value in self.module.state_dict().items():
            if value.dtype.is_floating_point:
                floats.append(value)
                sources.append(source[name].detach())
            else:
                value.copy_(source[name])
        # One fused kernel per step on a GPU instead of two per tensor (hundreds of tensors).
        torch._foreach_mul_(floats, d)
        torch._foreach_add_(floats, sources, alpha=1 - d)


def _worker_init(_):
    torch.set_num_threads(1)


def _format_duration(seconds: float) -> str:
    seconds = int(max(seconds, 0))
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def _save(obj: Dict, path: Path) -> None:
    tmp = path.with_suffix(".tmp")
    torch.save(obj, tmp)
    os.replace(tmp, path)  # a crash mid-write never leaves a truncated checkpoint


class Trainer:
    def __init__(self, cfg: TrainConfig, resume: bool = False, log: Callable[[str], None] = print):
        self.log = log
        self.out = Path(cfg.out)
        checkpoint = None
        if resume:
            last = self.out / "last.pt"
            checkpoint = load_checkpoint(last)
            saved = TrainConfig(**checkpoint["train_config"])
            # The run's recipe comes from the checkpoint; where and how fast to run, and for how long, from now.
            run = {name: getattr(cfg, name) for name in RUN_FIELDS}
            run.update(epochs=cfg.epochs or saved.epochs, data=cfg.data or saved.data, out=str(self.out))
            cfg = dataclasses.replace(saved, **run)
        self.cfg = cfg
        width, height = input_size(cfg.imgsz)
        self.threads = configure_threads(cfg.threads)
        self.device = resolve_device(cfg.device)
        random.seed(cfg.seed)
        np.random.seed(cfg.seed)
        torch.manual_seed(cfg.seed)

        self.data = load_data_config(cfg.data)
        self.model = MobileViTYOLO(cfg.variant, self.data.num_classes).to(self.device)
        self.optimizer = build_optimizer(self.model, cfg, self.device)
        self.ema = ModelEMA(self.model, cfg.ema_decay, cfg.ema_tau)
        self.amp_dtype = autocast_dtype(self.device, cfg.precision)
        if self.device.type == "cuda":
            torch.backends.cudnn.benchmark = True  # fixed input sizes: let cuDNN pick the fastest kernels
        self.scaler = grad_scaler(enabled=self.amp_dtype == torch.float16)
        self.start_epoch, self.best_fitness, self.history = 0, -1.0, []
        if checkpoint is not None:
            if checkpoint["names"] != self.data.names:
                raise SystemExit(f"cannot resume: checkpoint classes {checkpoint['names']} differ from "
                                 f"{self.data.names} in {cfg.data}")
            self.model.load_state_dict(checkpoint["model"])
            self.ema.module.load_state_dict(checkpoint["ema"])
            self.ema.updates = checkpoint["ema_updates"]
            self.optimizer.load_state_dict(checkpoint["optimizer"])
            self.start_epoch = checkpoint["epoch"] + 1
            self.best_fitness = checkpoint["best_fitness"]
            self.history = checkpoint.get("history", [])

        self.train_set = YoloDataset(self.data, "train", cfg.imgsz, cfg.augment())
        if checkpoint is None and cfg.init:
            self._load_init_weights(cfg.init)
        sizes = multiscale_sizes((width, height)) if cfg.multiscale else None
        repeats = (repeat_factors(self.train_set.labels, self.data.num_classes, cfg.repeat_threshold)
                   if cfg.repeat_threshold > 0 else None)
        # Computed (and so its power and cap checked) on every run; power 0 trains the plain, unweighted BCE.
        class_weights = class_loss_weights(self.train_set.labels, self.data.num_classes, cfg.class_weight_power,
                                           repeats, cfg.class_weight_cap)
        self.loss = DetectionLoss(self.model, LossWeights(cfg.box_gain, cfg.cls_gain, cfg.dfl_gain),
                                  class_weights=class_weights if cfg.class_weight_power != 0 else None)
        self.sampler = ResolutionBatchSampler(len(self.train_set), cfg.batch, (width, height),
                                              shuffle=True, sizes=sizes, seed=cfg.seed, repeats=repeats)
        workers = cfg.workers if cfg.workers is not None else min(4, max(1, available_cpus() // 2))
        self.loader = torch.utils.data.DataLoader(self.train_set, batch_sampler=self.sampler, num_workers=workers,
                                                  collate_fn=collate, worker_init_fn=_worker_init,
                                                  pin_memory=self.device.type == "cuda",
                                                  persistent_workers=workers > 0)
        self.workers = workers

    def precision_name(self) -> str:
        """What the forward pass computes in: bfloat16, float16 (autocast) or float32."""
        return str(self.amp_dtype or torch.float32).replace("torch.", "")

    def _load_init_weights(self, path: str) -> None:
        """Fine-tuning: the model and its EMA start from a checkpoint's EMA weights (what validation scored), or
        from a shipped ONNX file's weights (`from_onnx`: BatchNorm statistics measured on training images);
        optimizer, schedule, epochs and best score start afresh. Variant and classes must match; the input size
        may differ (the weights do not depend on it)."""
        source = (checkpoint_from_onnx(path, self.train_set, self.cfg.batch, self.cfg.seed)
                  if Path(path).suffix == ".onnx" else load_checkpoint(path))
        if source["names"] != self.data.names:
            raise ValueError(f"--init {path}: its classes {source['names']} differ from {self.data.names} "
                             f"in {self.cfg.data}")
        if source["model_config"] != self.model.config():
            raise ValueError(f"--init {path}: its model {source['model_config']} differs from this run's "
                             f"{self.model.config()} (choose the same --variant)")
        weights = weights_of(source)
        self.model.load_state_dict(weights)
        self.ema.module.load_state_dict(weights)
        origin = (f"rebuilt from {source['from_onnx']}" if source.get("from_onnx") else
                  f"epoch {source['epoch'] + 1} of its run, mAP {source.get('metrics')}, "
                  f"data {source.get('dataset_id')}")
        self.log(f"initialised from {path} ({origin})")

    def checkpoint(self, epoch: int, result=None) -> Dict:
        return {
            "format_version": FORMAT_VERSION,
            "model_config": self.model.config(),
            "names": self.data.names,
            "dataset_id": self.data.dataset_id,
            "imgsz": self.cfg.imgsz,  # S or (W, H)
            "epoch": epoch,
            "model": self.model.state_dict(),
            "ema": self.ema.module.state_dict(),
            "ema_updates": self.ema.updates,
            "optimizer": self.optimizer.state_dict(),
            "best_fitness": self.best_fitness,
            "metrics": None if result is None else {"mAP50-95": result.map50_95, "mAP50": result.map50},
            "history": self.history,
            "train_config": dataclasses.asdict(self.cfg),
            "saved_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }

    def run(self) -> List[Dict]:
        cfg = self.cfg
        self.out.mkdir(parents=True, exist_ok=True)
        if self.start_epoch >= cfg.epochs:
            self.log(f"nothing to do: {self.out / 'last.pt'} already finished epoch {self.start_epoch}/{cfg.epochs}")
            return self.history
        scales = f" (multi-scale {', '.join(map(format_input_size, self.sampler.sizes))})" if cfg.multiscale else ""
        self.log(f"MobileViT-YOLO-{cfg.variant.upper()} {count_parameters(self.model) / 1e6:.2f}M params, "
                 f"{self.data.num_classes} classes, {len(self.train_set)} train images, "
                 f"imgsz {format_input_size(cfg.imgsz)}{scales}, batch {cfg.batch}, "
                 f"device {self.device} ({self.precision_name()}), {self.threads} threads, "
                 f"{self.workers} loader workers, "
                 f"epochs {self.start_epoch + 1}..{cfg.epochs}, data {self.data.dataset_id}")
        repeats = self.sampler.repeats
        if repeats is not None:
            self.log(f"repeat-factor sampling (threshold {cfg.repeat_threshold:g}): {repeats.sum():.0f} images "
                     f"per epoch on average, {int((repeats > 1).sum())} images repeated, "
                     f"largest factor {repeats.max():.2f}")
        if self.loss.class_weights is not None:
            weights = ", ".join(f"{n} {w:.2f}" for n, w in zip(self.data.names, self.loss.class_weights.tolist()))
            self.log(f"class loss weights (power {cfg.class_weight_power:g}, cap {cfg.class_weight_cap:g}): {weights}")
        run_started = time.time()
        progress_at_start = self.start_epoch
        epoch = self.start_epoch
        while epoch < self.cfg.epochs:
            row = self._train_epoch(epoch, run_started, progress_at_start)
            # Capped by the current plan, not the first: a schedule cut short has already decayed its learning rate
            # into the new end, and lengthening it again would raise the rate after that end.
            planned = planned_epochs(self.cfg, self.cfg.epochs, progress_at_start, epoch + 1 - progress_at_start,
                                     time.time() - run_started)
            if planned != self.cfg.epochs:
                self.log(f"time limit {self.cfg.time_limit_s:.0f}s: {planned} epochs in all instead of {self.cfg.epochs}")
                self.cfg = cfg = dataclasses.replace(self.cfg, epochs=max(planned, epoch + 1))
            last = epoch + 1 == cfg.epochs
            result = None
            by_source = {}  # each val source's own mAP where data.yaml lists several
            if last or (epoch + 1) % max(cfg.val_every, 1) == 0:
                val_started = time.time()
                result = evaluate(torch_predictor(self.ema.module, self.device), self.data, "val", cfg.imgsz,
                                  batch=cfg.val_batch, workers=self.workers,
                                  log=lambda s: (sys.stderr.write(s), sys.stderr.flush()), by_source=by_source)
                row.update({"mAP50-95": round(result.map50_95, 5), "mAP50": round(result.map50, 5),
                            "val_s": round(time.time() - val_started, 1)})
            self.history.append(row)
            improved = False
            if result is not None:
                fitness = 0.9 * result.map50_95 + 0.1 * result.map50
                improved = fitness > self.best_fitness
                if improved:
                    self.best_fitness = fitness
            state = self.checkpoint(epoch, result)
            _save(state, self.out / "last.pt")
            if improved:
                _save(dict(state, optimizer=None), self.out / "best.pt")
            self._write_csv()
            scores = result.summary() if result is not None else "(not validated)"
            self.log(f"epoch {epoch + 1}/{cfg.epochs} loss {row['loss']:.4f} {scores}"
                     f"{' (best)' if improved else ''} train {row['train_img_per_s']:.1f} img/s"
                     f"{', val %.0fs' % row['val_s'] if result is not None else ''}")
            for line in source_lines(by_source, self.data.root):
                self.log("  " + line)
            if last:
                self.log(format_report(result, self.data.names))
            epoch += 1
        return self.history

    def _train_epoch(self, epoch: int, run_started: float, progress_at_start: float) -> Dict:
        cfg, model = self.cfg, self.model
        model.train()
        self.sampler.set_epoch(epoch)
        batches = len(self.loader)
        totals = {"loss": 0.0, "box": 0.0, "cls": 0.0, "dfl": 0.0}
        sums = None
        images_seen, started, last_log = 0, time.time(), 0.0
        tty = sys.stdout.isatty()
        for step, (images, targets, _) in enumerate(self.loader):
            progress = epoch + step / batches
            lr = lr_at(progress, cfg)
            for group in self.optimizer.param_groups:
                group["lr"] = lr
            images = images.to(self.device, non_blocking=True).float() / 255.0
            with torch.autocast(device_type=self.device.type, dtype=self.amp_dtype or torch.bfloat16,
                                enabled=self.amp_dtype is not None):
                raw = model(images)
            loss, parts = self.loss([r.float() for r in raw], targets.to(self.device, non_blocking=True))
            self.optimizer.zero_grad(set_to_none=True)
            self.scaler.scale(loss).backward()
            self.scaler.unscale_(self.optimizer)
            torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.grad_clip)
            self.scaler.step(self.optimizer)
            self.scaler.update()
            self.ema.update(model)

            # Sums stay on the device; reading them back only when a line is printed keeps the GPU busy.
            step_sums = torch.stack([loss.detach(), parts["box"], parts["cls"], parts["dfl"]])
            sums = step_sums if sums is None else sums + step_sums
            images_seen += len(images)
            now = time.time()
            if now - last_log >= cfg.log_interval_s or step + 1 == batches:
                last_log = now
                totals = dict(zip(("loss", "box", "cls", "dfl"), sums.tolist()))
                done = progress + 1 / batches - progress_at_start
                remaining = cfg.epochs - (progress + 1 / batches)
                eta = (now - run_started) / max(done, 1e-9) * remaining
                n = step + 1
                line = (f"epoch {epoch + 1}/{cfg.epochs} batch {n}/{batches} loss {totals['loss'] / n:.4f} "
                        f"(box {totals['box'] / n:.3f} cls {totals['cls'] / n:.3f} dfl {totals['dfl'] / n:.3f}) "
                        f"lr {lr:.6f} {images_seen / max(now - started, 1e-9):.1f} img/s ETA {_format_duration(eta)}")
                if tty:
                    sys.stdout.write("\r" + line + ("\n" if n == batches else ""))
                    sys.stdout.flush()
                else:
                    self.log(line)
        n = max(batches, 1)
        return {"epoch": epoch + 1, "lr": round(lr, 8), "loss": round(totals["loss"] / n, 5),
                "box": round(totals["box"] / n, 5), "cls": round(totals["cls"] / n, 5),
                "dfl": round(totals["dfl"] / n, 5),
                "train_img_per_s": round(images_seen / max(time.time() - started, 1e-9), 2),
                "epoch_s": round(time.time() - started, 1)}

    def _write_csv(self) -> None:
        with open(self.out / "results.csv", "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=CSV_FIELDS)
            writer.writeheader()
            for row in self.history:
                writer.writerow({k: row.get(k, "") for k in CSV_FIELDS})
