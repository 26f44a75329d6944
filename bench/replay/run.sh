#!/usr/bin/env bash
# strix replay throughput on recorded traffic, with the real jar: an embedded broker, two camsim cameras (640x360,
# 5 fps) through `strix ingest` and `strix detector` for SECONDS (default 28, about 200 frames), then
# `strix replay --from -10m` of the shipped model ROUNDS times (default 3) at the default settings and, interleaved,
# with one ONNX Runtime thread (--threads 1), then once at --confidence 0.4. Prints each replay's table; the
# throughput lines are the figures. Usage: bench/replay/run.sh [SECONDS] [ROUNDS]
# REPLAY_FLAGS adds flags to every replay (e.g. "--batch 1").
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-28}
rounds=${2:-3}
strix=${STRIX:-./strix}
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

await() { # FILE TEXT: wait up to 120 s for TEXT in FILE
  for _ in $(seq 1 240); do grep -q "$2" "$1" && return 0; sleep 0.5; done
  echo "timed out waiting for '$2' in $1" >&2; exit 1
}

$strix kafka --port 0 --data-dir "$work/kafka" > "$work/kafka.out" 2> "$work/kafka.log" &
pids+=($!)
await "$work/kafka.out" "Kafka ready at"
bootstrap=$(sed -n 's/.*Kafka ready at \([^ ]*\).*/\1/p' "$work/kafka.out" | head -1)

$strix detector --bootstrap-servers "$bootstrap" --http-port 0 --topic-partitions 3 \
  > "$work/detector.out" 2> "$work/detector.log" &
detector=$!
pids+=($detector)
await "$work/detector.out" "Detector ready"
$strix ingest --bootstrap-servers "$bootstrap" --http-port 0 --topic-partitions 3 \
  --camera 'street=sim://street?seed=1&fps=5&size=640x360' \
  --camera 'crossing=sim://crossing?seed=2&fps=5&size=640x360' > "$work/ingest.out" 2> "$work/ingest.log" &
ingest=$!
pids+=($ingest)
sleep "$seconds"
kill -TERM "$ingest"; wait "$ingest" || true
sleep 8 # the detector catches up
kill -TERM "$detector"; wait "$detector" || true

replay() {
  $strix replay --bootstrap-servers "$bootstrap" --from -10m --model models/mobilevit-yolo-xxs-384x256.onnx \
    ${REPLAY_FLAGS:-} "$@" \
    2> "$work/replay.log" || { cat "$work/replay.log" >&2; exit 1; }
}
for round in $(seq 1 "$rounds"); do
  echo "== round $round: the shipped model at production's settings"
  replay --output-topic strix.detections.shadow
  echo "== round $round: the same with --threads 1"
  replay --output-topic strix.detections.shadow --threads 1
done
echo "== the shipped model at --confidence 0.4"
replay --output-topic strix.detections.strict --confidence 0.4
