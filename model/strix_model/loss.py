"""Detection loss: task-aligned assignment (TOOD), BCE class loss, CIoU box loss and DFL."""
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F

from .boxes import box_iou, complete_iou
from .detector import MobileViTYOLO, dfl_expectation


@dataclass
class LossWeights:
    box: float = 7.5
    cls: float = 0.5
    dfl: float = 1.5


class TaskAlignedAssigner:
    """Picks, per ground-truth box, the top-k anchors inside it by score^alpha * IoU^beta.

    Soft class targets are the alignment metric rescaled so each box's best anchor gets its best IoU:
    the class score learns to predict localisation quality, which is what NMS then ranks by.

    A box smaller than the finest stride can lie between anchor centres and contain none (at 320 px, a quarter of
    camsim's labels: a third of its people and dogs). TOOD/YOLOv8 leave such a box without a positive, so every
    anchor near it learns "background" for its class; here the finest-stride anchor nearest its centre becomes its
    candidate instead (FCOS/YOLOX centre sampling, limited to boxes that need it).
    """

    def __init__(self, topk: int = 10, alpha: float = 0.5, beta: float = 6.0, eps: float = 1e-9):
        self.topk, self.alpha, self.beta, self.eps = topk, alpha, beta, eps

    @torch.no_grad()
    def __call__(self, pred_scores: torch.Tensor, pred_boxes: torch.Tensor, points: torch.Tensor,
                 gt_labels: torch.Tensor, gt_boxes: torch.Tensor, gt_mask: torch.Tensor,
                 point_strides: Optional[torch.Tensor] = None):
        """pred_scores [B,N,C] (sigmoid), pred_boxes [B,N,4] xyxy px, points [N,2] px,
        gt_labels [B,M] long, gt_boxes [B,M,4] xyxy px, gt_mask [B,M] bool, point_strides [N] or [N,1] (the
        fallback for boxes without an anchor inside looks at the finest stride's anchors only; all when None).
        Returns target boxes [B,N,4], target scores [B,N,C], foreground mask [B,N]."""
        batch, count, classes = pred_scores.shape
        if gt_boxes.shape[1] == 0:
            return (torch.zeros_like(pred_boxes), torch.zeros_like(pred_scores),
                    torch.zeros(batch, count, dtype=torch.bool, device=pred_scores.device))
        # Which anchor centres fall inside which box: [B, M, N]
        x, y = points[:, 0].view(1, 1, -1), points[:, 1].view(1, 1, -1)
        inside = ((x - gt_boxes[..., 0:1] > self.eps) & (y - gt_boxes[..., 1:2] > self.eps)
                  & (gt_boxes[..., 2:3] - x > self.eps) & (gt_boxes[..., 3:4] - y > self.eps))
        candidates = inside & gt_mask.unsqueeze(-1)
        empty = gt_mask & ~inside.any(-1)  # [B, M]: real boxes no anchor centre falls into
        if empty.any():
            centres = (gt_boxes[..., :2] + gt_boxes[..., 2:]) / 2  # [B, M, 2]
            distance = (points.view(1, 1, -1, 2) - centres.unsqueeze(2)).square().sum(-1)  # [B, M, N]
            if point_strides is not None:
                finest = point_strides.view(-1) == point_strides.min()
                distance = distance.masked_fill(~finest.view(1, 1, -1), float("inf"))
            nearest = F.one_hot(distance.argmin(-1), count).bool()  # [B, M, N]
            candidates = candidates | (nearest & empty.unsqueeze(-1))

        overlaps = box_iou(gt_boxes.unsqueeze(2), pred_boxes.unsqueeze(1)).clamp(min=0) * candidates
        labels = gt_labels.clamp(min=0)
        scores = torch.gather(pred_scores.transpose(1, 2), 1, labels.unsqueeze(-1).expand(-1, -1, count))
        metric = scores.pow(self.alpha) * overlaps.pow(self.beta) * candidates

        k = min(self.topk, count)
        top_values, top_index = metric.topk(k, dim=-1)
        selected = torch.zeros_like(metric, dtype=torch.bool).scatter_(-1, top_index, top_values > self.eps)
        positive = selected & candidates  # [B, M, N]

        # An anchor claimed by several boxes goes to the one it overlaps most.
        claims = positive.sum(1)  # [B, N]
        if (claims > 1).any():
            best_gt = overlaps.argmax(1)  # [B, N]
            only_best = F.one_hot(best_gt, gt_boxes.shape[1]).permute(0, 2, 1).bool()
            positive = torch.where((claims > 1).unsqueeze(1), only_best, positive)
        foreground = positive.any(1)
        gt_index = positive.float().argmax(1)  # [B, N]

        target_boxes = torch.gather(gt_boxes, 1, gt_index.unsqueeze(-1).expand(-1, -1, 4))
        target_labels = torch.gather(labels, 1, gt_index)
        metric = metric * positive
        best_metric = metric.amax(-1, keepdim=True)
        best_overlap = (overlaps * positive).amax(-1, keepdim=True)
        normalized = (metric * best_overlap / (best_metric + self.eps)).amax(1)  # [B, N]
        target_scores = F.one_hot(target_labels, classes).float() * (normalized * foreground).unsqueeze(-1)
        return target_boxes, target_scores, foreground


def targets_to_padded(targets: torch.Tensor, batch: int) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Collated targets [K, 6] (image index, class, x1, y1, x2, y2 px) -> labels [B,M], boxes [B,M,4], mask."""
    device = targets.device
    if targets.numel() == 0:
        return (torch.zeros(batch, 0, dtype=torch.long, device=device),
                torch.zeros(batch, 0, 4, device=device), torch.zeros(batch, 0, dtype=torch.bool, device=device))
    order = torch.sort(targets[:, 0], stable=True).indices  # group by image, keeping each image's box order
    targets = targets[order]
    image = targets[:, 0].long()
    counts = torch.bincount(image, minlength=batch)
    most = int(counts.max())
    labels = torch.full((batch, most), -1, dtype=torch.long, device=device)
    boxes = torch.zeros(batch, most, 4, device=device)
    first = torch.cumsum(counts, 0) - counts  # index of each image's first box in the sorted targets
    slot = torch.arange(len(image), device=device) - first[image]
    labels[image, slot] = targets[:, 1].long()
    boxes[image, slot] = targets[:, 2:6]
    return labels, boxes, labels >= 0


class DetectionLoss:
    """Computes the training loss of a `MobileViTYOLO` from its raw (training-mode) outputs."""

    def __init__(self, model: MobileViTYOLO, weights: LossWeights = LossWeights(), topk: int = 10,
                 class_weights: Optional[Sequence[float]] = None):
        """class_weights: one per class, multiplying the positive term of that class's BCE (`pos_weight`), so a
        rare class's objects pull harder against the background's negatives (see data.class_loss_weights); None:
        every class 1. The box and DFL terms are not weighted."""
        self.reg_max = model.reg_max
        self.num_classes = model.num_classes
        self.model = model
        self.weights = weights
        self.assigner = TaskAlignedAssigner(topk=topk)
        self.class_weights = None
        if class_weights is not None:
            if len(class_weights) != self.num_classes:
                raise ValueError(f"{len(class_weights)} class weights for {self.num_classes} classes")
            self.class_weights = torch.as_tensor(class_weights, dtype=torch.float32)

    def __call__(self, raw: List[torch.Tensor], targets: torch.Tensor) -> Tuple[torch.Tensor, Dict[str, float]]:
        batch = raw[0].shape[0]
        box_logits, cls_logits = self.model.flatten(raw)
        box_logits = box_logits.float()
        cls_logits = cls_logits.float().transpose(1, 2)  # [B, N, C]
        points, stride = self.model.anchors_for(raw)  # grid units, [N, 1]

        dist = dfl_expectation(box_logits, self.reg_max).transpose(1, 2)  # [B, N, 4] grid units
        pred_boxes = torch.cat((points - dist[..., :2], points + dist[..., 2:]), -1)  # grid units

        labels, gt_boxes, gt_mask = targets_to_padded(targets.to(cls_logits.device), batch)
        target_boxes, target_scores, foreground = self.assigner(
            cls_logits.detach().sigmoid(), (pred_boxes.detach() * stride).to(gt_boxes.dtype),
            points * stride, labels, gt_boxes, gt_mask, stride)
        score_sum = target_scores.sum().clamp(min=1.0)

        pos_weight = None if self.class_weights is None else self.class_weights.to(cls_logits.device)
        loss_cls = F.binary_cross_entropy_with_logits(cls_logits, target_scores, reduction="sum",
                                                      pos_weight=pos_weight) / score_sum
        loss_box = torch.zeros((), device=cls_logits.device)
        loss_dfl = torch.zeros((), device=cls_logits.device)
        if foreground.any():
            weight = target_scores.sum(-1)[foreground]
            target_grid = target_boxes / stride  # broadcasts [B,N,4] / [N,1]
            ciou = complete_iou(pred_boxes[foreground], target_grid[foreground])
            loss_box = ((1.0 - ciou) * weight).sum() / score_sum
            p = points.unsqueeze(0).expand(batch, -1, -1)[foreground]
            sides = torch.cat((p - target_grid[foreground][:, :2], target_grid[foreground][:, 2:] - p), -1)
            sides = sides.clamp(0, self.reg_max - 1 - 0.01)
            logits = box_logits.transpose(1, 2).reshape(batch, -1, 4, self.reg_max)[foreground]
            loss_dfl = (self._dfl(logits, sides) * weight.unsqueeze(-1)).sum() / score_sum / 4
        total = self.weights.box * loss_box + self.weights.cls * loss_cls + self.weights.dfl * loss_dfl
        # Parts are detached tensors, not floats: turning them into numbers would wait for the GPU every step.
        return total, {"box": loss_box.detach(), "cls": loss_cls.detach(), "dfl": loss_dfl.detach()}

    @staticmethod
    def _dfl(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """Distribution focal loss: cross-entropy on the two bins around the continuous target."""
        left = target.long()
        right = left + 1
        weight_left = right.float() - target
        weight_right = 1.0 - weight_left
        log_prob = F.log_softmax(logits, -1)
        return -(log_prob.gather(-1, left.unsqueeze(-1)).squeeze(-1) * weight_left
                 + log_prob.gather(-1, right.unsqueeze(-1)).squeeze(-1) * weight_right)
