#!/usr/bin/env bash
# A/B benchmark: the same ingest load against gamewire started with different JVM options (settings
# as -D system properties, a JFR recording, a heap size), interleaved over several rounds, each round
# in a rotated order. Prints every rate, each variant's ratio to the first one in the same round, and
# the median of those ratios: the machine's rate drifts between runs, so only ratios taken side by
# side mean anything.
#
#   bench/run-ab.sh --variant base= --variant lean="-Dcamel.metrics.enable-exchange-event-notifier=false" \
#     --load tcp --rounds 3
#
# bench/run-ab.sh --help lists the options; bench/README.md has the figures of its runs.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# shellcheck source=bench/lib/gamewire.sh
source bench/lib/gamewire.sh

amqp_uri="amqp://guest:guest@127.0.0.1:5672/gw-bench"
host="127.0.0.1"
http_port=18690
tcp_port=17690
load=tcp
size=256
connections=4
in_flight=256
concurrency=32
batch=0
warmup=15
duration=20
rounds=3
consumers=off
jfr=""
names=()
declare -A options=()

usage() {
  cat <<USAGE
Usage: bench/run-ab.sh --variant NAME="JVM OPTIONS" --variant ... [options]

Runs the same load against gamewire (prod profile, on the broker of --amqp-uri, SQL, KV store and
cache embedded unless GAMEWIRE_DB_URL, GAMEWIRE_KV_TYPE or GAMEWIRE_CACHE_TYPE are set) once per
variant in each round, and prints each variant's rate as a ratio of the first variant's in the
same round, with the medians over the rounds and the cores broker and gamewire used.

  --variant NAME=OPTS  a variant: its name and the JVM options gamewire starts with (may be empty:
                       base=); at least two; the first is the base of the ratios. OPTS may start
                       with jar:PATH to run another build (e.g. jar:/tmp/before.jar -Dx=y)
  --load L             tcp (LoadMain tcp), http (single events), http-wrk (single events made by
                       wrk, --concurrency connections: a fraction of LoadMain's CPU per request)
                       or http-batch (default $load)
  --amqp-uri URI       the broker with a virtual host of the bench's own (default $amqp_uri):
                       rabbitmqctl add_vhost gw-bench;
                       rabbitmqctl set_permissions -p gw-bench guest '.*' '.*' '.*'
  --consumers on|off   off (default): ingest-only, the backlog deleted after each run; on: the
                       consumers store every event on the same cores
  --size BYTES         JSON payload per event (default $size)
  --connections N      TCP connections (default $connections)
  --in-flight N        unacknowledged events per TCP connection (default $in_flight)
  --concurrency N      concurrent HTTP requests (default $concurrency)
  --batch N            events per NDJSON request of http-batch (default 100 for http-batch)
  --warmup SECONDS     not counted (default $warmup)   --duration SECONDS  counted (default $duration)
  --rounds N           (default $rounds)
  --host, --http-port, --tcp-port  where gamewire listens (default $host, $http_port, $tcp_port)
  --jfr                record every run with Java Flight Recorder (settings=profile), in the logs folder

Exit status: 0 when every run measured, 1 otherwise, 2 on a usage error.
USAGE
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --variant)
      [[ "${2:-}" == *=* ]] || { echo "run-ab: --variant needs NAME=OPTIONS, got '${2:-}'" >&2; exit 2; }
      names+=("${2%%=*}"); options[${2%%=*}]="${2#*=}" ;;
    --load) load="$2" ;;
    --amqp-uri) amqp_uri="$2" ;;
    --consumers) consumers="$2" ;;
    --size) size="$2" ;;
    --connections) connections="$2" ;;
    --in-flight) in_flight="$2" ;;
    --concurrency) concurrency="$2" ;;
    --batch) batch="$2" ;;
    --warmup) warmup="$2" ;;
    --duration) duration="$2" ;;
    --rounds) rounds="$2" ;;
    --host) host="$2" ;;
    --http-port) http_port="$2" ;;
    --tcp-port) tcp_port="$2" ;;
    --jfr) jfr=yes; shift; continue ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run-ab: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift 2 || { echo "run-ab: $1 needs a value" >&2; exit 2; }
done
(( ${#names[@]} >= 2 )) || { echo "run-ab: give at least two --variant NAME=OPTIONS" >&2; exit 2; }
case "$load" in
  tcp) loadargs=(tcp --port "$tcp_port" --connections "$connections" --in-flight "$in_flight") ;;
  http) loadargs=(http --port "$http_port" --concurrency "$concurrency") ;;
  http-batch) loadargs=(http --port "$http_port" --concurrency "$concurrency" --batch "$(( batch > 0 ? batch : 100 ))") ;;
  http-wrk) command -v wrk >/dev/null 2>&1 || { echo "run-ab: --load http-wrk needs wrk (apt-get install wrk)" >&2; exit 2; } ;;
  *) echo "run-ab: --load is tcp, http, http-wrk or http-batch, not '$load'" >&2; exit 2 ;;
esac
[[ "$consumers" == on || "$consumers" == off ]] || { echo "run-ab: --consumers is on or off" >&2; exit 2; }
bench_require_own_vhost run-ab "$amqp_uri"

work="$(mktemp -d /tmp/gamewire-ab-bench.XXXXXX)"
bench_jar="bench/target/benchmarks.jar"
trap 'gamewire_stop; bench_delete_queue "$amqp_uri" halo.prod.stats' EXIT
[[ -f "$bench_jar" ]] || mvn -B -q -Pbench package -pl bench -am -DskipTests
[[ -s bench/target/perf-test.classpath ]] || mvn -B -q -f bench/perf-test/pom.xml dependency:build-classpath \
  -Dmdep.outputFile="$root/bench/target/perf-test.classpath"
[[ -f routes/target/gamewire.jar ]] || mvn -B -q package -pl routes -am -DskipTests
broker_pid="$(pgrep -o beam.smp || true)"

declare -A rate=() cores=() p99=() gus=()
run_one() {
  local round="$1" name="$2" jvm=()
  bench_delete_queue "$amqp_uri" halo.prod.stats
  # the variant's options are words; no file-name expansion of them
  read -r -a jvm <<<"${options[$name]}"
  local jar=routes/target/gamewire.jar
  if [[ "${jvm[0]:-}" == jar:* ]]; then jar="${jvm[0]#jar:}"; jvm=("${jvm[@]:1}"); fi
  [[ -n "$jfr" ]] && jvm+=("-XX:StartFlightRecording=filename=$work/gamewire-$round-$name.jfr,settings=profile")
  # a data folder per run: with consumers on, a database grown by earlier runs would slow later ones
  mkdir -p "$work/$round-$name"
  GAMEWIRE_JAR="$jar" gamewire_start "$amqp_uri" "$host" "$http_port" "$tcp_port" "$work/$round-$name" "$consumers" "${jvm[@]}"
  echo "== round $round, $name"
  local log="$work/load-$round-$name.log" load_pid b0 g0 t0
  if [[ "$load" == http-wrk ]]; then
    # wrk has no warm-up of its own: a run of its own first, not counted
    (bench_wrk_single_event "$work/wrk-warmup.txt" "$host" "$http_port" "$concurrency" "$size" "$warmup" || true
     bench_wrk_single_event "$log" "$host" "$http_port" "$concurrency" "$size" "$duration") &
  else
    java -cp "$bench_jar" io.gamewire.bench.load.LoadMain "${loadargs[@]}" --host "$host" --size "$size" \
      --warmup "${warmup}s" --duration "${duration}s" >"$log" 2>&1 &
  fi
  load_pid=$!
  # the CPU both used over the measured window only (the load's own warm-up excluded)
  sleep "$warmup"
  t0="$(date +%s.%N)" b0="$(bench_cpu_seconds "${broker_pid:-0}")" g0="$(bench_cpu_seconds "$gamewire_pid")"
  sleep "$duration"
  local t1 b1 g1
  t1="$(date +%s.%N)" b1="$(bench_cpu_seconds "${broker_pid:-0}")" g1="$(bench_cpu_seconds "$gamewire_pid")"
  # a run with errors (refusals, socket errors, timeouts) has no rate: answers that fail fast would count as speed
  if wait "$load_pid" && [[ "$(bench_result errors "$log")" == 0 ]]; then
    rate[$round,$name]="$(sed -n 's/^RESULT .*events_per_s=\([0-9.]*\).*/\1/p' "$log")"
    p99[$round,$name]="$(sed -n 's/^RESULT .*p99_ms=\([0-9.]*\).*/\1/p' "$log")"
  else
    echo "   no rate: the load failed or had errors (see $log)" >&2
  fi
  grep '^RESULT' "$log" || tail -3 "$log"
  # CPU per event: steadier than the rate on a machine whose speed drifts, since it counts the
  # work done rather than how fast the shared cores let it go. One reading: the events of the
  # window as the load counted them, against the CPU both used over it
  local figures
  figures="$(awk -v t0="$t0" -v t1="$t1" -v b0="$b0" -v b1="$b1" -v g0="$g0" -v g1="$g1" \
    -v r="${rate[$round,$name]:-0}" 'BEGIN { n = r * (t1 - t0); if (n <= 0) n = 1
      printf "%.1f %.2f/%.2f cores, %.0f/%.0f us/event", (g1 - g0) * 1e6 / n, (b1 - b0) / (t1 - t0),
        (g1 - g0) / (t1 - t0), (b1 - b0) * 1e6 / n, (g1 - g0) * 1e6 / n }')"
  [[ -n "${rate[$round,$name]:-}" ]] && gus[$round,$name]="${figures%% *}"
  cores[$round,$name]="${figures#* }"
  gamewire_stop
}

for round in $(seq "$rounds"); do
  for i in "${!names[@]}"; do
    run_one "$round" "${names[$(( (i + round - 1) % ${#names[@]} ))]}"
  done
done

base="${names[0]}"
status=0
echo
echo "== summary: $load, payload $size B, consumers $consumers, ${warmup} s + ${duration} s per run"
for name in "${names[@]}"; do echo "   $name: ${options[$name]:-(no options)}"; done
printf '%-6s' round
for name in "${names[@]}"; do printf ' %12s %7s' "$name" "p99 ms"; done
for name in "${names[@]:1}"; do printf ' %10s' "$name/$base"; done
echo "  broker/gamewire: cores used, CPU per event"
for round in $(seq "$rounds"); do
  printf '%-6s' "$round"
  for name in "${names[@]}"; do
    [[ -z "${rate[$round,$name]:-}" ]] && status=1
    printf ' %12s %7s' "${rate[$round,$name]:--}" "${p99[$round,$name]:--}"
  done
  for name in "${names[@]:1}"; do
    awk -v a="${rate[$round,$name]:-0}" -v b="${rate[$round,$base]:-0}" 'BEGIN { printf " %10.2f", (b > 0 ? a / b : 0) }'
  done
  printf '  '
  for name in "${names[@]}"; do printf '%s: %s; ' "$name" "${cores[$round,$name]:-}"; done
  echo
done
printf 'median'
for name in "${names[@]:1}"; do
  printf ' %s/%s %s' "$name" "$base" "$(for round in $(seq "$rounds"); do
    awk -v a="${rate[$round,$name]:-0}" -v b="${rate[$round,$base]:-0}" 'BEGIN { if (a > 0 && b > 0) print a / b }'
  done | bench_median)"
done
echo
printf 'median gamewire CPU per event, us:'
for name in "${names[@]}"; do
  printf ' %s %s' "$name" "$(for round in $(seq "$rounds"); do [[ -n "${gus[$round,$name]:-}" ]] && echo "${gus[$round,$name]}"; done | bench_median)"
done
echo
echo "logs: $work"
exit $status
