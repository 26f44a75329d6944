#!/usr/bin/env bash
# The tracks half of the ship rule: a candidate's 384x256 file against the shipped default model, as tracks.
#
#   model/compare_tracks.sh CANDIDATE_DIR_OR_ONNX [BASELINE_ONNX]
#
# Runs it-tests' TrackingAccuracyIT (camsim's four demo scenes -> the detector's pipeline -> the aggregator's
# ByteTracker, scored against ground truth) on scene seeds 5 and 6 for the baseline (default: the shipped model in the
# detector jar) and the candidate (STRIX_DETECTOR_MODEL), prints MOTA / IDF1 / ID switches of each, and says "keep"
# when the candidate's MOTA + IDF1 falls more than TOLERANCE (default 0.01) below the baseline's on either seed, else
# "passes"; below the table, each run's false positives by the class the tracker gave each false track. compare.py
# judges the mAP; new weights ship when both pass (models/README.md, "Tracks").
# Needs the project installed in ~/.m2 (./mvnw -B -ntp install -DskipTests; the baseline by default is the model that
# install put in the detector jar, i.e. models/ as it was then); about 2 minutes per run, 4 runs.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# -ge 1 && $# -le 2 ]] || { echo "usage: model/compare_tracks.sh CANDIDATE_DIR_OR_ONNX [BASELINE_ONNX]" >&2; exit 2; }
CANDIDATE=$1
[[ -d $CANDIDATE ]] && CANDIDATE=$CANDIDATE/mobilevit-yolo-xxs-384x256.onnx
[[ -f $CANDIDATE ]] || { echo "compare_tracks.sh: $CANDIDATE not found" >&2; exit 2; }
BASELINE=${2:-}
[[ -z $BASELINE || -f $BASELINE ]] || { echo "compare_tracks.sh: $BASELINE not found" >&2; exit 2; }
TOLERANCE=${TOLERANCE:-0.01}
SEEDS=${SEEDS:-5 6}
OUT=$(mktemp -d)
REPORT=it-tests/target/failsafe-reports/io.strix.it.TrackingAccuracyIT-output.txt

# One run: prints "MOTA IDF1 IDSW" of the four scenes together. The IT's own floors may fail it; the figures count.
tracks() { # model-file-or-empty seed name
  rm -f "$REPORT"
  local model=(-u STRIX_DETECTOR_MODEL)  # the shipped default
  [[ -n $1 ]] && model=("STRIX_DETECTOR_MODEL=$(realpath "$1")")
  env "${model[@]}" STRIX_TRACKING_SEED="$2" ./mvnw -B -ntp -o -q -pl it-tests verify \
      -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
      -Dit.test=TrackingAccuracyIT > "$OUT/$3-$2.log" 2>&1 || true
  [[ -f $REPORT ]] || { echo "compare_tracks.sh: no tracks for $3 (seed $2), see $OUT/$3-$2.log" >&2; exit 1; }
  cp "$REPORT" "$OUT/$3-$2.txt"
  awk '$1 == "all" { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
                     print v["MOTA"], v["IDF1"], v["IDsw"]; found = 1 }
       END { if (!found) exit 1 }' "$REPORT" \
    || { echo "compare_tracks.sh: no 'all' line in $OUT/$3-$2.txt" >&2; exit 1; }
}

echo "| seed | baseline MOTA / IDF1, ID switches | candidate | MOTA + IDF1 change | verdict |"
echo "|---|---|---|---|---|"
verdict=passes
for SEED in $SEEDS; do
  baseline=$(tracks "$BASELINE" "$SEED" baseline)
  candidate=$(tracks "$CANDIDATE" "$SEED" candidate)
  read -r bm bi bs <<< "$baseline"
  read -r cm ci cs <<< "$candidate"
  line=$(awk -v bm="$bm" -v bi="$bi" -v cm="$cm" -v ci="$ci" -v t="$TOLERANCE" 'BEGIN {
    d = (cm + ci) - (bm + bi); printf "%+.3f %s", d, (d < -t - 1e-9 ? "keep" : "passes") }')
  [[ ${line#* } == keep ]] && verdict=keep
  echo "| $SEED | $bm / $bi, $bs | $cm / $ci, $cs | ${line% *} | ${line#* } |"
done
for SEED in $SEEDS; do  # where the false positives come from: the class the tracker gave each false track
  for WHO in baseline candidate; do
    sed -n "s/^  all .* FP by class: /seed $SEED $WHO false positives by class: /p" "$OUT/$WHO-$SEED.txt"
  done
done
echo "(runs' output: $OUT)"
echo "$verdict"
