#!/usr/bin/env bash
# New weights as a candidate for models/: export every shipped input size and score each on both fresh val sets.
#
#   model/candidate.sh WEIGHTS.pt OUT_DIR     # export.py at each size into OUT_DIR, then eval.py on each file
#   model/candidate.sh --score models OUT_DIR # score existing files (models/scores holds the shipped ones' logs)
#   /usr/bin/python3 model/compare.py --candidate OUT_DIR   # the ship rule's verdict against models/scores
#
# OUT_DIR gets mobilevit-yolo-xxs-SIZE.onnx + parity fixture (export) and eval-SIZE.log (eval.py's output).
# Shipping copies the files into models/ and the logs into models/scores/ (model/tests/test_card.py checks that
# the logs name the shipped files' version and that the card's table shows their figures).
# Two eval queues of one thread each (2 cores: about 17 minutes for the five sizes on the 692 images).
# DATA (default data/camsim-fresh-pooled.yaml) and SIZES override; the fresh sets are built as models/README.md says.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-/usr/bin/python3}
DATA=${DATA:-data/camsim-fresh-pooled.yaml}
SIZES=${SIZES:-384x256 448x256 320 576x320 320x192}   # two queues: first half, second half
PARITY_IMAGE=${PARITY_IMAGE:-data/camsim-fresh-val/images/val/000012.jpg}

usage() { echo "usage: model/candidate.sh (WEIGHTS.pt | --score ONNX_DIR) OUT_DIR" >&2; exit 2; }
[[ ( $# -eq 2 && $1 != --score ) || ( $# -eq 3 && $1 == --score ) ]] || usage
[[ -f $DATA ]] || { echo "candidate.sh: $DATA not found (build the fresh sets: models/README.md)" >&2; exit 2; }

if [[ $1 == --score ]]; then
  SRC=$2; OUT=$3
else
  WEIGHTS=$1; OUT=$2; SRC=$OUT
  mkdir -p "$OUT"
  for S in $SIZES; do
    "$PY" model/export.py --threads 2 --weights "$WEIGHTS" --imgsz "$S" --out "$OUT/mobilevit-yolo-xxs-$S.onnx" \
        --parity-image "$PARITY_IMAGE" > "$OUT/export-$S.log" 2>&1 \
      || { echo "candidate.sh: export at $S failed, see $OUT/export-$S.log" >&2; exit 1; }
  done
fi
mkdir -p "$OUT"

score() {
  for S in "$@"; do
    "$PY" model/eval.py --threads 1 --onnx "$SRC/mobilevit-yolo-xxs-$S.onnx" --data "$DATA" > "$OUT/eval-$S.log" 2>&1 \
      || { echo "candidate.sh: eval at $S failed, see $OUT/eval-$S.log" >&2; return 1; }
    echo "$S: $(tail -1 "$OUT/eval-$S.log")"
  done
}
read -r -a ALL <<< "$SIZES"
score "${ALL[@]:0:$(( (${#ALL[@]} + 1) / 2 ))}" & first=$!
score "${ALL[@]:$(( (${#ALL[@]} + 1) / 2 ))}" & second=$!
rc=0; wait $first || rc=1; wait $second || rc=1; exit $rc
