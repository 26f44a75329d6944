"""Medians of `strix bench --json` files, one markdown row per camera count (bench/end-to-end/run.sh)."""
import json
import statistics
import sys

runs = {}
for path in sys.argv[1:]:
    with open(path) as f:
        for run in json.load(f)["runs"]:
            runs.setdefault((run["fps"], run["cameras"]), []).append(run)

print("| cameras | fps/camera | runs | captured fps | detected fps | skipped % | p50 ms | p95 ms | p99 ms "
      "| detections p50 ms | CPU %/camera | process CPU % | others' CPU % | sustained |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
for (fps, cameras), rs in sorted(runs.items()):
    def median(get):
        return statistics.median(get(r) for r in rs)
    print(f"| {cameras} | {fps} | {len(rs)} | {median(lambda r: r['capturedFps']):.1f} "
          f"| {median(lambda r: r['detectedFps']):.1f} | {median(lambda r: r['skippedPercent']):.2f} "
          f"| {median(lambda r: r['latencyMillis']['p50']):.0f} | {median(lambda r: r['latencyMillis']['p95']):.0f} "
          f"| {median(lambda r: r['latencyMillis']['p99']):.0f} "
          f"| {median(lambda r: r['latencyMillis']['toDetectionsP50']):.0f} "
          f"| {median(lambda r: r['cpuPercentPerCamera']):.0f} "
          f"| {median(lambda r: 100 * r['cpuSeconds'] / r['seconds']):.0f} "
          f"| {median(lambda r: r['otherCpuPercent']):.0f} | {sum(r['sustained'] for r in rs)}/{len(rs)} |")
