"""A tiny generated YOLO-format dataset (coloured shapes on noisy backgrounds) for tests and smoke runs.

Nothing is downloaded: every image is drawn from a seed, so the same call always writes the same files.
"""
from pathlib import Path
from typing import List, Tuple

import numpy as np
import yaml
from PIL import Image, ImageDraw

TOY_NAMES = ["square", "disc", "triangle"]
_BASE_COLOURS = [(220, 40, 40), (40, 190, 60), (40, 80, 230)]


def _overlaps(box, boxes, limit=0.2) -> bool:
    for other in boxes:
        iw = min(box[2], other[2]) - max(box[0], other[0])
        ih = min(box[3], other[3]) - max(box[1], other[1])
        if iw > 0 and ih > 0:
            inter = iw * ih
            union = (box[2] - box[0]) * (box[3] - box[1]) + (other[2] - other[0]) * (other[3] - other[1]) - inter
            if inter / union > limit:
                return True
    return False


def render_scene(seed: int, width: int = 320, height: int = 240, max_objects: int = 5,
                 num_classes: int = len(TOY_NAMES)) -> Tuple[Image.Image, np.ndarray]:
    """One image and its labels [K, 5] (class, cx, cy, w, h normalised)."""
    rng = np.random.default_rng(seed)
    # Background: a colour gradient plus noise, so the model cannot find objects by flat colour alone.
    top, bottom = rng.integers(60, 200, 3), rng.integers(60, 200, 3)
    ramp = np.linspace(0, 1, height)[:, None, None]
    background = top * (1 - ramp) + bottom * ramp + rng.normal(0, 12, (height, width, 3))
    image = Image.fromarray(np.clip(background, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    boxes, labels = [], []
    for _ in range(int(rng.integers(1, max_objects + 1))):
        side = int(rng.uniform(0.08, 0.4) * min(width, height))
        w = int(side * rng.uniform(0.7, 1.4))
        h = side
        x0 = int(rng.integers(0, max(1, width - w)))
        y0 = int(rng.integers(0, max(1, height - h)))
        box = (x0, y0, x0 + w, y0 + h)
        if _overlaps(box, boxes):
            continue
        cls = int(rng.integers(0, num_classes))
        colour = tuple(int(np.clip(c + rng.integers(-30, 31), 0, 255))
                       for c in _BASE_COLOURS[cls % len(_BASE_COLOURS)])
        shape = cls % 3
        if shape == 0:
            draw.rectangle((x0, y0, x0 + w - 1, y0 + h - 1), fill=colour)
        elif shape == 1:
            draw.ellipse((x0, y0, x0 + w - 1, y0 + h - 1), fill=colour)
        else:
            draw.polygon([(x0 + w / 2, y0), (x0 + w - 1, y0 + h - 1), (x0, y0 + h - 1)], fill=colour)
        boxes.append(box)
        labels.append([cls, (x0 + w / 2) / width, (y0 + h / 2) / height, w / width, h / height])
    return image, np.asarray(labels, np.float32).reshape(-1, 5)


def write_toy_dataset(root: Path, train: int = 16, val: int = 8, seed: int = 0, width: int = 320,
                      height: int = 240, names: List[str] = None) -> Path:
    """Writes root/images/{train,val}, root/labels/{train,val} and root/data.yaml; returns the yaml path."""
    root = Path(root)
    names = list(names or TOY_NAMES)
    for split, count, offset in (("train", train, 0), ("val", val, 1_000_000)):
        (root / "images" / split).mkdir(parents=True, exist_ok=True)
        (root / "labels" / split).mkdir(parents=True, exist_ok=True)
        for i in range(count):
            image, labels = render_scene(seed + offset + i, width, height, num_classes=len(names))
            stem = f"{split}_{i:05d}"
            image.save(root / "images" / split / f"{stem}.png")
            lines = [f"{int(c)} {cx:.6f} {cy:.6f} {w:.6f} {h:.6f}" for c, cx, cy, w, h in labels]
            (root / "labels" / split / f"{stem}.txt").write_text("\n".join(lines) + ("\n" if lines else ""))
    data_yaml = root / "data.yaml"
    data_yaml.write_text(yaml.safe_dump({"train": "images/train", "val": "images/val", "names": names,
                                         "dataset_id": f"toy-shapes-seed{seed}-{train}-{val}"}, sort_keys=False))
    return data_yaml


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Write the generated toy shapes dataset (YOLO format).")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--train", type=int, default=256)
    parser.add_argument("--val", type=int, default=64)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(write_toy_dataset(args.out, args.train, args.val, args.seed))
