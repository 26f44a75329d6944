#!/usr/bin/env bash
# Detector pipeline throughput against a bare ONNX Runtime loop on the same model, threads, batch and input.
# Usage: bench/detector/run.sh [--model FILE] [--threads N] [--batch N] [--frames N] [--rounds N]
#                              [--frame-size WxH] [--spin true|false] [--jpeg-decode scaled|full] [--commit-interval-ms MS] [--sweep 1,2,4,8,16] [--sweep-frames N]
# Extra Maven flags (e.g. -o for offline) in BENCH_MAVEN_FLAGS. See README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
module=services/detector
# test-compile also generates the test models (src/test/python/make_fixtures.py) when they are missing.
./mvnw -q ${BENCH_MAVEN_FLAGS:-} -pl "$module" test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
exec java -Xmx2g -cp "$module/target/test-classes:$module/target/classes:$(cat "$module/target/bench-classpath.txt")" \
    io.strix.detector.bench.DetectorBenchmark --fixtures "$module/target/fixtures" "$@"
