"""COCO mAP against hand-computed cases (pycocotools semantics: 10 IoU thresholds, 101 recall points)."""
import numpy as np
import pytest

from strix_model.metrics import ConfusionMatrix, DetectionEvaluator, format_report, parse_class_rows, SizeRecall


def det(x1, y1, x2, y2, score, cls):
    return [x1, y1, x2, y2, score, cls]


def gt(cls, x1, y1, x2, y2):
    return [cls, x1, y1, x2, y2]


def evaluate(images, num_classes=1):
    evaluator = DetectionEvaluator(num_classes)
    for dets, truth in images:
        evaluator.add(np.array(dets, float).reshape(-1, 6), np.array(truth, float).reshape(-1, 5))
    return evaluator.compute()


def test_perfect_boxes_score_one():
    result = evaluate([
        ([det(10, 10, 50, 50, 0.9, 0), det(60, 60, 90, 100, 0.8, 0)], [gt(0, 10, 10, 50, 50), gt(0, 60, 60, 90, 100)]),
        ([det(0, 0, 20, 20, 0.7, 0)], [gt(0, 0, 0, 20, 20)]),
    ])
    assert result.map50_95 == pytest.approx(1.0)
    assert result.map50 == pytest.approx(1.0)


def test_shifted_box_counts_only_at_thresholds_its_iou_reaches():
    # IoU = 72/100 = 0.72: a hit at 0.50 ... 0.70 (5 of 10 thresholds), a miss at 0.75 ... 0.95.
    result = evaluate([([det(0, 0, 100, 72, 0.9, 0)], [gt(0, 0, 0, 100, 100)])])
    assert result.map50 == pytest.approx(1.0)
    assert result.map50_95 == pytest.approx(0.5)


def test_box_shifted_sideways():
    # Shifted by 40 of 100 px: IoU = 60 / 140 = 0.4286 < 0.5, a miss everywhere.
    result = evaluate([([det(40, 0, 140, 100, 0.9, 0)], [gt(0, 0, 0, 100, 100)])])
    assert result.map50 == 0.0 and result.map50_95 == 0.0


def test_missed_object_caps_recall():
    # One of two objects found: precision 1 up to recall 0.5, i.e. 51 of the 101 recall points.
    result = evaluate([([det(0, 0, 10, 10, 0.9, 0)], [gt(0, 0, 0, 10, 10), gt(0, 50, 50, 60, 60)])])
    assert result.map50 == pytest.approx(51 / 101)
    assert result.map50_95 == pytest.approx(51 / 101)


def test_extra_detection_ranked_above_the_hit_halves_precision():
    # FP at 0.9 then TP at 0.8: precision 0.5 at recall 1, envelope 0.5 at every recall point.
    result = evaluate([([det(50, 50, 60, 60, 0.9, 0), det(0, 0, 10, 10, 0.8, 0)], [gt(0, 0, 0, 10, 10)])])
    assert result.map50 == pytest.approx(0.5)


def test_extra_detection_ranked_below_the_hit_costs_nothing():
    result = evaluate([([det(0, 0, 10, 10, 0.9, 0), det(50, 50, 60, 60, 0.8, 0)], [gt(0, 0, 0, 10, 10)])])
    assert result.map50 == pytest.approx(1.0)


def test_duplicate_detection_is_a_false_positive():
    # Two boxes on one object: the second can't match again. Ranked below the first -> AP stays 1;
    # here the duplicate outranks a genuine hit on a second object: TP, FP, TP ->
    # precision [1, .5, .667] recall [.5, .5, 1] -> envelope 1 up to r=.5, .667 above: (51 + 50 * 2/3) / 101.
    result = evaluate([([det(0, 0, 10, 10, 0.9, 0), det(1, 0, 10, 10, 0.8, 0), det(50, 50, 60, 60, 0.7, 0)],
                        [gt(0, 0, 0, 10, 10), gt(0, 50, 50, 60, 60)])])
    assert result.map50 == pytest.approx((51 + 50 * 2 / 3) / 101)


def test_scores_are_ranked_across_images():
    # Image A: FP 0.95. Image B: TP 0.9. Pooled: FP then TP -> precision 0.5 everywhere.
    result = evaluate([([det(50, 50, 60, 60, 0.95, 0)], [gt(0, 0, 0, 10, 10)]),
                       ([det(0, 0, 10, 10, 0.9, 0)], [gt(0, 0, 0, 10, 10)])])
    # recall after FP: 0, after TP: 0.5; envelope 0.5 up to recall 0.5 -> 51 points * 0.5
    assert result.map50 == pytest.approx(0.5 * 51 / 101)


def test_pooled_parts_score_what_one_evaluator_of_all_their_images_scores():
    # Two "datasets": A's false positive outranks B's hit, so pooling is not an average of the parts' figures.
    a = [([det(50, 50, 60, 60, 0.95, 0), det(0, 0, 10, 10, 0.6, 1)], [gt(0, 0, 0, 10, 10), gt(1, 0, 0, 10, 10)])]
    b = [([det(0, 0, 10, 10, 0.9, 0)], [gt(0, 0, 0, 10, 10)]), ([det(1, 0, 11, 10, 0.8, 0)], [gt(0, 0, 0, 10, 10)])]
    parts = [DetectionEvaluator(2), DetectionEvaluator(2)]
    for part, images in zip(parts, (a, b)):
        for dets, truth in images:
            part.add(np.array(dets, float), np.array(truth, float))
    pooled, together = DetectionEvaluator.pooled(parts).compute(), evaluate(a + b, num_classes=2)
    assert (pooled.map50_95, pooled.map50, pooled.per_class, pooled.ground_truth_counts) == \
           (together.map50_95, together.map50, together.per_class, together.ground_truth_counts)
    assert parts[1].compute().per_class[1] is None and pooled.per_class[1] == pytest.approx(1.0)
    assert pooled.map50 != pytest.approx((parts[0].compute().map50 + parts[1].compute().map50) / 2)


def test_several_classes_average_over_classes_with_ground_truth():
    # class 0 perfect (1.0), class 1 missed (0.0), class 2 has detections but no ground truth: left out,
    # and a class-0 box predicted as class 1 is a miss for 0's... here class 1's object gets a wrong-class box.
    result = evaluate([([det(0, 0, 10, 10, 0.9, 0), det(20, 20, 30, 30, 0.9, 2), det(40, 40, 50, 50, 0.8, 0)],
                        [gt(0, 0, 0, 10, 10), gt(1, 40, 40, 50, 50)])], num_classes=3)
    # class 0: TP (0.9) then FP (0.8, the class-1 object labelled 0) -> AP 1.0
    assert result.per_class[0] == pytest.approx(1.0)
    assert result.per_class[1] == pytest.approx(0.0)
    assert result.per_class[2] is None
    assert result.map50_95 == pytest.approx(0.5)
    assert result.map50 == pytest.approx(0.5)


def test_best_iou_unmatched_ground_truth_wins():
    # Two overlapping objects; the first detection overlaps both but one better: it must take that one,
    # leaving the other for the second detection -> both match at 0.5.
    result = evaluate([([det(0, 0, 10, 10, 0.9, 0), det(5, 0, 15, 10, 0.8, 0)],
                        [gt(0, 4, 0, 14, 10), gt(0, 0, 0, 10, 10)])])
    assert result.map50 == pytest.approx(1.0)


def test_only_the_100_best_detections_per_image_count():
    truth = [gt(0, 0, 0, 10, 10)]
    junk = [det(100 + i, 100, 110 + i, 110, 0.9, 0) for i in range(100)]
    result = evaluate([(junk + [det(0, 0, 10, 10, 0.5, 0)], truth)])
    assert result.map50 == 0.0  # the hit is the 101st by score


def test_no_detections_at_all_scores_zero_and_no_ground_truth_is_not_a_class():
    assert evaluate([([], [gt(0, 0, 0, 10, 10)])]).map50_95 == 0.0
    result = evaluate([([det(0, 0, 10, 10, 0.9, 0)], [])])
    assert result.per_class[0] is None and result.map50_95 == 0.0


def test_report_ends_with_the_summary_line():
    result = evaluate([([det(0, 0, 10, 10, 0.9, 0)], [gt(0, 0, 0, 10, 10)])], num_classes=2)
    lines = format_report(result, ["person", "car"]).splitlines()
    assert lines[-1] == "mAP50-95=1.000 mAP50=1.000"
    assert lines[2].split() == ["car", "0", "-", "-"]


def test_the_per_class_rows_of_a_report_read_back():
    result = evaluate([([det(0, 0, 10, 10, 0.9, 0)], [gt(0, 0, 0, 10, 10)])], num_classes=2)
    report = "source a/images/val: 1 images, mAP50-95=1.000 mAP50=1.000\n" + format_report(result, ["person", "car"])
    assert parse_class_rows(report.splitlines()) == {"person": (1, 1.0, 1.0), "car": (0, None, None)}


def evaluate_min_area(images, min_area):
    evaluator = DetectionEvaluator(1)
    for dets, truth in images:
        evaluator.add(np.array(dets, float).reshape(-1, 6), np.array(truth, float).reshape(-1, 5), min_area=min_area)
    return evaluator.compute()


def test_objects_below_the_minimum_area_are_neither_required_nor_penalised():
    big, tiny = gt(0, 0, 0, 40, 40), gt(0, 100, 100, 104, 104)  # 1600 px² and 16 px²
    # Missing the tiny object costs nothing; finding it (ranked first) is not a false positive either.
    missed = evaluate_min_area([([det(0, 0, 40, 40, 0.9, 0)], [big, tiny])], min_area=100)
    found = evaluate_min_area([([det(100, 100, 104, 104, 0.95, 0), det(0, 0, 40, 40, 0.9, 0)], [big, tiny])],
                              min_area=100)
    assert missed.map50 == pytest.approx(1.0) and found.map50 == pytest.approx(1.0)
    assert missed.ground_truth_counts[0] == 1
    # Without a minimum the same missed tiny object halves recall.
    assert evaluate_min_area([([det(0, 0, 40, 40, 0.9, 0)], [big, tiny])], min_area=0).map50 == pytest.approx(51 / 101)


def test_an_unmatched_small_detection_is_ignored_but_a_large_one_is_a_false_positive():
    truth = [gt(0, 0, 0, 40, 40)]
    small_fp = evaluate_min_area([([det(200, 200, 205, 205, 0.95, 0), det(0, 0, 40, 40, 0.9, 0)], truth)], 100)
    large_fp = evaluate_min_area([([det(200, 200, 240, 240, 0.95, 0), det(0, 0, 40, 40, 0.9, 0)], truth)], 100)
    assert small_fp.map50 == pytest.approx(1.0)
    assert large_fp.map50 == pytest.approx(0.5)


def test_a_detection_on_an_ignore_region_is_not_a_false_positive():
    # 100 px² detection (not small itself) on a 81 px² object: IoU 0.81, so it matches the ignore region.
    truth = [gt(0, 100, 100, 140, 140), gt(0, 0, 0, 9, 9)]
    result = evaluate_min_area([([det(0, 0, 10, 10, 0.95, 0), det(100, 100, 140, 140, 0.9, 0)], truth)], 100)
    assert result.map50 == pytest.approx(1.0)


def test_a_detection_overlapping_both_goes_to_the_scored_object():
    # IoU 0.75 with an ignored 13x13 object, 0.5625 with the scored 20x20 one: COCOeval gives it to the scored one.
    big, tiny = gt(0, 0, 0, 20, 20), gt(0, 0, 0, 13, 13)
    result = evaluate_min_area([([det(0, 0, 15, 15, 0.9, 0)], [tiny, big])], min_area=200)
    assert result.map50 == pytest.approx(1.0)


def test_size_recall_counts_objects_found_at_the_threshold_by_size_at_the_input():
    sizes = SizeRecall(conf=0.25)
    ground_truth = np.array([
        [0, 0, 0, 10, 10],      # 10 px -> 5 px at scale 0.5: bucket <8
        [0, 100, 100, 140, 140],  # 40 -> 20 px: bucket 16-32
        [1, 200, 200, 300, 300],  # 100 -> 50 px: bucket >=32
    ])
    detections = np.array([
        [100, 100, 140, 140, 0.9, 0],  # finds the 20 px person
        [200, 200, 300, 300, 0.2, 1],  # would find the 50 px object, but is under the threshold
        [0, 0, 10, 10, 0.8, 1],        # right place, wrong class: a false positive, the speck stays missed
        [100, 100, 140, 140, 0.7, 0],  # a duplicate of the first: a false positive
    ])
    sizes.add(detections, ground_truth, scale=0.5)
    assert sizes.total.tolist() == [1, 0, 1, 1] and sizes.found.tolist() == [0, 0, 1, 0]
    assert (sizes.true_positives, sizes.detections) == (1, 3)
    assert sizes.report() == ("found at conf 0.25, IoU 0.5, by size at the input: <8 px 0/1 (0%), 8-16 px 0/0, "
                              "16-32 px 1/1 (100%), >=32 px 0/1 (0%); precision 0.333 (1/3)")


def test_the_tallies_leave_out_what_the_min_area_map_leaves_out():
    # min_area 400 (20x20): the 19x19 object is not scored. Each extra detection, ranked above the hit on the scored
    # 30x30 object, is a false positive for the mAP exactly when the tallies count it as one.
    scored, small = gt(0, 100, 0, 130, 30), gt(0, 0, 0, 19, 19)
    hit = det(100, 0, 130, 30, 0.5, 0)
    cases = [
        (det(300, 0, 310, 10, 0.9, 0), False),  # a stray 10x10 detection: under the minimum, left out
        (det(0, 0, 20, 21, 0.9, 0), False),     # 20x21 on the small object (IoU 0.86): neither hit nor false positive
        (det(0, 8, 20, 28, 0.9, 0), True),      # half inside the small object but IoU 0.38: a false positive
    ]
    for extra, false_positive in cases:
        result = evaluate_min_area([([extra, hit], [small, scored])], min_area=400)
        assert result.map50 == pytest.approx(0.5 if false_positive else 1.0, abs=1e-2)
        sizes, matrix = SizeRecall(conf=0.25), ConfusionMatrix(["person"], conf=0.25)
        for tally in (sizes, matrix):
            tally.add(np.array([extra, hit], float), np.array([small, scored], float), 1.0, min_area=400)
        assert (sizes.true_positives, sizes.detections) == (1, 2 if false_positive else 1)
        assert sizes.total.sum() == 1  # the small object is neither found nor missed
        assert matrix.counts.tolist() == [[1, 0], [int(false_positive), 0]]


def evaluate_with_regions(dets, truth, regions, num_classes=1):
    evaluator = DetectionEvaluator(num_classes)
    evaluator.add(np.array(dets, float).reshape(-1, 6), np.array(truth, float).reshape(-1, 5),
                  ignore=np.array(regions, float).reshape(-1, 5))
    return evaluator.compute()


def test_detections_inside_an_ignore_region_cost_nothing_however_many():
    # Two detections ranked above the hit lie wholly inside a crowd region: without the region precision would be
    # 1/3 at the hit; with it both are ignored and AP is 1.
    dets = [det(100, 100, 110, 110, 0.9, 0), det(102, 102, 112, 112, 0.8, 0), det(0, 0, 10, 10, 0.5, 0)]
    truth = [gt(0, 0, 0, 10, 10)]
    assert evaluate_with_regions(dets, truth, [gt(0, 95, 95, 120, 120)]).map50_95 == pytest.approx(1.0)
    assert evaluate_with_regions(dets, truth, []).map50 == pytest.approx(1 / 3, abs=1e-3)


def test_a_detection_mostly_outside_the_region_or_of_another_class_is_still_a_false_positive():
    truth = [gt(0, 0, 0, 10, 10)]
    # 40 % of the extra box lies in the region (COCO's crowd IoU: intersection / detection area) -> not ignored.
    partly = [det(100, 100, 110, 110, 0.9, 0), det(0, 0, 10, 10, 0.5, 0)]
    assert evaluate_with_regions(partly, truth, [gt(0, 106, 90, 130, 130)]).map50 == pytest.approx(0.5, abs=1e-2)
    # A region of class 1 does not absorb a class-0 detection.
    other = evaluate_with_regions(partly, truth, [gt(1, 95, 95, 120, 120)], num_classes=2)
    assert other.map50 == pytest.approx(0.5, abs=1e-2)


def test_the_ignore_fraction_is_compared_with_each_iou_threshold():
    # 70 % inside the region: ignored at thresholds 0.50..0.70, a false positive at 0.75..0.95.
    dets = [det(100, 100, 110, 110, 0.9, 0), det(0, 0, 10, 10, 0.5, 0)]
    result = evaluate_with_regions(dets, [gt(0, 0, 0, 10, 10)], [gt(0, 103, 90, 130, 130)])
    assert result.map50 == pytest.approx(1.0)
    assert result.map50_95 == pytest.approx((5 * 1.0 + 5 * 0.5) / 10, abs=1e-2)


def test_scored_ground_truth_wins_over_an_ignore_region():
    # The detection matches the object and lies in a region: a hit, not ignored.
    result = evaluate_with_regions([det(0, 0, 10, 10, 0.9, 0)], [gt(0, 0, 0, 10, 10)], [gt(0, 0, 0, 50, 50)])
    assert result.map50_95 == pytest.approx(1.0)


def test_confusion_matrix_tells_wrong_classes_from_misses_and_background():
    person, car, truck = 0, 1, 2
    truth = np.array([gt(car, 0, 0, 40, 20), gt(truck, 100, 0, 160, 30), gt(person, 200, 0, 204, 12),
                      gt(person, 300, 0, 310, 20)])
    dets = np.array([
        det(0, 0, 40, 20, 0.9, truck),      # a truck on the car, ranked first: it must not take the car's place
        det(100, 0, 160, 30, 0.8, car),     # the truck called a car
        det(0, 0, 40, 21, 0.6, car),        # the car, found
        det(300, 0, 310, 20, 0.1, person),  # under the threshold: that person is missed
        det(500, 0, 520, 20, 0.7, person),  # on an ignore region of its class: counts nowhere
        det(500, 0, 520, 20, 0.4, car),     # on a region of another class: background
        det(600, 0, 620, 20, 0.5, car),     # on nothing: background
    ])
    matrix = ConfusionMatrix(["person", "car", "truck"], conf=0.25)
    matrix.add(dets, truth, scale=1.0, ignore=np.array([gt(person, 495, 0, 525, 25)], float))
    # rows person, car, truck, background; columns person, car, truck, missed
    assert matrix.counts.tolist() == [[0, 0, 0, 2], [0, 1, 0, 0], [0, 1, 0, 0], [0, 2, 1, 0]]
    assert matrix.report() == "\n".join([
        "classes at conf 0.25, IoU 0.5 (rows: labelled class, columns: detected class):",
        "           person    car  truck missed",
        "person          0      0      0      2",
        "car             0      1      0      0",
        "truck           0      1      0      0",
        "background      0      2      1"])
