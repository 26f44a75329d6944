"""Box arithmetic shared by training (torch) and post-processing (numpy): IoU, CIoU, NMS, decoding."""
import math
from typing import List

import numpy as np
import torch


def cxcywh_to_xyxy(boxes):
    """Works on torch tensors and numpy arrays with boxes in the last dimension."""
    cx, cy, w, h = boxes[..., 0], boxes[..., 1], boxes[..., 2], boxes[..., 3]
    stack = torch.stack if isinstance(boxes, torch.Tensor) else np.stack
    return stack((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2), -1)


def box_iou(a: torch.Tensor, b: torch.Tensor, eps: float = 1e-9) -> torch.Tensor:
    """Pairwise IoU of xyxy boxes that broadcast against each other ([..., 4] -> [...])."""
    inter_w = (torch.min(a[..., 2], b[..., 2]) - torch.max(a[..., 0], b[..., 0])).clamp(min=0)
    inter_h = (torch.min(a[..., 3], b[..., 3]) - torch.max(a[..., 1], b[..., 1])).clamp(min=0)
    inter = inter_w * inter_h
    area_a = (a[..., 2] - a[..., 0]) * (a[..., 3] - a[..., 1])
    area_b = (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1])
    return inter / (area_a + area_b - inter + eps)


def complete_iou(a: torch.Tensor, b: torch.Tensor, eps: float = 1e-7) -> torch.Tensor:
    """CIoU (Zheng et al. 2020): IoU minus centre-distance and aspect-ratio penalties; xyxy, elementwise."""
    w1, h1 = a[..., 2] - a[..., 0], (a[..., 3] - a[..., 1]).clamp(min=eps)
    w2, h2 = b[..., 2] - b[..., 0], (b[..., 3] - b[..., 1]).clamp(min=eps)
    inter = ((torch.min(a[..., 2], b[..., 2]) - torch.max(a[..., 0], b[..., 0])).clamp(min=0)
             * (torch.min(a[..., 3], b[..., 3]) - torch.max(a[..., 1], b[..., 1])).clamp(min=0))
    union = w1 * h1 + w2 * h2 - inter + eps
    iou = inter / union
    enclose_w = torch.max(a[..., 2], b[..., 2]) - torch.min(a[..., 0], b[..., 0])
    enclose_h = torch.max(a[..., 3], b[..., 3]) - torch.min(a[..., 1], b[..., 1])
    diagonal2 = enclose_w ** 2 + enclose_h ** 2 + eps
    centre2 = ((a[..., 0] + a[..., 2] - b[..., 0] - b[..., 2]) ** 2
               + (a[..., 1] + a[..., 3] - b[..., 1] - b[..., 3]) ** 2) / 4
    v = (4 / math.pi ** 2) * (torch.atan(w2 / h2) - torch.atan(w1 / h1)) ** 2
    with torch.no_grad():
        alpha = v / (v - iou + (1 + eps))
    return iou - (centre2 / diagonal2 + v * alpha)


def _intersections(a: np.ndarray, b: np.ndarray):
    """xyxy boxes as float64 [A,4] and [B,4], and their pairwise intersection areas [A, B]."""
    a = np.asarray(a, dtype=np.float64).reshape(-1, 4)
    b = np.asarray(b, dtype=np.float64).reshape(-1, 4)
    lt = np.maximum(a[:, None, :2], b[None, :, :2])
    rb = np.minimum(a[:, None, 2:], b[None, :, 2:])
    return a, b, np.prod(np.clip(rb - lt, 0, None), axis=2)


def numpy_iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """IoU matrix [len(a), len(b)] of xyxy boxes."""
    a, b, inter = _intersections(a, b)
    area_a = np.prod(a[:, 2:] - a[:, :2], axis=1)
    area_b = np.prod(b[:, 2:] - b[:, :2], axis=1)
    union = area_a[:, None] + area_b[None, :] - inter
    return np.where(union > 0, inter / np.maximum(union, 1e-12), 0.0)


def numpy_coverage(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """[len(a), len(b)]: the share of each box of `a` that lies inside each box of `b` (COCOeval's IoU against a
    crowd box)."""
    a, b, inter = _intersections(a, b)
    return inter / np.maximum(np.prod(a[:, 2:] - a[:, :2], axis=1), 1e-12)[:, None]


def nms(boxes: np.ndarray, scores: np.ndarray, iou_threshold: float, max_keep: int = None) -> np.ndarray:
    """Greedy NMS; returns kept indices in descending score order (at most max_keep of them)."""
    order = np.argsort(-scores, kind="stable")
    keep = []
    while order.size and (max_keep is None or len(keep) < max_keep):
        best = order[0]
        keep.append(best)
        if order.size == 1:
            break
        ious = numpy_iou(boxes[best:best + 1], boxes[order[1:]])[0]
        order = order[1:][ious <= iou_threshold]
    return np.asarray(keep, dtype=np.int64)


def postprocess(output: np.ndarray, conf_threshold: float = 0.25, iou_threshold: float = 0.45,
                max_det: int = 100, max_candidates: int = 3000) -> List[np.ndarray]:
    """Model output [B, 4+nc, N] -> per image an array [K, 6]: x1, y1, x2, y2, score, class (input pixels).

    Each location keeps its best class only (what the Java detector does), then class-aware NMS.
    """
    output = np.asarray(output, dtype=np.float32)
    results = []
    for pred in output:
        boxes, scores = pred[:4].T, pred[4:].T
        classes = scores.argmax(1)
        best = scores[np.arange(len(scores)), classes]
        mask = best > conf_threshold
        boxes, best, classes = cxcywh_to_xyxy(boxes[mask]), best[mask], classes[mask]
        if len(best) > max_candidates:
            top = np.argsort(-best, kind="stable")[:max_candidates]
            boxes, best, classes = boxes[top], best[top], classes[top]
        # Offsetting boxes by class keeps NMS from suppressing across classes in one pass.
        offset = classes[:, None].astype(np.float32) * (float(np.abs(boxes).max()) + 1.0 if len(boxes) else 0.0)
        keep = nms(boxes + offset, best, iou_threshold, max_det)
        results.append(np.concatenate((boxes[keep], best[keep, None], classes[keep, None].astype(np.float32)), 1)
                       if len(keep) else np.zeros((0, 6), np.float32))
    return results
