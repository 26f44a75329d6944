import subprocess
import sys
from pathlib import Path

import pytest

from compare import LogError, judge, read_figures
from strix_model.metrics import DetectionResult, parse_source_line, parse_summary, source_line

MODEL_DIR = Path(__file__).resolve().parents[1]


def log(*sources, summary=(0.0, 0.0)):
    """An eval.py log: a header, `source` lines (name, images, mAP50-95, mAP50), per-class lines, the summary."""
    lines = ["val: some-set, imgsz 384x256, 10 iscrowd ignore regions, 1.0s"]
    lines += [f"source {name}/images/val: {n} images, mAP50-95={a:.3f} mAP50={b:.3f}" for name, n, a, b in sources]
    lines += ["class           gt  AP50-95    AP50", "person        100    0.500   0.700"]
    lines.append(f"mAP50-95={summary[0]:.3f} mAP50={summary[1]:.3f}")
    return "\n".join(lines) + "\n"


def test_figures_weigh_each_val_folder_by_its_images_not_the_pooled_line():
    text = log(("a", 196, 0.293, 0.496), ("b", 496, 0.270, 0.461), summary=(0.275, 0.468))
    a, b = read_figures(text)
    assert a == pytest.approx((196 * 0.293 + 496 * 0.270) / 692)
    assert b == pytest.approx((196 * 0.496 + 496 * 0.461) / 692)


def test_the_lines_eval_prints_are_the_lines_compare_reads():
    result = DetectionResult(0.2934, 0.4961, {}, {})
    assert parse_source_line(source_line("camsim-fresh-val/images/val", 196, result)) == (
        "camsim-fresh-val/images/val", 196, 0.293, 0.496)
    assert parse_summary(result.summary()) == (0.293, 0.496)
    assert parse_source_line("person 10348 0.244 0.571") is None and parse_summary("val: x") is None


def test_a_single_folder_log_uses_its_summary_and_an_unfinished_one_is_refused():
    assert read_figures(log(summary=(0.3, 0.5))) == (0.3, 0.5)
    with pytest.raises(LogError, match="did eval.py finish"):
        read_figures("val: x\nsource a/images/val: 10 images, mAP50-95=0.1 mAP50=0.2\n")


def test_the_ship_rule():
    base = {"384x256": (0.277, 0.471), "576x320": (0.342, 0.569)}
    # Both rise at the default size, the other size falls a little on one figure but rises in sum: ship.
    lines, ship = judge(base, {"384x256": (0.280, 0.475), "576x320": (0.338, 0.575)}, "384x256", 0.005)
    assert ship and lines[-1] == "ship"
    # The default gains in sum, but one figure falls by more than the tolerance: keep.
    _, ship = judge(base, {"384x256": (0.270, 0.490), "576x320": (0.342, 0.569)}, "384x256", 0.005)
    assert not ship
    # Another size falls by more than the tolerance: keep, and say which.
    lines, ship = judge(base, {"384x256": (0.280, 0.475), "576x320": (0.330, 0.569)}, "384x256", 0.005)
    assert not ship and any("576x320" in line and "falls" in line for line in lines)
    # No change at all is no gain: keep.
    _, ship = judge(base, dict(base), "384x256", 0.005)
    assert not ship
    with pytest.raises(LogError, match="default size"):
        judge(base, {"576x320": (0.4, 0.6)}, "384x256", 0.005)


def test_command_line_reads_two_folders_of_logs(tmp_path):
    for folder, figures in (("base", (0.277, 0.471)), ("cand", (0.281, 0.474))):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "eval-384x256.log").write_text(log(summary=figures))
    result = subprocess.run([sys.executable, str(MODEL_DIR / "compare.py"), "--baseline", str(tmp_path / "base"),
                             "--candidate", str(tmp_path / "cand")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "0.277 → 0.281 (+0.004)" in result.stdout and result.stdout.splitlines()[-1] == "ship"
    result = subprocess.run([sys.executable, str(MODEL_DIR / "compare.py"), "--baseline", str(tmp_path / "base"),
                             "--candidate", str(tmp_path / "nowhere")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "no eval-SIZE.log files" in result.stderr


def test_without_a_baseline_the_shipped_models_committed_logs_are_it():
    shipped = MODEL_DIR.parent / "models" / "scores"
    result = subprocess.run([sys.executable, str(MODEL_DIR / "compare.py"), "--candidate", str(shipped)],
                            capture_output=True, text=True, cwd=MODEL_DIR.parent)
    assert result.returncode == 0, result.stderr
    assert "| 384x256 |" in result.stdout and result.stdout.splitlines()[-1] == "keep"  # the same figures: no gain
