#!/usr/bin/env bash
# The aggregator's tracker over the detections that compare_tracks.sh's runs saved, under tracker settings of your
# choice: a tracker idea screened on eight seeds of two models in a minute instead of a 25-minute gate run.
#
#   model/replay_tracks.sh [--iou X] [--set "name=value,..."]... RUN_DIR...
#   e.g. model/replay_tracks.sh --set newTrackScore=0.45 --set confirmHits=3 /tmp/tmp.X/baseline-{5..12} /tmp/tmp.X/candidate0-{5..12}
#
# RUN_DIR is one TrackingAccuracyIT dump (STRIX_TRACKING_DUMP: SCENE/gt.txt and det.txt); names are TrackerConfig's
# components (the shipped values are the aggregator's defaults). Prints, per model (the run's name before the last '-',
# with its folder's name when the runs come from several folders) and setting, MOTA + IDF1 summed over its runs, the
# change from the shipped settings, false positives, misses and ID switches. The figures differ from the IT's by the
# dump's rounding (up to 0.012 summed over eight seeds). The code: it-tests/src/test/java/io/strix/it/TrackReplay.java.
# Needs the project installed (./mvnw -B -ntp install -DskipTests).
set -euo pipefail
cd "$(dirname "$0")/.."
CP=$PWD/it-tests/target/replay-classpath.txt
mkdir -p it-tests/target
./mvnw -B -ntp -o -q -pl it-tests test-compile dependency:build-classpath -Dmdep.outputFile="$CP" > /dev/null
exec java -cp "it-tests/target/test-classes:$(cat "$CP")" io.strix.it.TrackReplay "$@"
