#!/usr/bin/env bash
# Repeated `strix bench` runs on a shared machine: for each of ROUNDS rounds, each camera count in turn (interleaved,
# so drift hits every count alike), started only once other processes have used under QUIET% of one core for 10 s,
# and rerun (up to 4 tries) when other processes took over DISTURBED% of one core during its window. Prints the
# medians per camera count (bench/end-to-end/medians.py). Each run's JSON and table stay in OUT.
# Usage: bench/end-to-end/run.sh [FPS] [CAMERA COUNTS...]     e.g. bench/end-to-end/run.sh 3 1 2 4 5 6 7 8
# Environment: ROUNDS (3), WINDOW (30), WARMUP (10), QUIET (25), DISTURBED (20), OUT (a new temporary folder),
# STRIX (./strix; e.g. "java -jar services/app/target/strix.jar" to skip the launcher's build check).
set -euo pipefail
cd "$(dirname "$0")/../.."
fps=${1:-3}
shift || true
counts=("${@:-1 2 4 8}")
counts=(${counts[*]})
strix=${STRIX:-./strix}
out=${OUT:-$(mktemp -d)}
mkdir -p "$out"

busy_ticks() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat; }
wait_quiet() {
  for _ in $(seq 1 360); do
    local a b pct
    a=$(busy_ticks); sleep 10; b=$(busy_ticks)
    pct=$(( (b - a) / 10 )) # 10 ms ticks over 10 s, as % of one core
    if [ "$pct" -lt "${QUIET:-25}" ]; then return 0; fi
    echo "others use ${pct}% of a core (load $(cut -d' ' -f1-3 /proc/loadavg)); waiting" >&2
  done
  echo "the machine never became quiet" >&2
  exit 1
}

for round in $(seq 1 "${ROUNDS:-3}"); do
  for n in "${counts[@]}"; do
    for try in 1 2 3 4; do
      wait_quiet
      name="$out/fps$fps-cameras$n-round$round"
      $strix bench --cameras "$n" --fps "$fps" --warmup "${WARMUP:-10}" --seconds "${WINDOW:-30}" \
        --json "$name.json" > "$name.md" 2> "$name.log"
      others=$(python3 -c "import json,sys; print(round(json.load(open(sys.argv[1]))['runs'][0]['otherCpuPercent']))" \
        "$name.json")
      echo "fps $fps, $n cameras, round $round: others took ${others}% of a core" >&2
      if [ "$others" -le "${DISTURBED:-20}" ]; then break; fi
      mv "$name.json" "$name.json.disturbed$try"
    done
  done
done
python3 bench/end-to-end/medians.py "$out"/fps"$fps"-*.json
echo "runs in $out" >&2
