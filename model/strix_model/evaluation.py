"""Validation shared by training, eval.py and the ONNX path: one preprocessing, one post-processing."""
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import torch

from .boxes import postprocess
from .data import DataConfig, YoloDataset, letterbox, load_ignore_regions, load_rgb, to_input_tensor
from .detector import input_size
from .metrics import ConfusionMatrix, DetectionEvaluator, DetectionResult, SizeRecall, source_line

# Per-image counts at the detector's threshold; each takes add(detections, ground_truth, scale, ignore, min_area).
Tally = Union[SizeRecall, ConfusionMatrix]

# mAP is computed over nearly all detections (like Ultralytics' val and COCO practice); the deployed
# detector uses a higher confidence threshold.
EVAL_CONF = 0.001
EVAL_IOU = 0.7
EVAL_MAX_DET = 100

Predictor = Callable[[np.ndarray], np.ndarray]  # [B,3,H,W] float32 -> [B,4+nc,N]

# Image source of a split (as data.yaml lists it) -> (images scored, its own result).
BySource = Dict[str, Tuple[int, DetectionResult]]


def source_lines(by_source: BySource, root: Path) -> List[str]:
    """One line per image source: `source a/images/val: N images, mAP50-95=... mAP50=...` (paths under the data.yaml's
    folder relative to it)."""
    lines = []
    for source, (images, own) in by_source.items():
        path = Path(source)
        name = path.relative_to(root) if root in path.parents else path
        lines.append(source_line(str(name), images, own))
    return lines


class _Scores:
    """COCO mAP over a split, and each image source's own where data.yaml lists several (`val: [a, b]`, e.g. two
    datasets' val folders): one DetectionEvaluator per source (YoloDataset.sources), pooled for the split's figure."""

    def __init__(self, dataset: YoloDataset, max_det: int):
        self.source_of = dict(zip(map(str, dataset.images), dataset.sources))
        self.images = Counter(dataset.sources)
        self.parts = {source: DetectionEvaluator(dataset.config.num_classes, max_dets=max_det)
                      for source in map(str, dataset.config.splits[dataset.split])}

    def add(self, path: str, detections: np.ndarray, truth: np.ndarray, min_area: float,
            ignore: Optional[np.ndarray]) -> None:
        self.parts[self.source_of[str(path)]].add(detections, truth, min_area=min_area, ignore=ignore)

    def compute(self, by_source: Optional[BySource]) -> DetectionResult:
        if by_source is not None and len(self.parts) > 1:
            by_source.update({s: (self.images[s], part.compute()) for s, part in self.parts.items()})
        return DetectionEvaluator.pooled(list(self.parts.values())).compute()


class _Letterboxed(torch.utils.data.Dataset):
    def __init__(self, dataset: YoloDataset):
        self.dataset = dataset

    def __len__(self):
        return len(self.dataset)

    def __getitem__(self, index):
        path = self.dataset.images[index]
        image = load_rgb(path)
        canvas, box = letterbox(image, self.dataset.imgsz)
        return canvas, box, self.dataset.original_boxes(index, image.width, image.height), image.size, str(path)


def _scaled(regions: Optional[np.ndarray], width: int, height: int) -> Optional[np.ndarray]:
    """Normalised ignore regions [R, 5] -> original pixels."""
    if regions is None:
        return None
    return regions * np.array([1, width, height, width, height], np.float64)


def _transpose(items):
    return list(zip(*items))


def _sampled(dataset: YoloDataset, every: int) -> YoloDataset:
    """Keep every `every`-th image of a split (1: all), e.g. a sample of the training images."""
    if every < 1:
        raise ValueError(f"--every must be at least 1, got {every}")
    dataset.images, dataset.labels, dataset.sources = (dataset.images[::every], dataset.labels[::every],
                                                        dataset.sources[::every])
    return dataset


def torch_predictor(model: torch.nn.Module, device: torch.device = torch.device("cpu")) -> Predictor:
    model = model.eval()

    def predict(images: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            return model(torch.from_numpy(images).to(device)).float().cpu().numpy()

    return predict


def onnx_predictor(path: Path) -> Predictor:
    """ONNX Runtime when the Python package is installed, else the bundled NumPy interpreter."""
    try:
        import onnxruntime

        session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        name = session.get_inputs()[0].name
        return lambda images: session.run(None, {name: images})[0]
    except ImportError:
        from .onnx_numpy import NumpyOnnxModel

        model = NumpyOnnxModel(path)
        return lambda images: model.run({model.input_names[0]: images})[0]


def evaluate(predict: Predictor, data: DataConfig, split: str, imgsz: Union[int, Tuple[int, int]], batch: int = 8,
             workers: int = 0,
             conf: float = EVAL_CONF, iou: float = EVAL_IOU, max_det: int = EVAL_MAX_DET,
             log: Optional[Callable[[str], None]] = None, min_size: float = 0.0,
             tallies: Sequence[Tally] = (),
             ignore_regions: Optional[Dict[str, np.ndarray]] = None, every: int = 1,
             by_source: Optional[BySource] = None) -> DetectionResult:
    """Letterbox every image of a split, predict, decode + NMS, map boxes back, score COCO mAP.

    min_size: objects smaller than min_size x min_size pixels *at the model input* are ignore regions (see
    metrics.py), e.g. 16 scores only what a 320 model can be expected to see.
    ignore_regions: image path -> regions not to score (data.load_ignore_regions, which None reads from the
    dataset's iscrowd annotations); {} scores everything. tallies (SizeRecall, ConfusionMatrix) are filled too,
    with the same objects scored.
    imgsz: S for the S x S input, or (width, height) for a rectangular one. every: score every every-th image only.
    by_source: where the split lists several image sources, filled with each one's own image count and result
    (the result returned pools them: one mAP over all images, not an average)."""
    regions = load_ignore_regions(data, split) if ignore_regions is None else ignore_regions
    dataset = _sampled(YoloDataset(data, split, imgsz), every)
    loader = torch.utils.data.DataLoader(_Letterboxed(dataset), batch_size=batch, num_workers=workers,
                                         collate_fn=_transpose)
    scores = _Scores(dataset, max_det)
    started, done = time.time(), 0
    for canvases, boxes, truths, sizes, paths in loader:
        outputs = predict(to_input_tensor(canvases))
        for dets, box, truth, (width, height), path in zip(postprocess(outputs, conf, iou, max_det), boxes, truths,
                                                            sizes, paths):
            if len(dets):
                dets[:, :4] = box.to_original(dets[:, :4])
                dets[:, [0, 2]] = dets[:, [0, 2]].clip(0, width)
                dets[:, [1, 3]] = dets[:, [1, 3]].clip(0, height)
            ignore = _scaled(regions.get(path), width, height)
            min_area = (min_size / box.ratio) ** 2  # in original pixels
            scores.add(path, dets, truth, min_area, ignore)
            for tally in tallies:
                tally.add(dets, truth, box.ratio, ignore, min_area)
        done += len(canvases)
        if log and sys.stderr.isatty():
            log(f"\r  val {done}/{len(dataset)} {done / max(time.time() - started, 1e-9):.1f} img/s")
    if log and sys.stderr.isatty():
        log("\n")
    return scores.compute(by_source)


def evaluate_predictions(predictions: Dict[str, np.ndarray], data: DataConfig, split: str,
                         max_det: int = EVAL_MAX_DET, min_size: float = 0.0,
                         imgsz: Union[int, Tuple[int, int]] = 320,
                         tallies: Sequence[Tally] = (),
                         ignore_regions: Optional[Dict[str, np.ndarray]] = None, every: int = 1,
                         by_source: Optional[BySource] = None) -> DetectionResult:
    """Score detections made elsewhere (e.g. by the Java detector through Kafka) with the same COCO mAP.

    predictions: image file name -> [K, 6] x1, y1, x2, y2 (original pixels), score, class index. An image without
    an entry has no detections. imgsz: the detector's input (for min_size and the size buckets); ignore_regions,
    tallies, every and by_source as in evaluate().
    """
    input_width, input_height = input_size(imgsz)
    dataset = _sampled(YoloDataset(data, split, 64), every)
    twice = sorted(name for name, n in Counter(Path(path).name for path in dataset.images).items() if n > 1)
    if twice:
        raise ValueError(f"predictions are keyed by image file name, but the {split} split has several images named "
                         f"{', '.join(twice[:3])}{' ...' if len(twice) > 3 else ''} (from different folders): score "
                         f"each folder with its own data.yaml")
    regions = load_ignore_regions(data, split) if ignore_regions is None else ignore_regions
    scores = _Scores(dataset, max_det)
    for index, path in enumerate(dataset.images):
        width, height = load_rgb(path).size
        dets = np.asarray(predictions.get(Path(path).name, []), np.float64).reshape(-1, 6)
        ratio = min(input_width / width, input_height / height)  # the letterbox scale of a model with this input
        truth = dataset.original_boxes(index, width, height)
        ignore = _scaled(regions.get(str(path)), width, height)
        min_area = (min_size / ratio) ** 2
        scores.add(path, dets, truth, min_area, ignore)
        for tally in tallies:
            tally.add(dets, truth, ratio, ignore, min_area)
    return scores.compute(by_source)

