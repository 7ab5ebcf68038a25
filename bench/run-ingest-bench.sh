#!/usr/bin/env bash
# Ingest benchmark: how close gamewire comes to the broker it publishes to.
#   1. RabbitMQ PerfTest alone against the broker: persistent messages of the size gamewire puts on
#      the bus, publisher confirms with the same window, one producer per connection, a consumer on
#      a durable (quorum) queue, for the same warm-up and duration; its confirmed rate is the base.
#   2. The load generator (io.gamewire.bench.load.LoadMain) against gamewire, started here on the
#      prod profile against the same broker (--gamewire start) or already running (--gamewire running).
#   3. The rates and their ratio to PerfTest's, against the targets: TCP >= 0.8, batched HTTP >= 0.6.
# bench/run-ingest-bench.sh --help lists the options; bench/README.md has the figures.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# shellcheck source=bench/lib/gamewire.sh
source bench/lib/gamewire.sh

amqp_uri="amqp://guest:guest@127.0.0.1:5672/gw-bench"
loads="tcp http-batch"
gamewire="start"
host="127.0.0.1"
http_port=8080
tcp_port=7400
size=256
connections=4
in_flight=256
concurrency=16
batch=100
warmup=30
duration=30
queue_type="quorum"
consumers="off"

usage() {
  cat <<EOF
Usage: bench/run-ingest-bench.sh [options]

Runs RabbitMQ PerfTest against the broker, then the gamewire load generator against gamewire, and
prints each gamewire rate as a ratio of PerfTest's confirmed publish rate.

  --amqp-uri URI        the broker, for PerfTest and for the gamewire started here, with a virtual
                        host of its own other than / (default $amqp_uri; made if missing): an
                        ingest-only run leaves its events in the service queue, which the script
                        deletes at the end
  --loads "L ..."       gamewire loads to run: tcp, http, http-batch, or none for PerfTest alone
                        (default "$loads")
  --gamewire MODE       start: run routes/target/gamewire.jar --profile prod against --amqp-uri for
                        the loads and stop it afterwards (SQL, KV store and cache stay embedded unless
                        GAMEWIRE_DB_URL, GAMEWIRE_KV_TYPE or GAMEWIRE_CACHE_TYPE are set);
                        running: use the gamewire already at --host (default $gamewire)
  --host HOST           gamewire's address (default $host)
  --http-port PORT      gamewire's HTTP port (default $http_port)
  --tcp-port PORT       gamewire's GWP/TCP port (default $tcp_port)
  --size BYTES          JSON payload per event (default $size); PerfTest sends messages of the size
                        gamewire publishes for it (LoadMain frame-bytes)
  --connections N       TCP connections, and PerfTest producers, one connection each (default $connections)
  --in-flight N         unacknowledged events per TCP connection, and PerfTest's confirm window -c
                        (default $in_flight)
  --concurrency N       concurrent HTTP requests (default $concurrency)
  --batch N             events per NDJSON request of http-batch (default $batch)
  --warmup SECONDS      not counted, for both tools (default $warmup)
  --duration SECONDS    counted, for both tools (default $duration)
  --queue-type TYPE     PerfTest's queue: quorum, as gamewire's prod profile declares, or classic
                        (default $queue_type)
  --consumers on|off    off (default): measure ingest alone: gamewire runs ingest-only
                        (gamewire.consumers.enabled=false) and PerfTest without a consumer; on:
                        gamewire's consumers store every event on the same two cores, and PerfTest
                        has one consumer

Exit status: 0 when every load ran, 1 when one could not (its reason is printed), 2 on a usage error.
EOF
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --amqp-uri) amqp_uri="$2" ;;
    --loads) loads="$2" ;;
    --gamewire) gamewire="$2" ;;
    --host) host="$2" ;;
    --http-port) http_port="$2" ;;
    --tcp-port) tcp_port="$2" ;;
    --size) size="$2" ;;
    --connections) connections="$2" ;;
    --in-flight) in_flight="$2" ;;
    --concurrency) concurrency="$2" ;;
    --batch) batch="$2" ;;
    --warmup) warmup="$2" ;;
    --duration) duration="$2" ;;
    --queue-type) queue_type="$2" ;;
    --consumers) consumers="$2" ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run-ingest-bench: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift 2 || { echo "run-ingest-bench: $1 needs a value" >&2; exit 2; }
done
case "$gamewire" in start|running) ;; *) echo "run-ingest-bench: --gamewire is start or running" >&2; exit 2 ;; esac
case "$queue_type" in quorum|classic) ;; *) echo "run-ingest-bench: --queue-type is quorum or classic" >&2; exit 2 ;; esac
case "$consumers" in on|off) ;; *) echo "run-ingest-bench: --consumers is on or off" >&2; exit 2 ;; esac
for load in $loads; do
  case "$load" in tcp|http|http-batch|none) ;; *) echo "run-ingest-bench: unknown load $load" >&2; exit 2 ;; esac
done

bench_require_own_vhost run-ingest-bench "$amqp_uri"

work="$(mktemp -d /tmp/gamewire-ingest-bench.XXXXXX)"
bench_jar="bench/target/benchmarks.jar"
loadgen=(java -cp "$bench_jar" io.gamewire.bench.load.LoadMain)
gamewire_pid=""
gamewire_started=""

cleanup() {
  gamewire_stop
  if [[ -n "$gamewire_started" ]]; then
    # drop the backlog the run left in gamewire's service queue (gamewire declares it again at
    # its next start); the virtual host is the bench's own
    bench_delete_queue "$amqp_uri" halo.prod.stats
  fi
}
trap cleanup EXIT

# --- build what is missing -----------------------------------------------------------------------
bench_build_missing "$([[ "$gamewire" == start && "$loads" != none ]] && echo gamewire)"

bench_make_vhost "$amqp_uri"
message_bytes="$("${loadgen[@]}" frame-bytes --size "$size")"
echo "== payload $size B -> AMQP message of $message_bytes B; $connections connections, window $in_flight;" \
     "${warmup} s warm-up + ${duration} s"

# --- 1. PerfTest ----------------------------------------------------------------------------------
# As gamewire: a topic exchange, persistent messages, confirms, a durable queue that a consumer
# (prefetch 100, manual acks, like a service consumer) drains. Named per run and deleted as soon as
# it is done, so that gamewire does not meet a broker holding a million of PerfTest's messages.
echo "== PerfTest against ${amqp_uri%%@*}@… ($queue_type queue)"
read -r perftest_rate _ < <(BENCH_QUEUE_TYPE="$queue_type" bench_perftest "$amqp_uri" "$warmup" \
  $((warmup + duration)) "$work/perftest.log" --producers "$connections" --confirm "$in_flight" \
  --consumers "$([[ "$consumers" == on ]] && echo 1 || echo 0)" --qos 100 --size "$message_bytes") || true
cat "$work/perftest.log"
if [[ -z "${perftest_rate:-}" ]]; then
  echo "run-ingest-bench: PerfTest printed no confirmed rate (see above)" >&2
  exit 1
fi

# --- 2. gamewire ----------------------------------------------------------------------------------
declare -A rates=() reasons=()
common=(--host "$host" --size "$size" --warmup "${warmup}s" --duration "${duration}s")
if [[ "$loads" != none ]]; then
  if [[ "$gamewire" == start ]]; then
    gamewire_start "$amqp_uri" "$host" "$http_port" "$tcp_port" "$work" "$consumers"
    gamewire_started=1
  fi
  for load in $loads; do
    case "$load" in
      tcp) args=(tcp --port "$tcp_port" --connections "$connections" --in-flight "$in_flight") ;;
      http) args=(http --port "$http_port" --concurrency "$concurrency") ;;
      http-batch) args=(http --port "$http_port" --concurrency "$concurrency" --batch "$batch") ;;
    esac
    echo "== gamewire $load"
    if "${loadgen[@]}" "${args[@]}" "${common[@]}" >"$work/$load.log" 2>&1; then
      cat "$work/$load.log"
      rates[$load]="$(sed -n 's/^RESULT .*events_per_s=\([0-9.]*\).*/\1/p' "$work/$load.log")"
    else
      cat "$work/$load.log"
      reasons[$load]="$(sed -n 's/^load: //p' "$work/$load.log" | head -1)"
    fi
  done
fi

# --- 3. the ratios --------------------------------------------------------------------------------
echo
echo "== summary (payload $size B, AMQP message $message_bytes B, ${duration} s after ${warmup} s warm-up)"
printf '%-12s %14s %8s  %s\n' "run" "events/s" "ratio" "target"
printf '%-12s %14s %8s  %s\n' "PerfTest" "$perftest_rate" "1.00" "(confirmed publishes, $queue_type queue)"
status=0
for load in $loads; do
  [[ "$load" == none ]] && continue
  case "$load" in tcp) target=0.8 ;; http-batch) target=0.6 ;; *) target="" ;; esac
  if [[ -n "${rates[$load]:-}" ]]; then
    awk -v name="$load" -v rate="${rates[$load]}" -v base="$perftest_rate" -v target="$target" 'BEGIN {
      ratio = rate / base
      verdict = target == "" ? "(no target)" : (ratio >= target ? ">= " target ": met" : ">= " target ": MISSED")
      printf "%-12s %14.1f %8.2f  %s\n", name, rate, ratio, verdict }'
  else
    printf '%-12s %14s %8s  %s\n' "$load" "-" "-" "not measured: ${reasons[$load]:-see its output above}"
    status=1
  fi
done
exit $status
