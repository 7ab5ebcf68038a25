#!/usr/bin/env bash
# Start-up benchmark (issue 17): starts gamewire on the embedded stack (Qpid Broker-J, H2, KV store,
# cache, all in-process; config/ and dsl-yaml/ of this checkout) again and again and prints, for each
# start, the wall time from launching `java` to the first `GET /observe/health` answering
# {"status":"UP"}, and the CPU time (user + system, /proc/PID/stat) the JVM had used by then.
#
# Each round does, for every variant in turn (A B A B ..., so the machine's noise falls on all alike):
#   first   - a start on an empty data folder (broker store, H2 database, KV store made from nothing)
#   restart - a second start on the data folder the first one left
# and the summary gives the median of each over the rounds.
#
# usage: bench/run-startup-bench.sh [-n ROUNDS] [-v 'LABEL|JAR|JVM OPTIONS'] ...
#   -n ROUNDS   starts of each kind per variant (default 5)
#   -v VARIANT  a jar and the JVM options to start it with; repeat for an interleaved comparison.
#               Default: 'current|routes/target/gamewire.jar|'. Example, main's jar against this
#               one:  -v 'before|/tmp/startup-before.jar|' -v 'after|routes/target/gamewire.jar|'
#               Options are split on spaces (no quoting inside); '@DATA' stands for the variant's
#               data folder, e.g. -v 'cds|routes/target/gamewire.jar|-XX:SharedArchiveFile=@DATA/gw.jsa'
# environment: HTTP_PORT (28080), TCP_PORT (27000), BROKER_PORT (25673): ports of the runs, away from
#   the defaults of a gamewire someone else runs (never 5672); WORK (/tmp/startup-bench-$$): data
#   folders and logs, deleted at the end unless KEEP=1; TIMEOUT (120): seconds to wait for UP.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=lib/gamewire.sh
source bench/lib/gamewire.sh  # bench_cpu_seconds, bench_median

rounds=5
variants=()
while getopts "n:v:h" opt; do
  case "$opt" in
    n) rounds="$OPTARG" ;;
    v) variants+=("$OPTARG") ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 2 ;;
  esac
done
[[ ${#variants[@]} -eq 0 ]] && variants=("current|routes/target/gamewire.jar|")

http_port="${HTTP_PORT:-28080}"
tcp_port="${TCP_PORT:-27000}"
broker_port="${BROKER_PORT:-25673}"
work="${WORK:-/tmp/startup-bench-$$}"
timeout_s="${TIMEOUT:-120}"
mkdir -p "$work"
results="$work/results.txt"
: >"$results"

pid=""
cleanup() {
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; fi
  [[ "${KEEP:-0}" == 1 ]] || rm -rf "$work"
}
trap cleanup EXIT

now_ms() { date +%s%3N; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# one_start LABEL KIND JAR DATA OPTIONS: starts, waits for UP, records, stops
one_start() {
  local label="$1" kind="$2" jar="$3" data="$4" opts="$5"
  local p
  for p in "$http_port" "$tcp_port" "$broker_port"; do
    for _ in $(seq 100); do port_free "$p" && break; sleep 0.1; done
  done
  # shellcheck disable=SC2206
  local jvm=(${opts//@DATA/$data})
  local log="$work/$label-$kind.log"
  local t0 t1 cpu
  t0="$(now_ms)"
  (
    export GAMEWIRE_HTTP_PORT="$http_port" GAMEWIRE_TCP_PORT="$tcp_port"
    export GAMEWIRE_BROKER_EMBEDDED_PORT="$broker_port" GAMEWIRE_DATA_DIR="$data/data"
    exec java "${jvm[@]}" -jar "$jar"
  ) >>"$log" 2>&1 &
  pid=$!
  while :; do
    if curl -s -m 1 "http://127.0.0.1:$http_port/observe/health" 2>/dev/null | grep -q '"status":"UP"'; then
      t1="$(now_ms)"; cpu="$(bench_cpu_seconds "$pid")"
      break
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -20 "$log" >&2; echo "startup-bench: gamewire ($label, $kind) stopped while starting" >&2; exit 1
    fi
    if (( $(now_ms) - t0 > timeout_s * 1000 )); then
      echo "startup-bench: gamewire ($label, $kind) not UP within $timeout_s s (log $log)" >&2; exit 1
    fi
    sleep 0.05
  done
  local wall
  wall="$(awk -v ms=$((t1 - t0)) 'BEGIN { printf "%.2f", ms / 1000 }')"
  printf '%-10s %-8s wall %6s s  cpu %6s s\n' "$label" "$kind" "$wall" "$cpu"
  echo "$label $kind $wall $cpu" >>"$results"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
}

echo "== start-up bench: $rounds rounds; ports http $http_port tcp $tcp_port broker $broker_port; work $work"
echo "== java: $(java -version 2>&1 | head -1); cores: $(nproc); load: $(cut -d' ' -f1-3 /proc/loadavg)"
for v in "${variants[@]}"; do echo "== variant: $v"; done
for r in $(seq "$rounds"); do
  for v in "${variants[@]}"; do
    IFS='|' read -r label jar opts <<<"$v"
    data="$work/$label"
    rm -rf "$data/data"; mkdir -p "$data"
    one_start "$label" first "$jar" "$data" "$opts"
    one_start "$label" restart "$jar" "$data" "$opts"
  done
done

echo "== medians over $rounds rounds (load now: $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-10s %-8s %10s %10s %10s\n' variant kind "wall s" "cpu s" "min wall"
for v in "${variants[@]}"; do
  IFS='|' read -r label _ _ <<<"$v"
  for kind in first restart; do
    wall="$(awk -v l="$label" -v k="$kind" '$1 == l && $2 == k { print $3 }' "$results" | bench_median)"
    cpu="$(awk -v l="$label" -v k="$kind" '$1 == l && $2 == k { print $4 }' "$results" | bench_median)"
    low="$(awk -v l="$label" -v k="$kind" '$1 == l && $2 == k { print $3 }' "$results" | sort -g | head -1)"
    printf '%-10s %-8s %10s %10s %10s\n' "$label" "$kind" "$wall" "$cpu" "$low"
    # one line for scripts (bench/run-all.sh reads the first variant's first start)
    echo "RESULT variant=$label kind=$kind median_s=$wall cpu_s=$cpu" >>"$work/result-lines"
  done
done
cat "$work/result-lines"
