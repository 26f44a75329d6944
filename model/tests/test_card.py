"""The model card's accuracy tables are the shipped files' committed eval.py logs (models/scores/), not hand copies.

models/scores/eval-SIZE.log is `model/candidate.sh` output for the file models/mobilevit-yolo-xxs-SIZE.onnx on
data/camsim-fresh-pooled.yaml; `model/compare.py --baseline models/scores` judges new weights against it.
"""
import re
from functools import lru_cache
from pathlib import Path

import onnx
import pytest

from strix_model.metrics import parse_class_rows, parse_source_line, parse_summary
from strix_model.onnx_export import read_metadata

REPO = Path(__file__).resolve().parents[2]
MODELS = REPO / "models"
SCORES = MODELS / "scores"
CARD_SET, LARGER_SET = "camsim-fresh-val/images/val", "camsim-fresh-2027/images/val"
POOLED_ID = "camsim-fresh-pooled-seed2026+seed2027-val"
SIZES = sorted(p.name[len("mobilevit-yolo-xxs-"):-len(".onnx")] for p in MODELS.glob("mobilevit-yolo-xxs-*.onnx"))
ROW = re.compile(r"^\| \**mobilevit-yolo-xxs-(\d+(?:x\d+)?)(?: \(default\))?\** \| (.*)$")
PAIR = re.compile(r"^\**(\d\.\d{3}) / (\d\.\d{3})\**$")


@lru_cache(maxsize=None)
def card_lines():
    return tuple((MODELS / "README.md").read_text(encoding="utf-8").splitlines())


@lru_cache(maxsize=None)
def log_lines(size):
    return tuple((SCORES / f"eval-{size}.log").read_text(encoding="utf-8").splitlines())


def card_rows():
    """SIZE -> (card's set, larger set, both sets) as (mAP50-95, mAP50) from the card's first table."""
    rows = {}
    for line in card_lines():
        m = ROW.match(line)
        if m and m.group(1) not in rows:
            cells = [c.strip() for c in m.group(2).split("|")]
            pairs = [PAIR.match(c) for c in cells[:3]]
            if all(pairs):
                rows[m.group(1)] = tuple((float(p.group(1)), float(p.group(2))) for p in pairs)
    return rows


def scores(size):
    lines = log_lines(size)
    model = next((line for line in lines if line.startswith("model: ")), None)
    header = next((line for line in lines if line.startswith("val: ")), None)
    assert model and header, f"models/scores/eval-{size}.log is not a whole eval.py log of an ONNX file"
    sources = {s[0]: (s[2], s[3]) for s in map(parse_source_line, lines) if s}
    return model, header, sources, parse_summary(lines[-1])


def test_every_shipped_file_has_its_scores_and_a_row_in_the_card():
    assert SIZES, "no models/mobilevit-yolo-xxs-*.onnx"
    assert sorted(p.name for p in SCORES.glob("eval-*.log")) == sorted(f"eval-{s}.log" for s in SIZES)
    assert sorted(card_rows()) == SIZES


@pytest.mark.parametrize("size", SIZES)
def test_the_scores_are_of_the_shipped_file_on_both_fresh_sets(size):
    model, header, sources, summary = scores(size)
    version = read_metadata(onnx.load(str(MODELS / f"mobilevit-yolo-xxs-{size}.onnx")))["version"]
    assert model.endswith(f"/mobilevit-yolo-xxs-{size}.onnx, version {version}"), (
        f"models/scores/eval-{size}.log scored another file ({model}); re-score: "
        f"model/candidate.sh --score models models/scores")
    assert header.startswith(f"val: {POOLED_ID}, imgsz {size}")
    assert set(sources) == {CARD_SET, LARGER_SET} and summary is not None


@pytest.mark.parametrize("size", SIZES)
def test_the_cards_table_shows_the_committed_scores(size):
    _, _, sources, summary = scores(size)
    assert card_rows()[size] == (sources[CARD_SET], sources[LARGER_SET], summary), (
        f"models/README.md's row for {size} differs from models/scores/eval-{size}.log")


def card_class_table():
    """The card's "Both fresh sets, per class" table: (sizes, {class: (gt, [(AP50-95, AP50) per size])}, the summary
    row's [(mAP50-95, mAP50) per size])."""
    lines = card_lines()
    start = lines.index("### Both fresh sets, per class")
    header = next(i for i in range(start, len(lines)) if lines[i].startswith("| class | gt |"))
    sizes = [c.strip() for c in lines[header].strip("|").split("|")[2:]]
    classes, summary = {}, None
    for line in lines[header + 2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        pairs = [PAIR.match(c) for c in cells[2:]]
        assert all(pairs), f"models/README.md per-class row not 'AP50-95 / AP50' per size: {line}"
        figures = [(float(p.group(1)), float(p.group(2))) for p in pairs]
        if cells[0].startswith("**"):
            summary = figures
        else:
            classes[cells[0]] = (int(cells[1]), figures)
    return sizes, classes, summary


def test_the_cards_per_class_table_shows_the_committed_scores():
    sizes, classes, summary = card_class_table()
    assert sorted(sizes) == SIZES
    for i, size in enumerate(sizes):
        lines = log_lines(size)
        logged = parse_class_rows(lines)
        assert sorted(logged) == sorted(classes), f"classes of eval-{size}.log differ from the card's per-class table"
        for name, (gt, figures) in classes.items():
            assert (gt, *figures[i]) == logged[name], (
                f"models/README.md's per-class {name} at {size} differs from models/scores/eval-{size}.log")
        assert summary[i] == parse_summary(lines[-1])
