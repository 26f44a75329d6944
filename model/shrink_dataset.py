#!/usr/bin/env python3
"""Copy a YOLO-format dataset with its images downscaled and re-encoded, e.g. to fit a GPU machine's upload.

  /usr/bin/python3 model/shrink_dataset.py --src DIR --dst DIR --size 320x180 --quality 80 [--max-train N]

Labels are normalised, so they are copied unchanged. A 320 model letterboxes 640x360 frames to 320x180 anyway,
so storing them at that size loses nothing it would see. --max-train keeps the first N training images (camsim
numbers images scene by scene, so whole scenes are kept). data.yaml gets a dataset_id naming the change.
"""
import argparse
import re
import shutil
import sys
from pathlib import Path

from PIL import Image

from strix_model.data import IMAGE_SUFFIXES, label_path_for


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--src", type=Path, required=True, help="dataset folder with data.yaml, images/, labels/")
    p.add_argument("--dst", type=Path, required=True)
    p.add_argument("--size", default="320x180", help="WxH of the stored images")
    p.add_argument("--quality", type=int, default=80, help="JPEG quality")
    p.add_argument("--max-train", type=int, default=None, help="keep only the first N training images")
    args = p.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    if not (args.src / "data.yaml").is_file():
        print(f"shrink_dataset.py: {args.src}/data.yaml does not exist", file=sys.stderr)
        return 2
    if args.dst.exists():
        print(f"shrink_dataset.py: {args.dst} already exists", file=sys.stderr)
        return 2
    counts = {}
    for split in ("train", "val"):
        images = sorted(q for q in (args.src / "images" / split).glob("*") if q.suffix.lower() in IMAGE_SUFFIXES)
        if split == "train" and args.max_train is not None:
            images = images[:args.max_train]
        (args.dst / "images" / split).mkdir(parents=True)
        (args.dst / "labels" / split).mkdir(parents=True)
        for image in images:
            with Image.open(image) as im:
                im.convert("RGB").resize((width, height), Image.BILINEAR).save(
                    args.dst / "images" / split / (image.stem + ".jpg"), "JPEG", quality=args.quality)
            label = label_path_for(image)
            if label.is_file():
                shutil.copy(label, args.dst / "labels" / split / label.name)
        counts[split] = len(images)
    yaml = (args.src / "data.yaml").read_text(encoding="utf-8")
    suffix = f"-{counts['train']}train-{width}x{height}q{args.quality}"
    yaml = re.sub(r"^dataset_id: *(.*)$", lambda m: f"dataset_id: {m.group(1)}{suffix}", yaml, flags=re.M)
    (args.dst / "data.yaml").write_text(yaml, encoding="utf-8")
    print(f"wrote {args.dst}: {counts['train']} train, {counts['val']} val images at {width}x{height} q{args.quality}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
