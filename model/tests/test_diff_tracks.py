import subprocess
import sys
from pathlib import Path

from diff_tracks import diff, greedy, ious

MODEL_DIR = Path(__file__).resolve().parents[1]
FRAMES = 10


def write_dump(folder: Path, tracks_per_frame):
    """One scene, 'parking': a counted car (id 1), a counted car (id 2), a don't-care car (id 3), static."""
    scene = folder / "parking"
    scene.mkdir(parents=True)
    gt, det, tracks = [], [], []
    for frame in range(1, FRAMES + 1):
        gt += [f"{frame},1,100,100,40,20,1", f"{frame},2,200,100,40,20,1", f"{frame},3,300,100,6,4,0"]
        for tid, (x, y, w, h) in enumerate(tracks_per_frame, 1):
            det.append(f"{frame},-1,{x},{y},{w},{h},0.8000,car")
            tracks.append(f"{frame},{tid},{x},{y},{w},{h},0.8000,car")
    (scene / "gt.txt").write_text("\n".join(gt) + "\n")
    (scene / "det.txt").write_text("\n".join(det) + "\n")
    (scene / "tracks.txt").write_text("\n".join(tracks) + "\n")
    return folder


def test_iou_and_greedy_matching_at_one_half():
    assert ious([(0, 0, 10, 10)], [(0, 0, 10, 10)])[0, 0] == 1.0
    assert ious([(0, 0, 10, 10)], [(5, 0, 10, 10)])[0, 0] == 50 / 150
    assert ious([(0, 0, 10, 10)], [(20, 0, 10, 10)])[0, 0] == 0.0
    # the better pair first; an object or box is used once; under 0.5 nothing
    assert greedy(ious([(0, 0, 10, 10), (100, 0, 10, 10)], [(1, 0, 10, 10), (0, 0, 10, 10), (104, 0, 10, 10)])) == {0: 1}


def test_a_static_object_the_candidate_misplaces_is_named_with_its_loss(tmp_path):
    base = write_dump(tmp_path / "base", [(100, 100, 40, 20), (200, 100, 40, 20), (300, 100, 6, 4)])
    # the candidate puts car 2's box 14 px off (IoU 0.48: a miss and a false positive each frame), and adds a box
    # where nothing is; its box on the don't-care car is neither a match nor a false positive
    cand = write_dump(tmp_path / "cand", [(100, 100, 40, 20), (214, 100, 40, 20), (300, 100, 6, 4), (500, 300, 20, 20)])
    lines = diff(base, cand, top=3)
    assert lines[0] == "parking: 20 counted object-frames"
    assert "tracks cover 20, false positives 0 (0 misplaced boxes, 0 with nothing there)" in lines[1]
    assert "tracks cover 10, false positives 20 (10 misplaced boxes, 10 with nothing there)" in lines[2]
    # the stray boxes score 0.8, above the tracker's new-track score: what a false track can start from
    assert "detections cover 20, 0 left over (0 scoring >= 0.35: none)" in lines[1]
    assert "detections cover 10, 20 left over (20 scoring >= 0.35: car 20)" in lines[2]
    assert "20 left over (0 scoring >= 0.9: none)" in diff(base, cand, top=3, min_score=0.9)[2]
    assert "change in tracked object-frames -10 over 1 objects: gains 0, losses -10" in lines[3]
    assert lines[4] == "    most lost: 2 -10 (first at frame 1, box 200,100,40,20)"
    assert lines[5] == "    most gained: none"


def test_the_command_refuses_a_folder_without_dumps(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    run = subprocess.run([sys.executable, str(MODEL_DIR / "diff_tracks.py"), str(tmp_path / "a"), str(tmp_path / "b")],
                         capture_output=True, text=True)
    assert run.returncode != 0
    assert "no scene folders with gt.txt" in run.stderr


def test_a_detection_line_without_score_and_class_is_refused_with_its_place(tmp_path):
    base = write_dump(tmp_path / "base", [(100, 100, 40, 20)])
    (base / "parking" / "det.txt").write_text("1,-1,100,100,40,20\n")
    run = subprocess.run([sys.executable, str(MODEL_DIR / "diff_tracks.py"), str(base), str(base)],
                         capture_output=True, text=True)
    assert run.returncode != 0
    assert "det.txt:1: not a MOTChallenge line" in run.stderr
