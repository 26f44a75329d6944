#!/usr/bin/env bash
# Train MobileViT-YOLO on a lent GPU inside a fixed slot, e.g. the device tool's 15 minutes:
#
#   model/gpu_train.sh DATA.yaml OUT_DIR [TRAIN_SECONDS [INIT.pt]]
#
# model/gpu_prepare.sh builds DATA and INIT.pt in .gpu-data/ and prints the command. INIT.pt: fine-tune from its
# weights with a shorter warm-up instead of training from scratch (train.py --init). First a one-epoch smoke run
# (fails within a minute if CUDA, the data or the loop is broken), then the real run with --time-limit: epochs are
# planned from measured speed and the cosine schedule ends inside the slot.
# OUT_DIR receives train.log, run/results.csv, run/best.pt (its EMA weights only: 7.8 MB for XXS, 13.7 MB for XS)
# and last.pt split into 15 MB parts (join with `cat last.pt.part-* > last.pt`, then `train.py --resume`). The device
# returns at most 64 MiB: where both do not fit (XS: last.pt is 54 MB), best.pt is left out and last.pt's EMA weights,
# the schedule's end, are the result. Environment: IMGSZ (320; S or WxH), BATCH (128), DEVICE (cuda), TRAIN_ARGS
# (more train.py flags, e.g. "--variant xs"), PYTHON.
set -euo pipefail
usage="usage: gpu_train.sh DATA.yaml OUT_DIR [TRAIN_SECONDS [INIT.pt]]"
data=${1:?$usage}
out=${2:?$usage}
seconds=${3:-420}
init=${4:-}
export PYTHONUNBUFFERED=1
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
{ nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || echo "no nvidia-smi"; } | tee "$out/train.log"
"${PYTHON:-python3}" -c 'import torch, numpy; print("torch", torch.__version__, "cuda", torch.cuda.is_available(), "numpy", numpy.__version__)' | tee -a "$out/train.log"
workers=$(( $(nproc) > 2 ? $(nproc) - 2 : 1 ))
recipe=(--variant xxs --imgsz "${IMGSZ:-320}" --batch "${BATCH:-128}" --device "${DEVICE:-cuda}" --workers "$workers" --mosaic 0.5
        --lr-start 0.0002 --lr-max 0.003 --lr-min 0.00005 --warmup-epochs 3 --val-batch 64 --log-interval 30)
if [[ -n "$init" ]]; then
    recipe+=(--init "$init" --lr-max 0.0015 --warmup-epochs 1)  # later flags win in argparse
fi
recipe+=(${TRAIN_ARGS:-})  # more train.py flags, e.g. TRAIN_ARGS="--repeat-threshold 0.4"
echo "== smoke: one epoch" | tee -a "$out/train.log"
"${PYTHON:-python3}" "$here/train.py" --data "$data" "${recipe[@]}" --epochs 1 --out /tmp/strix-smoke 2>&1 | tail -n 12 | tee -a "$out/train.log"
echo "== training for ${seconds}s" | tee -a "$out/train.log"
"${PYTHON:-python3}" "$here/train.py" --data "$data" "${recipe[@]}" --epochs 1000 --val-every 10 --time-limit "$seconds" \
    --out "$out/run" 2>&1 | tee -a "$out/train.log"
PYTHONPATH="$here" "${PYTHON:-python3}" -c 'import sys, torch
from strix_model.checkpoint import load_checkpoint, weights_only
torch.save(weights_only(load_checkpoint(sys.argv[1])), sys.argv[1])' "$out/run/best.pt"
split -b 15M -d "$out/run/last.pt" "$out/last.pt.part-" && rm "$out/run/last.pt"
if (( $(du -sb "$out" | cut -f1) > 64 * 1024 * 1024 )); then
  rm "$out/run/best.pt"
  echo "run/best.pt left out: with last.pt's parts it is over the 64 MiB the device returns" | tee -a "$out/train.log"
fi
ls -la "$out" "$out/run"
