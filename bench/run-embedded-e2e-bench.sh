#!/usr/bin/env bash
# End to end on the embedded stack, per embedded broker store: gamewire with everything embedded
# (Qpid Broker-J on the store of the variant, H2, MVStore, Caffeine) started on a fresh data dir
# once per variant per round, LoadMain sending match_end events over TCP (GWP) while the consumers
# store each one in the events table and in the sinks (SQL table, KV record, cache entry). Counted:
# the events ACKed over TCP (LoadMain's rate) and the events stored during the measured window
# (events.stored_at_ms, read from the H2 file once gamewire stopped). Rounds rotate the order.
#
#   bench/run-embedded-e2e-bench.sh --variant derby=derby --variant bdb=bdb --rounds 3
#
# bench/run-embedded-e2e-bench.sh --help lists the options; bench/README.md has the figures.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# shellcheck source=bench/lib/gamewire.sh
source bench/lib/gamewire.sh

http_port=18080
tcp_port=17000
broker_port=15674
connections=4
in_flight=256
size=256
warmup=10
duration=20
rounds=3
consumers=2
prefetch=250
sinks="sql kv cache"
work=/tmp/store-bench-e2e
names=()
declare -A stores=()

usage() {
  cat <<USAGE
Usage: bench/run-embedded-e2e-bench.sh --variant NAME=STORE --variant ... [options]

  --variant NAME=STORE a variant: its name and gamewire.broker.embedded.store (bdb, derby); the first
                       is the base of the ratios
  --rounds N           rounds, each variant once per round, order rotated (default $rounds)
  --connections N      GWP connections of LoadMain (default $connections)
  --in-flight N        unacknowledged events per connection (default $in_flight)
  --size BYTES         JSON payload per event (default $size)
  --consumers N        consumers of the bench service (default $consumers); --prefetch N (default $prefetch)
  --sinks "S ..."      sinks besides the events row: sql, kv, cache (default "$sinks")
  --warmup SECONDS     not counted (default $warmup)   --duration SECONDS  counted (default $duration)
  --work DIR           data dirs and logs, emptied first (default $work)
Ports: HTTP $http_port, TCP $tcp_port, embedded broker $broker_port. GAMEWIRE_JAVA_OPTS adds JVM options
to gamewire (e.g. a JFR recording: -XX:StartFlightRecording=filename=/tmp/e2e.jfr,settings=profile).
USAGE
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --variant) names+=("${2%%=*}"); stores["${2%%=*}"]="${2#*=}"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --in-flight) in_flight="$2"; shift 2 ;;
    --size) size="$2"; shift 2 ;;
    --consumers) consumers="$2"; shift 2 ;;
    --prefetch) prefetch="$2"; shift 2 ;;
    --sinks) sinks="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
[[ ${#names[@]} -ge 1 ]] || { usage >&2; exit 2; }
bench_require_jars

bench_fresh_work "$work"
api_key="bench-key-$$"
gamewire_pid=""
trap gamewire_stop EXIT

# run_variant NAME ROUND: prints "acked_per_s stored_per_s gamewire_cores" (in a subshell: stops its gamewire itself)
run_variant() {
  local name="$1" round="$2" dir="$work/$1-$2"
  mkdir -p "$dir/config" "$dir/dsl-yaml"
  cp config/application.properties "$dir/config/"
  bench_write_title "$dir/config" "$api_key" "$consumers" "$prefetch" "$sinks"
  (
    export GAMEWIRE_HTTP_PORT="$http_port" GAMEWIRE_TCP_PORT="$tcp_port" GAMEWIRE_BROKER_EMBEDDED_PORT="$broker_port"
    export GAMEWIRE_DATA_DIR="$dir/data" GAMEWIRE_DSL_YAML_DIR="$dir/dsl-yaml"
    # shellcheck disable=SC2086 # GAMEWIRE_JAVA_OPTS holds several options, e.g. a JFR recording
    exec java ${GAMEWIRE_JAVA_OPTS:-} "-Dgamewire.broker.embedded.store=${stores[$name]}" -jar "$work/gamewire.jar" \
      --config "$dir/config"
  ) >"$dir/gamewire.log" 2>&1 &
  gamewire_pid=$!
  for _ in $(seq 120); do
    curl -s -m 2 "http://127.0.0.1:$http_port/observe/health" | grep -q '"UP"' && break
    kill -0 "$gamewire_pid" 2>/dev/null || { tail -20 "$dir/gamewire.log" >&2; echo "gamewire ($name) stopped" >&2; gamewire_pid=""; exit 1; }
    sleep 1
  done
  java -cp bench/target/benchmarks.jar io.gamewire.bench.load.LoadMain tcp --port "$tcp_port" --api-key "$api_key" \
    --routing-key bench.prod.stats.match_end --size "$size" --connections "$connections" \
    --in-flight "$in_flight" --warmup "${warmup}s" --duration "${duration}s" >"$dir/load.log" 2>&1 &
  local load_pid=$! t1 t2 c1 c2
  sleep "$warmup"
  t1="$(date +%s%3N)"; c1="$(bench_cpu_seconds "$gamewire_pid")"
  sleep "$duration"
  t2="$(date +%s%3N)"; c2="$(bench_cpu_seconds "$gamewire_pid")"
  wait "$load_pid" || true
  gamewire_stop
  local stored acked
  stored="$(java -cp bench/target/benchmarks.jar org.h2.tools.Shell \
    -url "jdbc:h2:file:$dir/data/db/gamewire;MODE=MySQL;DATABASE_TO_LOWER=TRUE" -user sa -password "" \
    -sql "SELECT COUNT(*) AS n FROM events WHERE stored_at_ms BETWEEN $t1 AND $t2" | awk 'NR == 2 { print $1 }')"
  acked="$(bench_result events_per_s "$dir/load.log")"
  [[ -n "$acked" ]] || { tail -5 "$dir/load.log" >&2; acked=0; }
  local a s c
  read -r a s c < <(awk -v a="$acked" -v n="${stored:-0}" -v t1="$t1" -v t2="$t2" -v c1="$c1" -v c2="$c2" \
    'BEGIN { s = (t2 - t1) / 1000; printf "%.0f %.0f %.2f\n", a, n / s, (c2 - c1) / s }')
  rm -rf "$dir/data"
  printf 'round %d  %-8s TCP ACKed %6s events/s  stored %6s events/s  gamewire %s cores\n' "$round" "$name" "$a" "$s" "$c" >&2
  echo "$a $s $c"
}

echo "== embedded end to end: ${names[*]}; $rounds rounds; $connections connections x $in_flight in flight," \
  "$size B, sinks events + $sinks, $consumers consumers; warm-up $warmup s, counted $duration s; $(nproc) cores;" \
  "$(date -u +%FT%TZ)"
bench_interleave "$rounds" run_variant "${names[@]}" 2>&1

echo
echo "variant   stored events/s per round | ratio to ${names[0]} per round | median | median ratio | median ACKed/s | median gamewire cores"
for name in "${names[@]}"; do
  printf '%-8s  %s | %s | %s\n' "$name" "$(bench_ratios "$rounds" "$name" "${names[0]}" 2)" \
    "$(bench_column_median "$rounds" "$name" 1)" "$(bench_column_median "$rounds" "$name" 3)"
done
# one line per variant for run-all.sh: the medians over the rounds
for name in "${names[@]}"; do
  echo "RESULT variant=$name e2e_per_s=$(bench_column_median "$rounds" "$name" 2)" \
    "acked_per_s=$(bench_column_median "$rounds" "$name" 1) gamewire_cores=$(bench_column_median "$rounds" "$name" 3) rounds=$rounds"
done
rm -rf "$work"
