#!/usr/bin/env bash
# A path against its floor: in each round, in a rotated order, RabbitMQ PerfTest (the issue's
# anchor), a floor bridge (the least a bridge from that path to a confirmed publish does, on the
# same libraries as gamewire) and gamewire (ingest only), the two bridges loaded alike. Single-event
# HTTP (--load http, the default; the script's name comes from it): PerfTest with N producers and
# a confirm window of 1, MinimalHttpBridge, both bridges loaded by wrk with N connections. TCP
# (--load tcp): PerfTest with N producers and a confirm window of --in-flight, MinimalTcpBridge,
# both bridges loaded by LoadMain tcp with N connections of --in-flight events each. NDJSON batches
# (--load batch): PerfTest with 4 producers and a confirm window of --in-flight (the batched row's
# anchor), MinimalHttpBridge, both loaded by LoadMain http with N clients of --batch events per
# request. Prints each
# one's rate, the CPU per event of the broker and of the process under test over the counted
# window, and the ratios taken within each round: what the cores leave for any bridge, and what
# gamewire's own work costs on top of it.
#
#   bench/run-http-floor.sh --rounds 3
#   bench/run-http-floor.sh --load tcp --rounds 3
#   bench/run-http-floor.sh --load batch --rounds 3
#
# bench/run-http-floor.sh --help lists the options; bench/README.md has the figures of its runs.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# shellcheck source=bench/lib/gamewire.sh
source bench/lib/gamewire.sh

broker="amqp://guest:guest@127.0.0.1:5672"
host="127.0.0.1"
http_port=18690
tcp_port=17690
bridge_port=18790
lanes=4
bridge_message=as-sent
size=256
load=http
concurrency=""
in_flight=256
batch=100
warmup=30
duration=20
rounds=3
out=""
jfr=""

usage() {
  cat <<USAGE
Usage: bench/run-http-floor.sh [options]

Runs, in each round and in a rotated order: PerfTest (persistent messages as large as gamewire's on
the bus, to a quorum queue; --concurrency producers, 4 for batch), a floor bridge and gamewire (prod profile,
ingest only, SQL, KV store and cache embedded), the two loaded alike:
  --load http  single events (the default): PerfTest's confirm window is 1; the bridge is
               MinimalHttpBridge; wrk (bench/lib/wrk-single-event.lua) loads both with
               --concurrency connections
  --load tcp   GWP EVENTs: PerfTest's confirm window is --in-flight; the bridge is
               MinimalTcpBridge; LoadMain tcp loads both with --concurrency connections of
               --in-flight events each
  --load batch NDJSON batches (POST /v1/events): PerfTest has 4 producers with a confirm window
               of --in-flight, the batched row's anchor; the bridge is MinimalHttpBridge; LoadMain
               http loads both with --concurrency clients of --batch events per request
Each run has --warmup seconds not counted (for single events a wrk run of its own; LoadMain counts
its own warm-up: long enough for a fresh gamewire's JIT to do most of its work), then --duration
counted. Prints the rates, the CPU per event of the broker and of the process under test over the
counted window, and per round bridge ÷ PerfTest, gamewire ÷ PerfTest and gamewire ÷ bridge, with
their medians.

  --broker URI         RabbitMQ without a virtual host (default $broker); the run makes the virtual
                       host gw-bench-floor-<pid> and deletes it with everything in it at the end
  --load http|tcp|batch  the path (default $load)
  --concurrency N      the load's connections, and but for batch PerfTest's producers (default 32 for
                       http, 4 for tcp, 16 for batch)
  --in-flight N        with --load tcp or batch: PerfTest's confirm window, and LoadMain tcp's events in
                       flight per connection (default $in_flight)
  --batch N            with --load batch: events per request (default $batch)
  --lanes N            the bridge's publishing connections, one confirm channel each (default
                       $lanes: gamewire's gamewire.bus.publisher-connections)
  --bridge-message as-sent|gamewire  what the bridge publishes for each event (default as-sent):
                       as-sent, as described under --size; gamewire, gamewire's message (the envelope
                       stamped with gw-received-at and gw-source, the gw-source header, a timestamp;
                       for a batch around the whole line, a little larger than gamewire's), so that
                       the broker's CPU per event beside the bridge and beside gamewire is for about
                       the same message
  --size BYTES         JSON payload per event (default $size); PerfTest and gamewire send gamewire's bus
                       message around it (LoadMain frame-bytes); with --bridge-message as-sent
                       MinimalHttpBridge publishes the body (or batch line) as it came,
                       MinimalTcpBridge the GWP frame it read, encoded again. Either way the bridge
                       publishes every event under gamewire's routing key for it (a batch line under
                       its routingKey field, the path's last segment for a single event, the
                       frame's key for TCP)
  --warmup SECONDS     not counted (default $warmup)   --duration SECONDS  counted (default $duration)
  --rounds N           (default $rounds)
  --out DIR            keep the logs and the summary (summary.txt) in DIR (default: a folder in /tmp)
  --jfr                record the bridge and gamewire with Java Flight Recorder (settings=profile):
                       bridge-N.jfr and gamewire-N.jfr in the --out folder; read them with
                       jfr print --events jdk.ExecutionSample --stack-depth 100 and bench/jfr-owners.py
  --host, --http-port, --tcp-port, --bridge-port  where gamewire and the bridge listen (default
                       $host, $http_port, $tcp_port, $bridge_port)

Needs RabbitMQ, and for --load http wrk (apt-get install wrk). The broker's CPU is counted when it runs on this
machine. Exit status: 0 when every run measured, 1 otherwise, 2 on a usage error.
USAGE
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --jfr) jfr=yes; shift; continue ;;
    -h|--help) usage; exit 0 ;;
  esac
  [[ $# -ge 2 ]] || { echo "run-http-floor: $1 needs a value" >&2; exit 2; }
  case "$1" in
    --broker) broker="${2%/}" ;;
    --load) load="$2" ;;
    --concurrency) concurrency="$2" ;;
    --in-flight) in_flight="$2" ;;
    --batch) batch="$2" ;;
    --lanes) lanes="$2" ;;
    --bridge-message) bridge_message="$2" ;;
    --size) size="$2" ;;
    --warmup) warmup="$2" ;;
    --duration) duration="$2" ;;
    --rounds) rounds="$2" ;;
    --out) out="$2" ;;
    --host) host="$2" ;;
    --http-port) http_port="$2" ;;
    --tcp-port) tcp_port="$2" ;;
    --bridge-port) bridge_port="$2" ;;
    *) echo "run-http-floor: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift 2
done
# PerfTest's producers and confirm window: the anchor of the load's row in bench/run-all.sh
case "$load" in
  http) concurrency="${concurrency:-32}"; producers="$concurrency"; confirm_window=1
        bridge_class=io.gamewire.bench.http.MinimalHttpBridge
        command -v wrk >/dev/null 2>&1 || { echo "run-http-floor: needs wrk (apt-get install wrk)" >&2; exit 2; } ;;
  tcp) concurrency="${concurrency:-4}"; producers="$concurrency"; confirm_window="$in_flight"
       bridge_class=io.gamewire.bench.tcp.MinimalTcpBridge ;;
  batch) concurrency="${concurrency:-16}"; producers=4; confirm_window="$in_flight"
         bridge_class=io.gamewire.bench.http.MinimalHttpBridge ;;
  *) echo "run-http-floor: --load is http, tcp or batch, not '$load'" >&2; exit 2 ;;
esac
[[ "$batch" =~ ^[1-9][0-9]*$ ]] || { echo "run-http-floor: --batch is a number of at least 1, not '$batch'" >&2; exit 2; }
[[ "$concurrency" =~ ^[1-9][0-9]*$ ]] || { echo "run-http-floor: --concurrency is a number of at least 1, not '$concurrency'" >&2; exit 2; }
[[ "$in_flight" =~ ^[1-9][0-9]*$ ]] || { echo "run-http-floor: --in-flight is a number of at least 1, not '$in_flight'" >&2; exit 2; }
[[ "$lanes" =~ ^[1-9][0-9]*$ ]] || { echo "run-http-floor: --lanes is a number of at least 1, not '$lanes'" >&2; exit 2; }
[[ "$bridge_message" == as-sent || "$bridge_message" == gamewire ]] \
  || { echo "run-http-floor: --bridge-message is as-sent or gamewire, not '$bridge_message'" >&2; exit 2; }

# gamewire's data folders (its H2 database and KV store) in a scratch folder, deleted at the end;
# the logs and the summary in the --out folder (absolute: H2 refuses a relative path)
scratch="$(mktemp -d /tmp/gamewire-http-floor.XXXXXX)"
work="${out:-$scratch}"
mkdir -p "$work"
work="$(cd "$work" && pwd)"
amqp_uri="$(bench_vhost "gw-bench-floor-$$" "$broker")"
load_pid=""
cleanup() {
  bench_stop_pid "$load_pid"
  bench_bridge_stop
  gamewire_stop
  bench_drop_vhost "$amqp_uri"
  rm -rf "$scratch"/gamewire-*
  [[ "$work" == "$scratch" ]] || rm -rf "$scratch"
}
trap cleanup EXIT
bench_build_missing gamewire
bench_make_vhost "$amqp_uri"
rabbitmq="$(bench_local_services "$amqp_uri" | grep '^rabbitmq=' || true)"
message_bytes="$(java -cp bench/target/benchmarks.jar io.gamewire.bench.load.LoadMain frame-bytes --size "$size")"

declare -A rate=() broker_us=() own_us=() p99=()
sampler=""

# sample_window FILE PID [AFTER SECONDS]: in the background (sets sampler), the cores the broker and
# PID kept busy over the counted window, after the warm-up (bench_cores_by_process: "broker C" and
# "process C"); AFTER and SECONDS default to --warmup and --duration
sample_window() {
  if [[ "${2:-0}" == 0 ]]; then
    : >"$1"
    sampler=""
    return
  fi
  bench_cores_by_process "${3:-$warmup}" "${4:-$duration}" process="$2" ${rabbitmq:+"broker=${rabbitmq#*=}"} >"$1" &
  sampler=$!
}

# per_event ROUND NAME FILE: the broker's and the process's CPU per event at the run's rate,
# from sample_window's FILE ("-" for one not measured)
per_event() {
  broker_us[$1,$2]="$(bench_us_per_event "$3" broker "${rate[$1,$2]}")"
  own_us[$1,$2]="$(bench_us_per_event "$3" process "${rate[$1,$2]}")"
}

# run_load ROUND NAME PORT PID: the --load's load on the bridge at PORT (wrk's warm-up run, not
# counted, then the counted one; or LoadMain, which leaves its own warm-up out), beside the CPU
# sampler of the broker and PID; keeps the rate and p99 when the load saw no errors
run_load() {
  local round="$1" name="$2" port="$3" log="$work/$2-$1.txt"
  if [[ "$load" == http ]]; then
    (bench_wrk_single_event "$work/$name-$round-warmup.txt" "$host" "$port" "$concurrency" "$size" "$warmup" || true
     bench_wrk_single_event "$log" "$host" "$port" "$concurrency" "$size" "$duration") &
    load_pid=$!
    sample_window "$work/cores-$name-$round" "$4"
  else
    local what=(tcp --connections "$concurrency" --in-flight "$in_flight")
    [[ "$load" == batch ]] && what=(http --concurrency "$concurrency" --batch "$batch")
    java -cp bench/target/benchmarks.jar io.gamewire.bench.load.LoadMain "${what[@]}" --host "$host" --port "$port" \
      --size "$size" --warmup "${warmup}s" --duration "${duration}s" >"$log" 2>&1 &
    load_pid=$!
    # LoadMain counts from after its start-up, connections and probe, then its warm-up: the window
    # starts a second later (about what those take; as run-all.sh's) and is a second shorter
    sample_window "$work/cores-$name-$round" "$4" $((warmup + 1)) $((duration > 2 ? duration - 1 : 1))
  fi
  if wait "$load_pid" && [[ "$(bench_result errors "$log")" == 0 ]]; then
    rate[$round,$name]="$(bench_result events_per_s "$log")"
    p99[$round,$name]="$(bench_result p99_ms "$log")"
  else
    echo "   no rate: the load failed or saw errors (see $log)" >&2
  fi
  load_pid=""
  [[ -z "$sampler" ]] || wait "$sampler" || true
  [[ -z "${rate[$round,$name]:-}" ]] || per_event "$round" "$name" "$work/cores-$name-$round"
  grep '^RESULT' "$log" | sed 's/^/   /' || tail -3 "$log"
}

run_perftest() {
  local round="$1" log="$work/perftest-$1.txt" pid="" result=""
  echo "== round $round, perftest: $producers producers, confirm window $confirm_window, messages of $message_bytes B"
  bench_perftest "$amqp_uri" "$warmup" $((warmup + duration)) "$log" --producers "$producers" --consumers 0 \
    --confirm "$confirm_window" --size "$message_bytes" >"$work/perftest-$round.result" &
  load_pid=$!
  # the PerfTest of this run: its id ends in this script's PID
  for _ in $(seq 100); do
    pid="$(pgrep -n -f "com\.rabbitmq\.perf\.PerfTest .*--id gw-perftest-[0-9]*-$$"'( |$)' || true)"
    [[ -n "$pid" ]] && break
    sleep 0.1
  done
  sample_window "$work/cores-perftest-$round" "$pid"
  wait "$load_pid" || true
  load_pid=""
  [[ -z "$sampler" ]] || wait "$sampler" || true
  read -r result "p99[$round,perftest]" <"$work/perftest-$round.result" || true
  if [[ -n "$result" ]] && awk -v r="$result" 'BEGIN { exit !(r > 0) }'; then
    rate[$round,perftest]="$result"
    per_event "$round" perftest "$work/cores-perftest-$round"
    echo "   ${rate[$round,perftest]} msg/s confirmed"
  else
    echo "   no rate (see $log)" >&2
  fi
}

run_bridge() {
  local round="$1" jvm=()
  echo "== round $round, bridge: ${bridge_class##*.}, $lanes lanes, publishing $bridge_message"
  [[ -n "$jfr" ]] && jvm=("-XX:StartFlightRecording=filename=$work/bridge-$round.jfr,settings=profile")
  if bench_bridge_start "$amqp_uri" "$host" "$bridge_port" "$lanes" "$work/bridge-$round.log" "${jvm[@]}"; then
    run_load "$round" bridge "$bridge_port" "$bridge_pid"
  fi
  bench_bridge_stop
}

run_gamewire() {
  local round="$1" jvm=() port
  mkdir -p "$scratch/gamewire-$round"
  [[ -n "$jfr" ]] && jvm=("-XX:StartFlightRecording=filename=$work/gamewire-$round.jfr,settings=profile")
  gamewire_start "$amqp_uri" "$host" "$http_port" "$tcp_port" "$scratch/gamewire-$round" off "${jvm[@]}"
  echo "== round $round, gamewire"
  if [[ "$load" == tcp ]]; then port="$tcp_port"; else port="$http_port"; fi
  run_load "$round" gamewire "$port" "$gamewire_pid"
  gamewire_stop
  [[ "$work" == "$scratch" ]] || cp "$scratch/gamewire-$round/gamewire.log" "$work/gamewire-$round.log"
  rm -rf "$scratch/gamewire-$round/data"
  bench_delete_queue "$amqp_uri" halo.prod.stats
}

names=(perftest bridge gamewire)
for round in $(seq "$rounds"); do
  for i in "${!names[@]}"; do
    "run_${names[$(( (i + round - 1) % ${#names[@]} ))]}" "$round"
    # a quorum queue of a few hundred thousand messages was just deleted: let the broker settle
    sleep 3
  done
done

# ratio ROUND A B: A's rate over B's in that round, or nothing when one is missing
ratio() {
  awk -v a="${rate[$1,$2]:-0}" -v b="${rate[$1,$3]:-0}" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b }'
}

# median_ratio A B: the median over the rounds of A's rate over B's, each taken within its round
median_ratio() {
  local round
  for round in $(seq "$rounds"); do ratio "$round" "$1" "$2"; echo; done | grep . | bench_median
}

# median_of ARRAY NAME: the median over the rounds of ARRAY[round,NAME], or - when none
median_of() {
  local -n values="$1"
  local round median
  median="$(for round in $(seq "$rounds"); do echo "${values[$round,$2]:-}"; done | grep -v '^-*$' | bench_median)"
  echo "${median:--}"
}

status=0
for round in $(seq "$rounds"); do
  for name in "${names[@]}"; do [[ -n "${rate[$round,$name]:-}" ]] || status=1; done
done
{
  if [[ "$bridge_message" == gamewire && "$load" == batch ]]; then
    bridge_sends="the bridge publishes gamewire's message around each whole line, its routingKey field too, under that routingKey"
  elif [[ "$bridge_message" == gamewire ]]; then
    bridge_sends="the bridge publishes gamewire's message, with gw-source as gamewire does"
  elif [[ "$load" == tcp ]]; then
    bridge_sends="the bridge publishes the GWP frame it read, without gamewire's attributes"
  elif [[ "$load" == batch ]]; then
    bridge_sends="the bridge publishes each line as it came, under its routingKey"
  else
    bridge_sends="the bridge publishes each body as it came"
  fi
  if [[ "$load" == http ]]; then
    echo "== summary: single-event HTTP, $concurrency connections (PerfTest: $concurrency producers, window 1),"
  elif [[ "$load" == batch ]]; then
    echo "== summary: NDJSON batches, $concurrency clients x $batch events per request (PerfTest: $producers" \
         "producers, window $in_flight),"
  else
    echo "== summary: TCP, $concurrency connections x $in_flight in flight (PerfTest: $concurrency producers," \
         "window $in_flight),"
  fi
  echo "   payload $size B (PerfTest and gamewire send $message_bytes B; $bridge_sends)," \
       "${warmup} s + ${duration} s per run, bridge lanes $lanes"
  printf '%-6s %10s %10s %10s %9s %9s %9s  %s\n' round perftest bridge gamewire bridge/pt gw/pt gw/bridge \
    "CPU per event, µs: broker / process (perftest, bridge, gamewire)"
  for round in $(seq "$rounds"); do
    printf '%-6s %10s %10s %10s %9s %9s %9s  %s\n' "$round" "${rate[$round,perftest]:--}" "${rate[$round,bridge]:--}" \
      "${rate[$round,gamewire]:--}" "$(ratio "$round" bridge perftest)" "$(ratio "$round" gamewire perftest)" \
      "$(ratio "$round" gamewire bridge)" \
      "$(for name in "${names[@]}"; do printf '%s %s/%s; ' "$name" "${broker_us[$round,$name]:--}" "${own_us[$round,$name]:--}"; done)"
  done
  printf '%-6s %32s %9s %9s %9s\n' median "" "$(median_ratio bridge perftest)" "$(median_ratio gamewire perftest)" \
    "$(median_ratio gamewire bridge)"
  for name in "${names[@]}"; do
    printf '   %s: median CPU per event, broker %s µs, process %s µs; p99 %s ms\n' "$name" \
      "$(median_of broker_us "$name")" "$(median_of own_us "$name")" "$(median_of p99 "$name")"
  done
  echo "logs: $work"
} | tee "$work/summary.txt"
exit $status
