import numpy as np
import torch

from strix_model.boxes import box_iou, complete_iou, nms, numpy_coverage, postprocess


def test_ciou_is_iou_for_concentric_same_shape_boxes_and_penalises_distance():
    a = torch.tensor([0.0, 0.0, 10.0, 10.0])
    assert torch.isclose(complete_iou(a, torch.tensor([1.0, 1.0, 9.0, 9.0])), torch.tensor(0.64), atol=1e-4)
    assert complete_iou(a, torch.tensor([20.0, 0.0, 30.0, 10.0])) < 0  # disjoint: negative, still has a gradient
    assert torch.isclose(box_iou(a, torch.tensor([5.0, 0.0, 15.0, 10.0])), torch.tensor(1 / 3), atol=1e-6)


def test_nms_suppresses_overlaps_and_keeps_order():
    boxes = np.array([[0, 0, 10, 10], [1, 0, 11, 10], [20, 20, 30, 30]], np.float32)
    assert nms(boxes, np.array([0.8, 0.9, 0.7]), 0.5).tolist() == [1, 2]


def output_for(boxes_cxcywh, scores):
    return np.concatenate([np.array(boxes_cxcywh, np.float32).T, np.array(scores, np.float32).T])[None]


def test_postprocess_keeps_best_class_and_does_not_suppress_across_classes():
    out = output_for([[5, 5, 10, 10], [5.5, 5, 10, 10], [5, 5, 10, 10]],
                     [[0.9, 0.1], [0.8, 0.2], [0.1, 0.7]])
    dets = postprocess(out, conf_threshold=0.25, iou_threshold=0.5)[0]
    assert dets[:, 5].tolist() == [0, 1]  # second box suppressed by the first; class-1 box survives
    assert np.allclose(dets[0, :5], [0, 0, 10, 10, 0.9])


def test_postprocess_applies_confidence_and_max_det():
    out = output_for([[i * 20 + 5, 5, 10, 10] for i in range(5)], [[0.5 - i * 0.1] for i in range(5)])
    assert len(postprocess(out, conf_threshold=0.25)[0]) == 3
    assert len(postprocess(out, conf_threshold=0.0, max_det=2)[0]) == 2


def test_coverage_is_the_share_of_the_first_box_inside_the_second():
    a = np.array([[0, 0, 10, 10]])
    b = np.array([[5, 0, 100, 100], [0, 0, 1, 1]])
    assert numpy_coverage(a, b).tolist() == [[0.5, 0.01]]
    assert numpy_coverage(b[:1], a).tolist() == [[50 / (95 * 100)]]
