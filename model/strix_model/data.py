"""YOLO-format datasets: data.yaml, image/label discovery, letterbox, augmentation, batching.

Layout (what camsim writes, and what Ultralytics tools read):
    DIR/data.yaml                 names: [person, car, ...]   (list, or {0: person, ...})
                                  train: images/train  val: images/val  (dirs or .txt lists; optional path:)
    DIR/images/train/x.jpg        DIR/labels/train/x.txt   one line per object: class cx cy w h (0..1)
An image without a label file is a background image.
"""
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence, Tuple, Union

import numpy as np
import torch
import yaml
from PIL import Image

from .detector import SIZE_MULTIPLE, input_size

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff"}
PAD_VALUE = 114  # letterbox grey, same as the Java detector and Ultralytics


class DatasetError(ValueError):
    """A dataset that cannot be used as given; the message says which file and why."""


@dataclass
class DataConfig:
    root: Path
    names: List[str]
    splits: Dict[str, List[Path]]  # split name -> image dirs or list files
    dataset_id: str
    coco_ids: Optional[List[int]] = None  # COCO category id of each class, where the dataset says (camsim does)

    @property
    def num_classes(self) -> int:
        return len(self.names)


def load_data_config(path: Union[str, Path]) -> DataConfig:
    path = Path(path)
    if not path.is_file():
        raise DatasetError(f"dataset file {path} does not exist")
    with open(path, encoding="utf-8") as f:
        raw = yaml.safe_load(f) or {}
    if not isinstance(raw, dict):
        raise DatasetError(f"{path}: expected a YAML mapping with 'names', 'train' and 'val'")
    root = Path(raw.get("path") or ".")
    if not root.is_absolute():
        root = (path.parent / root).resolve()
    names = raw.get("names")
    if isinstance(names, dict):
        keys = sorted(int(k) for k in names)
        if keys != list(range(len(keys))):
            raise DatasetError(f"{path}: 'names' keys must be 0..n-1, got {keys}")
        names = [str(names[k] if k in names else names[str(k)]) for k in keys]
    if not isinstance(names, list) or not names:
        raise DatasetError(f"{path}: 'names' must be a non-empty list (or index -> name mapping)")
    names = [str(n) for n in names]
    if "nc" in raw and int(raw["nc"]) != len(names):
        raise DatasetError(f"{path}: nc={raw['nc']} but {len(names)} names are given")
    splits = {}
    for split in ("train", "val", "test"):
        value = raw.get(split)
        if value is None:
            continue
        entries = value if isinstance(value, list) else [value]
        splits[split] = [p if p.is_absolute() else root / p for p in map(Path, entries)]
    if "val" not in splits:
        raise DatasetError(f"{path}: no 'val' split given")
    dataset_id = str(raw["dataset_id"]) if raw.get("dataset_id") else _content_id(path, root, names, splits)
    coco_ids = raw.get("coco_ids")
    if coco_ids is not None and (not isinstance(coco_ids, list) or len(coco_ids) != len(names)):
        raise DatasetError(f"{path}: 'coco_ids' must list one COCO category id per name ({len(names)})")
    return DataConfig(root=root, names=names, splits=splits, dataset_id=dataset_id,
                      coco_ids=None if coco_ids is None else [int(c) for c in coco_ids])


def load_ignore_regions(data: DataConfig, split: str) -> Dict[str, np.ndarray]:
    """Objects the dataset marks as not to be scored: `iscrowd: 1` in its COCO annotations (objects too small or too
    hidden to be labels). Each image folder of the split has its own, as camsim writes them: DIR/images/X ->
    DIR/annotations/SPLIT.json, so a data.yaml that mixes several datasets gets each one's regions (other layouts
    and .txt lists of images use ROOT/annotations/SPLIT.json). Image path (as `list_images` gives it) -> [R, 5]
    class, x1, y1, x2, y2 normalised to 0..1; images without regions are left out."""
    regions: Dict[str, np.ndarray] = {}
    for source in data.splits[split] if split in data.splits else []:
        own = source.parent.parent / "annotations" / f"{split}.json"
        path = own if source.is_dir() and own.is_file() else data.root / "annotations" / f"{split}.json"
        by_name = _crowd_regions(path, data.coco_ids)
        for image in list_images([source]) if by_name else []:
            if image.name in by_name:
                regions[str(image)] = by_name[image.name]
    return regions


def _crowd_regions(path: Path, coco_ids: Optional[List[int]]) -> Dict[str, np.ndarray]:
    """One COCO annotations file's iscrowd boxes: image file name -> [R, 5] (see load_ignore_regions)."""
    if not path.is_file():
        return {}
    with open(path, encoding="utf-8") as f:
        coco = json.load(f)
    ids = coco_ids if coco_ids is not None else [c["id"] for c in coco.get("categories", [])]  # else class order
    class_of = {coco_id: index for index, coco_id in enumerate(ids)}
    images = {image["id"]: image for image in coco.get("images", [])}
    regions: Dict[str, List[List[float]]] = {}
    for a in coco.get("annotations", []):
        image = images.get(a.get("image_id"))
        if not a.get("iscrowd") or image is None or a.get("category_id") not in class_of:
            continue
        x, y, w, h = a["bbox"]
        width, height = image["width"], image["height"]
        regions.setdefault(Path(image["file_name"]).name, []).append(
            [class_of[a["category_id"]], x / width, y / height, (x + w) / width, (y + h) / height])
    return {name: np.asarray(rows, np.float64) for name, rows in regions.items()}


def _content_id(path: Path, root: Path, names: List[str], splits: Dict[str, List[Path]]) -> str:
    """Without an explicit `dataset_id`, name the data by its folder and a hash of its labels."""
    digest = hashlib.sha256(json.dumps(names).encode())
    for split in sorted(splits):
        for image in list_images(splits[split]):
            label = label_path_for(image)
            digest.update(str(image.relative_to(root) if root in image.parents else image.name).encode())
            if label.is_file():
                digest.update(label.read_bytes())
    return f"{root.name}-{digest.hexdigest()[:12]}"


def list_images(sources: Sequence[Path]) -> List[Path]:
    images = []
    for source in sources:
        if source.is_dir():
            images += sorted(p for p in source.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES)
        elif source.is_file() and source.suffix == ".txt":
            for line in source.read_text().splitlines():
                if line.strip():
                    p = Path(line.strip())
                    images.append(p if p.is_absolute() else source.parent / p)
        else:
            raise DatasetError(f"image source {source} is neither a folder nor a .txt list of images")
    return images


def label_path_for(image: Path) -> Path:
    """images/<split>/a/b.jpg -> labels/<split>/a/b.txt (the last 'images' folder becomes 'labels')."""
    parts = list(image.parts)
    for i in range(len(parts) - 2, -1, -1):
        if parts[i] == "images":
            parts[i] = "labels"
            return Path(*parts).with_suffix(".txt")
    return image.with_suffix(".txt")


def read_labels(path: Path, num_classes: int) -> np.ndarray:
    """Label file -> [K, 5] float32: class, cx, cy, w, h (normalised). Missing file = no objects."""
    if not path.is_file():
        return np.zeros((0, 5), np.float32)
    rows = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        fields = line.split()
        if not fields:
            continue
        if len(fields) != 5:
            raise DatasetError(f"{path}:{number}: expected 'class cx cy w h', got {line!r} "
                               "(segmentation polygons are not supported)")
        try:
            values = [float(v) for v in fields]
        except ValueError:
            raise DatasetError(f"{path}:{number}: not a number in {line!r}") from None
        cls = int(values[0])
        if cls != values[0] or not 0 <= cls < num_classes:
            raise DatasetError(f"{path}:{number}: class {fields[0]} is outside 0..{num_classes - 1}")
        if any(v < -0.01 or v > 1.01 for v in values[1:]) or values[3] <= 0 or values[4] <= 0:
            raise DatasetError(f"{path}:{number}: box {fields[1:]} is not a normalised cx cy w h")
        rows.append(values)
    return np.asarray(rows, np.float32).reshape(-1, 5)


def load_rgb(path: Path) -> Image.Image:
    with Image.open(path) as image:
        return image.convert("RGB")


@dataclass
class Letterbox:
    """How an image was fitted into the S x S input: input = original * ratio + (left, top)."""

    ratio: float
    left: int
    top: int

    def to_original(self, boxes: np.ndarray) -> np.ndarray:
        boxes = boxes.copy()
        boxes[:, [0, 2]] = (boxes[:, [0, 2]] - self.left) / self.ratio
        boxes[:, [1, 3]] = (boxes[:, [1, 3]] - self.top) / self.ratio
        return boxes


def letterbox(image: Image.Image, size: Union[int, Tuple[int, int]]) -> Tuple[np.ndarray, Letterbox]:
    """Resize keeping aspect (bilinear) so the image just fits, centre on a 114-grey S x S canvas, or W x H when
    `size` is a (width, height) pair.

    This is the preprocessing contract with the Java detector: scale r = min(W/w, H/h), resized to
    (round(w*r), round(h*r)), pasted at ((W - new_w) // 2, (H - new_h) // 2); then RGB / 255, CHW.
    """
    width, height = image.size
    canvas_w, canvas_h = (size, size) if isinstance(size, int) else size
    ratio = min(canvas_w / width, canvas_h / height)
    new_w, new_h = max(1, round(width * ratio)), max(1, round(height * ratio))
    resized = image if (new_w, new_h) == (width, height) else image.resize((new_w, new_h), Image.BILINEAR)
    canvas = np.full((canvas_h, canvas_w, 3), PAD_VALUE, np.uint8)
    left, top = (canvas_w - new_w) // 2, (canvas_h - new_h) // 2
    canvas[top:top + new_h, left:left + new_w] = np.asarray(resized)
    return canvas, Letterbox(ratio, left, top)


def to_input_tensor(canvases: Sequence[np.ndarray]) -> np.ndarray:
    """HWC uint8 canvases -> [B, 3, H, W] float32 RGB / 255, the model input."""
    return np.ascontiguousarray(np.stack(canvases).transpose(0, 3, 1, 2), dtype=np.float32) / 255.0


@dataclass
class Augment:
    """Training augmentation strengths (Ultralytics-like defaults)."""

    hsv_h: float = 0.015
    hsv_s: float = 0.7
    hsv_v: float = 0.4
    flip: float = 0.5
    scale: float = 0.5      # random zoom in [1 - scale, 1 + scale]
    translate: float = 0.1  # random shift, fraction of the input size
    mosaic: float = 0.0     # probability of a 4-image mosaic


class YoloDataset(torch.utils.data.Dataset):
    """Items are (uint8 image [3,H,W], boxes [K,5]: class, x1, y1, x2, y2 in input pixels, index).

    imgsz: S (square) or (W, H). The index may be an int (that size) or an (index, size) pair from
    `ResolutionBatchSampler`.
    """

    def __init__(self, config: DataConfig, split: str, imgsz: Union[int, Tuple[int, int]],
                 augment: Optional[Augment] = None):
        if split not in config.splits:
            raise DatasetError(f"dataset has no '{split}' split (has {sorted(config.splits)})")
        self.config = config
        self.split = split
        self.imgsz = input_size(imgsz)
        self.augment = augment
        listed = [(image, str(source)) for source in config.splits[split] for image in list_images([source])]
        self.images = [image for image, _ in listed]
        self.sources = [source for _, source in listed]  # the data.yaml entry each image was listed from
        if not self.images:
            raise DatasetError(f"no images found for split '{split}' in {[str(p) for p in config.splits[split]]}")
        self.labels = [read_labels(label_path_for(p), config.num_classes) for p in self.images]
        self._rng = None
        self._rng_pid = None

    def __len__(self) -> int:
        return len(self.images)

    def rng(self) -> np.random.Generator:
        # DataLoader workers fork with the same numpy state; reseed per process from torch's worker seed.
        if self._rng_pid != os.getpid():
            self._rng = np.random.default_rng(torch.initial_seed() % 2 ** 63)
            self._rng_pid = os.getpid()
        return self._rng

    def original_boxes(self, index: int, width: int, height: int) -> np.ndarray:
        """Ground truth of one image as [K, 5]: class, x1, y1, x2, y2 in original pixels."""
        labels = self.labels[index]
        out = np.zeros((len(labels), 5), np.float32)
        out[:, 0] = labels[:, 0]
        out[:, 1] = (labels[:, 1] - labels[:, 3] / 2) * width
        out[:, 2] = (labels[:, 2] - labels[:, 4] / 2) * height
        out[:, 3] = (labels[:, 1] + labels[:, 3] / 2) * width
        out[:, 4] = (labels[:, 2] + labels[:, 4] / 2) * height
        return out

    def __getitem__(self, item):
        index, size = item if isinstance(item, tuple) else (item, self.imgsz)
        size = input_size(size)
        if self.augment is None:
            image = load_rgb(self.images[index])
            canvas, box = letterbox(image, size)
            boxes = self.original_boxes(index, *image.size)
            boxes[:, [1, 3]] = boxes[:, [1, 3]] * box.ratio + box.left
            boxes[:, [2, 4]] = boxes[:, [2, 4]] * box.ratio + box.top
        else:
            canvas, boxes = self._augmented(index, size)
        return torch.from_numpy(np.ascontiguousarray(canvas.transpose(2, 0, 1))), torch.from_numpy(boxes), index

    def _augmented(self, index: int, size: Tuple[int, int]) -> Tuple[np.ndarray, np.ndarray]:
        aug, rng = self.augment, self.rng()
        width, height = size
        zoom = rng.uniform(1 - aug.scale, 1 + aug.scale)
        shift = rng.uniform(-aug.translate, aug.translate, 2) * size
        if aug.mosaic > 0 and rng.random() < aug.mosaic:
            source, boxes = self._mosaic(index, size, rng)
            ratio = zoom  # the mosaic is 2W x 2H; the centre crop of its zoomed copy becomes the input
        else:
            image = load_rgb(self.images[index])
            source, boxes = image, self.original_boxes(index, *image.size)
            ratio = zoom * min(width / image.width, height / image.height)
        canvas, boxes = _place(source, boxes, ratio, np.array(size) / 2 + shift, size)
        _hsv_jitter(canvas, aug, rng)
        if rng.random() < aug.flip:
            canvas = canvas[:, ::-1]
            boxes[:, [1, 3]] = width - boxes[:, [3, 1]]
        return canvas, boxes

    def _mosaic(self, index: int, size: Tuple[int, int],
                rng: np.random.Generator) -> Tuple[Image.Image, np.ndarray]:
        """Four images around a random centre of a 2W x 2H canvas (YOLOv4/v5 mosaic)."""
        indices = [index] + list(rng.integers(0, len(self), 3))
        width, height = size
        canvas = np.full((2 * height, 2 * width, 3), PAD_VALUE, np.uint8)
        cx, cy = int(rng.uniform(0.5 * width, 1.5 * width)), int(rng.uniform(0.5 * height, 1.5 * height))
        all_boxes = []
        for quadrant, i in enumerate(indices):
            image = load_rgb(self.images[i])
            r = min(width / image.width, height / image.height)
            w, h = max(1, round(image.width * r)), max(1, round(image.height * r))
            pixels = np.asarray(image.resize((w, h), Image.BILINEAR))
            # Corner of the tile that touches the mosaic centre.
            x0 = cx - w if quadrant in (0, 2) else cx
            y0 = cy - h if quadrant in (0, 1) else cy
            xa, ya = max(x0, 0), max(y0, 0)
            xb, yb = min(x0 + w, 2 * width), min(y0 + h, 2 * height)
            canvas[ya:yb, xa:xb] = pixels[ya - y0:yb - y0, xa - x0:xb - x0]
            boxes = self.original_boxes(i, image.width, image.height)
            boxes[:, 1:] = boxes[:, 1:] * np.array([w / image.width, h / image.height] * 2) + [x0, y0, x0, y0]
            all_boxes.append(_clip_boxes(boxes, (xa, ya, xb, yb)))
        return Image.fromarray(canvas), np.concatenate(all_boxes)


def _clip_boxes(boxes: np.ndarray, window: Tuple[float, float, float, float],
                min_size: float = 2.0, min_visible: float = 0.2) -> np.ndarray:
    """Clip [K,5] boxes to a window; drop those left tiny or mostly outside it."""
    x0, y0, x1, y1 = window
    area = (boxes[:, 3] - boxes[:, 1]) * (boxes[:, 4] - boxes[:, 2])
    clipped = boxes.copy()
    clipped[:, [1, 3]] = clipped[:, [1, 3]].clip(x0, x1)
    clipped[:, [2, 4]] = clipped[:, [2, 4]].clip(y0, y1)
    w, h = clipped[:, 3] - clipped[:, 1], clipped[:, 4] - clipped[:, 2]
    keep = (w >= min_size) & (h >= min_size) & (w * h >= min_visible * np.maximum(area, 1e-9))
    return clipped[keep]


def _place(source: Image.Image, boxes: np.ndarray, ratio: float, centre: np.ndarray,
           size: Tuple[int, int]) -> Tuple[np.ndarray, np.ndarray]:
    """Zoom `source` by `ratio` and paste it with its centre at `centre` on a 114-grey W x H canvas."""
    width, height = size
    w, h = max(1, round(source.width * ratio)), max(1, round(source.height * ratio))
    x0, y0 = int(round(centre[0] - w / 2)), int(round(centre[1] - h / 2))
    canvas = np.full((height, width, 3), PAD_VALUE, np.uint8)
    xa, ya, xb, yb = max(x0, 0), max(y0, 0), min(x0 + w, width), min(y0 + h, height)
    if xb > xa and yb > ya:
        # Crop before resizing so big zooms do not resize pixels that fall off the canvas.
        sx, sy = source.width / w, source.height / h
        crop_box = ((xa - x0) * sx, (ya - y0) * sy, (xb - x0) * sx, (yb - y0) * sy)
        tile = source.resize((xb - xa, yb - ya), Image.BILINEAR, box=crop_box)
        canvas[ya:yb, xa:xb] = np.asarray(tile)
    boxes = boxes.copy()
    boxes[:, 1:] = boxes[:, 1:] * np.array([w / source.width, h / source.height] * 2) + [x0, y0, x0, y0]
    return canvas, _clip_boxes(boxes, (0, 0, width, height)).astype(np.float32)


def _hsv_jitter(canvas: np.ndarray, aug: Augment, rng: np.random.Generator) -> None:
    """Random hue shift and saturation / value gains, applied in place through lookup tables."""
    if not (aug.hsv_h or aug.hsv_s or aug.hsv_v):
        return
    gain = rng.uniform(-1, 1, 3) * [aug.hsv_h, aug.hsv_s, aug.hsv_v] + [0, 1, 1]
    hsv = np.array(Image.fromarray(canvas).convert("HSV"))
    x = np.arange(256, dtype=np.float32)
    hsv[..., 0] = ((x + gain[0] * 256) % 256).astype(np.uint8)[hsv[..., 0]]
    hsv[..., 1] = np.clip(x * gain[1], 0, 255).astype(np.uint8)[hsv[..., 1]]
    hsv[..., 2] = np.clip(x * gain[2], 0, 255).astype(np.uint8)[hsv[..., 2]]
    canvas[:] = np.asarray(Image.fromarray(hsv, "HSV").convert("RGB"))


def collate(batch):
    """-> uint8 images [B,3,H,W], targets [K,6] (image index in batch, class, x1, y1, x2, y2), dataset indices."""
    images, boxes, indices = zip(*batch)
    targets = [torch.cat((torch.full((len(b), 1), float(i)), b), 1) for i, b in enumerate(boxes)]
    return torch.stack(images), torch.cat(targets) if targets else torch.zeros(0, 6), list(indices)


def multiscale_sizes(base: Union[int, Tuple[int, int]], low: float = 0.5,
                     high: float = 1.5) -> List[Tuple[int, int]]:
    """Input sizes (width, height) the multi-scale sampler draws from: widths the multiples of 64 within
    [low, high] x the base width, each with the base's aspect, its height rounded to a multiple of 64 (448x256 ->
    256x128, 320x192, 384x192, 448x256, 512x320, 576x320, 640x384; a square base stays square)."""
    width, height = input_size(base)
    first = max(SIZE_MULTIPLE, -(-int(width * low) // SIZE_MULTIPLE) * SIZE_MULTIPLE)
    sizes = []
    for w in list(range(first, int(width * high) + 1, SIZE_MULTIPLE)) + [width]:
        size = (w, max(SIZE_MULTIPLE, int(round(w * height / width / SIZE_MULTIPLE)) * SIZE_MULTIPLE))
        if size not in sizes:
            sizes.append(size)
    return sorted(sizes)


def repeat_factors(labels: Sequence[np.ndarray], num_classes: int, threshold: float) -> np.ndarray:
    """Repeat-factor sampling (LVIS, Gupta et al. 2019): how often an epoch shows each image.

    f(c) is the fraction of images that contain class c; r(c) = max(1, sqrt(threshold / f(c))); an image's factor
    is the largest r(c) of the classes in it (1 for background images). Classes in at least `threshold` of the
    images are not repeated; threshold 0 turns it off (every factor 1).
    """
    present = [np.unique(np.asarray(l)[:, 0].astype(int)) for l in labels]
    images_with = np.zeros(num_classes)
    for classes in present:
        images_with[classes] += 1
    frequency = images_with / max(1, len(labels))
    by_class = np.sqrt(threshold / np.maximum(frequency, 1e-12))
    by_class = np.where(frequency > 0, np.maximum(1.0, by_class), 1.0)
    return np.array([by_class[c].max() if len(c) else 1.0 for c in present])


def class_loss_weights(labels: Sequence[np.ndarray], num_classes: int, power: float,
                       repeats: Optional[np.ndarray] = None, cap: float = 4.0) -> np.ndarray:
    """Per-class weights for the positives of the classification loss: classes with fewer objects than the average
    class weigh (mean count / count)^power, between 1 and `cap`; the others 1. Counts are objects per epoch, i.e.
    each image's labels counted `repeats[i]` times (see `repeat_factors`). Acts on objects, where image repeats
    cannot reach a class that is rare by objects but not by images. power 0: every weight 1."""
    if power < 0:
        raise ValueError(f"class weight power {power:g}: it must be 0 (off) or more")
    if cap < 1:
        raise ValueError(f"class weight cap {cap:g}: it must be 1 or more (weights only raise rare classes)")
    counts = np.zeros(num_classes)
    for i, l in enumerate(labels):
        classes = np.asarray(l)[:, 0].astype(int)
        counts += np.bincount(classes, minlength=num_classes)[:num_classes] * (1.0 if repeats is None else repeats[i])
    if power == 0 or counts.sum() == 0:
        return np.ones(num_classes)
    mean = counts[counts > 0].mean()
    weights = np.power(mean / np.maximum(counts, 1e-12), power)
    return np.where(counts > 0, np.clip(weights, 1.0, cap), 1.0)


class ResolutionBatchSampler(torch.utils.data.Sampler):
    """Yields batches of (index, size). Fixed size (`base`: S or (W, H)), or the paper's multi-scale sampler.

    Multi-scale: each batch draws a size (W_t, H_t) from `sizes` and holds b_t = b * W * H / (W_t * H_t) images, b
    being the batch at the base size (W, H), so every step costs about the same and small sizes mean fewer,
    larger steps per epoch (MobileViT, section 3.3). One epoch visits every image once, or, with `repeats`
    (see `repeat_factors`), image i floor(r_i) or ceil(r_i) times, r_i on average (stochastic rounding anew
    each epoch).
    """

    def __init__(self, length: int, batch: int, base: Union[int, Tuple[int, int]], shuffle: bool = True,
                 sizes: Optional[Sequence[int]] = None, seed: int = 0, drop_last: bool = False,
                 repeats: Optional[np.ndarray] = None):
        self.length, self.batch, self.base = length, batch, base
        self.shuffle, self.sizes, self.seed, self.drop_last = shuffle, list(sizes or []), seed, drop_last
        if repeats is not None and (len(repeats) != length or np.min(repeats) < 1):
            raise ValueError(f"repeats: {length} factors of at least 1 expected")
        self.repeats = repeats
        self.epoch = 0
        self._plan = None

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch
        self._plan = None

    def batch_size_for(self, size: Union[int, Tuple[int, int]]) -> int:
        (width, height), (base_width, base_height) = input_size(size), input_size(self.base)
        return max(1, int(self.batch * base_width * base_height / (width * height)))

    def plan(self) -> List[List[Tuple[int, int]]]:
        if self._plan is None:
            gen = np.random.default_rng(self.seed + self.epoch)
            indices = np.arange(self.length)
            if self.repeats is not None:
                whole = np.floor(self.repeats)
                indices = np.repeat(indices, (whole + (gen.random(self.length) < self.repeats - whole)).astype(int))
            order = gen.permutation(indices) if self.shuffle else indices
            batches, start = [], 0
            while start < len(order):
                size = self.sizes[int(gen.integers(len(self.sizes)))] if self.sizes else self.base
                count = self.batch_size_for(size)  # the base size's is `batch`
                chunk = order[start:start + count]
                start += count
                if self.drop_last and len(chunk) < count and batches:
                    break
                batches.append([(int(i), size) for i in chunk])
            self._plan = batches
        return self._plan

    def __iter__(self) -> Iterator[List[Tuple[int, int]]]:
        return iter(self.plan())

    def __len__(self) -> int:
        return len(self.plan())
