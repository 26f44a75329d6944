#!/usr/bin/env bash
# Build what a lent GPU's slot needs (model/gpu_train.sh) from the camsim folders in data/, and check that it fits the
# device's upload (64 MiB together with the repository) before the slot's 15 minutes start counting.
#
#   model/gpu_prepare.sh xxs            # the shipped weights (rebuilt from models/'s 384x256 file), fine-tuned
#   model/gpu_prepare.sh xs             # the XS variant from scratch
#   model/gpu_prepare.sh xs|xxs RUN.pt  # a new schedule from a checkpoint's EMA weights (an earlier slot's last.pt)
#
# .gpu-data/camsim-448: seeds 31 and 47 (data/camsim-s31, data/camsim-s47; models/README.md, "Rebuild and continue")
# stored at 448x252 JPEG q70, the first MAX_TRAIN (850) training images of each, seed 31's val split only.
# .gpu-data/init.pt: the start weights as float16 (half the carry; load_state_dict casts them back). Prints the carry
# list and the command for the `run` tool. The images are made again when MAX_TRAIN differs from the folder's.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-/usr/bin/python3}
MAX_TRAIN=${MAX_TRAIN:-850}
LIMIT=$((64 * 1024 * 1024))
variant=${1:-}
init=${2:-}
[[ ($variant == xxs || $variant == xs) && $# -le 2 ]] || { echo "usage: model/gpu_prepare.sh xxs|xs [INIT.pt]" >&2; exit 2; }
[[ -z $init || -f $init ]] || { echo "gpu_prepare.sh: $init not found" >&2; exit 2; }
for seed in 31 47; do
  [[ -f data/camsim-s$seed/data.yaml ]] || {
    echo "gpu_prepare.sh: data/camsim-s$seed not found: ./strix camsim dataset --out data/camsim-s$seed --images 2400" \
         "--seed $seed --val-fraction 0.06" >&2; exit 2; }
done

data=.gpu-data/camsim-448
data_id=camsim-mixed-seed31+seed47-${MAX_TRAIN}+${MAX_TRAIN}train-448x252q70
if ! grep -qx "dataset_id: $data_id" $data/data.yaml 2> /dev/null; then
  rm -rf "$data"
  for seed in 31 47; do
    "$PY" model/shrink_dataset.py --src data/camsim-s$seed --dst $data/s$seed --size 448x252 --quality 70 \
        --max-train "$MAX_TRAIN"
  done
  rm -rf $data/s47/images/val $data/s47/labels/val
  cat > $data/data.yaml <<EOF
train: [s31/images/train, s47/images/train]
val: s31/images/val
nc: 7
$(grep '^names:' data/camsim-s31/data.yaml)
dataset_id: $data_id
EOF
fi
carry=("$data")
rm -f .gpu-data/init.pt
if [[ -n $init ]]; then
  PYTHONPATH=model "$PY" -c 'import sys, torch
from strix_model.checkpoint import load_checkpoint, weights_only
checkpoint = load_checkpoint(sys.argv[1])
torch.save(weights_only(checkpoint, half=True), sys.argv[2])
variant = checkpoint["model_config"]["variant"]
print(f"wrote {sys.argv[2]}: the weights of {sys.argv[1]} ({variant}) as float16")' \
      "$init" .gpu-data/init.pt
elif [[ $variant == xxs ]]; then
  "$PY" model/onnx_to_checkpoint.py --onnx models/mobilevit-yolo-xxs-384x256.onnx --data data/camsim-mix.yaml \
      --out .gpu-data/init.pt
fi
[[ -f .gpu-data/init.pt ]] && carry+=(.gpu-data/init.pt)

# What travels: the working tree (tracked and untracked files git does not ignore) plus the carry.
repo=$(git ls-files -z -co --exclude-standard | xargs -0 stat -c %s | awk '{s += $1} END {print s}')
extra=$(du -sb "${carry[@]}" | awk '{s += $1} END {print s}')
awk -v r="$repo" -v e="$extra" -v l="$LIMIT" \
    'BEGIN {printf "repository %.1f MB + carry %.1f MB = %.1f MB of %.1f MB\n", r / 1e6, e / 1e6, (r + e) / 1e6, l / 1e6}'
if (( repo + extra > LIMIT )); then
  echo "gpu_prepare.sh: over the upload limit: run again with a smaller MAX_TRAIN (e.g. MAX_TRAIN=800)" >&2
  exit 1
fi
list=$(printf '"%s", ' "${carry[@]}")
echo "carry: [${list%, }]"
args="--repeat-threshold 0.4"
[[ $variant == xs ]] && args="--variant xs $args"
echo "command: IMGSZ=448x256 BATCH=64 TRAIN_ARGS=\"$args\" model/gpu_train.sh $data/data.yaml \$OUT 420 ${carry[1]:-}"
