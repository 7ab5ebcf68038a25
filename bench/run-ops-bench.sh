#!/usr/bin/env bash
# Operations benchmark (issue 15): what the bus monitor and live tails cost TCP ingest.
# For each round, gamewire is started four times on the prod profile, ingest-only, against the
# broker, and the same TCP load (io.gamewire.bench.load.LoadMain) runs against it:
#   off    gamewire.ops.monitor.enabled=false
#   on     the monitor on, as by default (gamewire.ops.monitor.scope=instance)
#   bus    the monitor on with gamewire.ops.monitor.scope=bus: its queue bound to # on the events exchange
#   tails  the monitor on (default scope) and N tails (GET /v1/admin/tail?pattern=#) open during the
#          load, half of them read at a crawl (curl --limit-rate) so that their buffers fill and drop
# After each load: the heap after a full GC (jcmd GC.run, GC.heap_info), and for tails what the
# slow readers were told they missed. The summary gives on/off, bus/off and tails/on per round, and
# their medians: ratios taken in one run, interleaved (each round in a rotated order), because this
# machine's rates drift between runs.
# bench/run-ops-bench.sh --help lists the options; bench/README.md has the figures.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# shellcheck source=bench/lib/gamewire.sh
source bench/lib/gamewire.sh

amqp_uri="amqp://guest:guest@127.0.0.1:5672/gw-bench"
host="127.0.0.1"
http_port=18680
tcp_port=17680
size=256
connections=4
in_flight=256
warmup=30
duration=30
rounds=2
tails=10
configs="off on bus tails"
jfr=""
token="ops-bench-$(date +%s)-$$"

usage() {
  cat <<USAGE
Usage: bench/run-ops-bench.sh [options]

Measures the TCP ingest rate of gamewire with the bus monitor off, on (scope instance), on with scope
bus, and on with live tails open, interleaved over several rounds, and the heap after a full GC and
the cores broker and gamewire used in each case.

  --amqp-uri URI      the broker, with a virtual host of the bench's own (default $amqp_uri);
                      create it first: rabbitmqctl add_vhost gw-bench;
                      rabbitmqctl set_permissions -p gw-bench guest '.*' '.*' '.*'
  --host HOST         gamewire's address (default $host)
  --http-port PORT    (default $http_port)     --tcp-port PORT  (default $tcp_port)
  --size BYTES        JSON payload per event (default $size)
  --connections N     TCP connections (default $connections)
  --in-flight N       unacknowledged events per connection (default $in_flight)
  --warmup SECONDS    not counted (default $warmup)   --duration SECONDS  counted (default $duration)
  --rounds N          rounds of the runs --configs lists (default $rounds)
  --tails N           tails open in the tails run of each round (default $tails)
  --configs "LIST"    which runs make a round, of off, on, bus and tails (default "$configs")
  --jfr               record each run of gamewire with Java Flight Recorder (the .jfr files are in
                      the logs folder; jfr print --events jdk.ExecutionSample, or JDK Mission Control)

Exit status: 0 when every run measured, 1 otherwise, 2 on a usage error.
USAGE
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --amqp-uri) amqp_uri="$2" ;;
    --host) host="$2" ;;
    --http-port) http_port="$2" ;;
    --tcp-port) tcp_port="$2" ;;
    --size) size="$2" ;;
    --connections) connections="$2" ;;
    --in-flight) in_flight="$2" ;;
    --warmup) warmup="$2" ;;
    --duration) duration="$2" ;;
    --rounds) rounds="$2" ;;
    --tails) tails="$2" ;;
    --configs) configs="$2" ;;
    --jfr) jfr=yes; shift; continue ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run-ops-bench: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift 2 || { echo "run-ops-bench: $1 needs a value" >&2; exit 2; }
done
bench_require_own_vhost run-ops-bench "$amqp_uri"

work="$(mktemp -d /tmp/gamewire-ops-bench.XXXXXX)"
bench_jar="bench/target/benchmarks.jar"
loadgen=(java -cp "$bench_jar" io.gamewire.bench.load.LoadMain)
perftest_cp_file="bench/target/perf-test.classpath"
tail_pids=()

stop_tails() {
  for pid in "${tail_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${tail_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  tail_pids=()
}

delete_backlog() {
  # the ingest-only runs leave every event in halo.prod.stats; gamewire declares it again at start
  bench_delete_queue "$amqp_uri" halo.prod.stats
}

cleanup() {
  stop_tails
  gamewire_stop
  delete_backlog
}
trap cleanup EXIT

if [[ ! -f "$bench_jar" ]]; then
  mvn -B -q -Pbench package -pl bench -am -DskipTests
fi
if [[ ! -s "$perftest_cp_file" ]]; then
  mvn -B -q -f bench/perf-test/pom.xml dependency:build-classpath -Dmdep.outputFile="$root/$perftest_cp_file"
fi
if [[ ! -f routes/target/gamewire.jar ]]; then
  mvn -B -q package -pl routes -am -DskipTests
fi

heap_after_gc_mb() {
  jcmd "$gamewire_pid" GC.run >/dev/null
  # G1: " garbage-first heap   total 262144K, used 51234K [..."
  jcmd "$gamewire_pid" GC.heap_info | sed -n 's/.*heap *total [0-9]*K, used \([0-9]*\)K.*/\1/p' | head -1 \
    | awk '{ printf "%.1f", $1 / 1024 }'
}

broker_pid="$(pgrep -o beam.smp || true)"

declare -A rate=() heap=() dropped=() cpu=()
run_one() {
  local round="$1" config="$2" monitor=true
  [[ "$config" == off ]] && monitor=false
  delete_backlog
  export GAMEWIRE_ADMIN_TOKEN="$token"
  local jvm=("-Dgamewire.ops.monitor.enabled=$monitor")
  [[ "$config" == bus ]] && jvm+=("-Dgamewire.ops.monitor.scope=bus")
  [[ -n "$jfr" ]] && jvm+=("-XX:StartFlightRecording=filename=$work/gamewire-$round-$config.jfr,settings=profile")
  gamewire_start "$amqp_uri" "$host" "$http_port" "$tcp_port" "$work" off "${jvm[@]}"
  if [[ "$config" == tails ]]; then
    for i in $(seq "$tails"); do
      local slow=()
      (( i % 2 == 0 )) && slow=(--limit-rate 2k)
      curl -sN "${slow[@]}" -H "Authorization: Bearer $token" \
        "http://$host:$http_port/v1/admin/tail?pattern=%23" >"$work/tail-$round-$i.log" 2>/dev/null &
      tail_pids+=($!)
    done
  fi
  echo "== round $round, $config"
  local log="$work/load-$round-$config.log"
  local started broker_before gamewire_before
  started="$(date +%s.%N)"
  broker_before="$(bench_cpu_seconds "${broker_pid:-0}")" gamewire_before="$(bench_cpu_seconds "$gamewire_pid")"
  if "${loadgen[@]}" tcp --host "$host" --port "$tcp_port" --connections "$connections" \
      --in-flight "$in_flight" --size "$size" --warmup "${warmup}s" --duration "${duration}s" >"$log" 2>&1; then
    rate[$round,$config]="$(sed -n 's/^RESULT .*events_per_s=\([0-9.]*\).*/\1/p' "$log")"
  fi
  grep '^RESULT' "$log" || tail -3 "$log"
  # the share of one core each used over the load (warm-up included), to see where the time goes
  cpu[$round,$config]="$(awk -v t0="$started" -v t1="$(date +%s.%N)" \
    -v b0="$broker_before" -v b1="$(bench_cpu_seconds "${broker_pid:-0}")" \
    -v g0="$gamewire_before" -v g1="$(bench_cpu_seconds "$gamewire_pid")" \
    'BEGIN { printf "%.2f/%.2f", (b1 - b0) / (t1 - t0), (g1 - g0) / (t1 - t0) }')"
  echo "cores used (broker/gamewire): ${cpu[$round,$config]}"
  heap[$round,$config]="$(heap_after_gc_mb)"
  stop_tails
  if [[ "$config" == tails ]]; then
    # the last "dropped" notice of each tail carries its total
    local total=0 last
    for file in "$work"/tail-"$round"-*.log; do
      last="$(sed -n 's/.*"totalDropped":\([0-9]*\).*/\1/p' "$file" | tail -1)"
      total=$((total + ${last:-0}))
    done
    dropped[$round]="$total"
  fi
  gamewire_stop
}

# each round starts one further along the list (off on bus tails, on bus tails off, …), so that no
# configuration always runs first or last in its round: runs later in a round were seen to be slower
read -r -a order <<<"$configs"
for round in $(seq "$rounds"); do
  for i in "${!order[@]}"; do
    run_one "$round" "${order[$(( (i + round - 1) % ${#order[@]} ))]}"
  done
done

echo
echo "== summary: TCP ingest, payload $size B, $connections connections, window $in_flight, ${warmup} s + ${duration} s; $tails tails"
printf '%-6s %9s %9s %9s %9s %7s %7s %8s  %s\n' round off on bus tails on/off bus/off tails/on \
  "heap MB after GC (off / on / tails); events tails missed; cores used by broker/gamewire (off, on, bus, tails)"
status=0
for round in $(seq "$rounds"); do
  off="${rate[$round,off]:-}" on="${rate[$round,on]:-}" bus="${rate[$round,bus]:-}" tl="${rate[$round,tails]:-}"
  for config in $configs; do
    [[ -z "${rate[$round,$config]:-}" ]] && status=1
  done
  awk -v r="$round" -v off="${off:-0}" -v on="${on:-0}" -v bus="${bus:-0}" -v tl="${tl:-0}" \
      -v heap="${heap[$round,off]:-} / ${heap[$round,on]:-} / ${heap[$round,tails]:-}" -v dropped="${dropped[$round]:-0}" \
      -v cores="${cpu[$round,off]:-}, ${cpu[$round,on]:-}, ${cpu[$round,bus]:-}, ${cpu[$round,tails]:-}" 'BEGIN {
    printf "%-6s %9.1f %9.1f %9.1f %9.1f %7.2f %7.2f %8.2f  %s; %s; %s\n", r, off, on, bus, tl,
      (off > 0 ? on / off : 0), (off > 0 ? bus / off : 0), (on > 0 ? tl / on : 0), heap, dropped, cores }'
done
ratios() { # the ratio $1/$2 of every round that has both
  for round in $(seq "$rounds"); do
    local a="${rate[$round,$1]:-}" b="${rate[$round,$2]:-}"
    [[ -n "$a" && -n "$b" ]] && awk -v a="$a" -v b="$b" 'BEGIN { if (b > 0) print a / b }'
  done
}
echo "medians over the rounds: on/off $(ratios on off | bench_median), bus/off $(ratios bus off | bench_median), tails/on $(ratios tails on | bench_median)"
echo "targets: on/off >= 0.90 (the monitor costs under 10 %), tails/on >= 0.90, heap bounded"
echo "logs: $work"
exit $status
