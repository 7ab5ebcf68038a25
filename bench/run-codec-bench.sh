#!/usr/bin/env bash
# Builds the JMH benchmarks jar and runs the EnvelopeCodec vs Jackson benchmarks.
# Arguments go to JMH, e.g.:
#   bench/run-codec-bench.sh                  # all four, settings from the annotations (~1.5 min)
#   bench/run-codec-bench.sh -prof gc         # plus allocation per operation
#   bench/run-codec-bench.sh 'gwp.*' -prof stack
# Set SKIP_BUILD=1 to run an already built bench/target/benchmarks.jar.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  # -am builds binary-protocol into its target/ only; nothing is installed into ~/.m2
  mvn -B -q -Pbench package -pl bench -am -DskipTests
fi

if [[ $# -eq 0 || "$1" == -* ]]; then
  set -- 'io.gamewire.bench.EnvelopeCodecBenchmark' "$@"
fi
java -version 2>&1 | head -1
exec java -jar bench/target/benchmarks.jar "$@"
