#!/usr/bin/env bash
# Storage benchmark: how fast gamewire's consumers store events, against the database alone and
# against the broker alone. On one machine, against RabbitMQ, MariaDB/MySQL, Redis and memcached:
#   1. raw: RawUpsertLoop upserts the rows the bench title's table gets, with gamewire's own
#      statement, in JDBC batches, nothing else around it: the database's rate.
#   2. drain: gamewire runs end to end for the warm-up (so the JIT has compiled the consumer
#      path), its consumer route is stopped through Jolokia, the queue is filled over TCP (GWP,
#      LoadMain), the route is started, and it stores the backlog in all three sinks (events row
#      and table row in MySQL, KV record in Redis, cache entries in memcached): queue -> sinks
#      rate, gamewire's CPU per event, and that CPU per kind of thread. Target: >= 0.5 x raw.
#   3. end to end: LoadMain sends over TCP to a gamewire that also consumes; the rate at which
#      events are stored during the measured window, once as fast as the ACKs come (the intake then
#      outruns the stores: context) and once paced at the target (whether gamewire sustains it).
#      Target: >= 0.5 x PerfTest's confirmed publish rate on the same broker with a consumer
#      (bench/run-ingest-bench.sh --loads none --consumers on, run here first).
# Every step also prints the CPU per event of each process it involves (gamewire, its load
# generator, RabbitMQ, MariaDB, Redis, memcached): on two shared cores the servers' share bounds
# what is left for gamewire, and the summary says how much that is at each target's rate.
# bench/run-storage-bench.sh --help lists the options; bench/README.md has the figures.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# shellcheck source=bench/lib/gamewire.sh
source bench/lib/gamewire.sh

amqp_uri="amqp://guest:guest@127.0.0.1:5672/gw-bench"
mysql_host="127.0.0.1"
mysql_port=3306
mysql_user="root"
mysql_password=""
database="gw_bench"
redis="127.0.0.1:6379"
memcached="127.0.0.1:11211"
raw_rows=200000
batch=100
writers=2
fill_seconds=10
warmup=10
duration=30
size=256
connections=4
in_flight=256
http_port=18080
tcp_port=17400
skip_perftest=""
sinks="sql kv cache"
no_event_row=""
consumers=2
prefetch=250
jdbc_options=""
offered_rate=target
jit_settle=180

usage() {
  cat <<USAGE
Usage: bench/run-storage-bench.sh [options]

  --amqp-uri URI       RabbitMQ, with its virtual host (default $amqp_uri; made if missing)
  --mysql HOST:PORT    MySQL/MariaDB (default $mysql_host:$mysql_port); --mysql-user/--mysql-password
                       (default $mysql_user, empty); database $database is dropped and made anew
  --redis HOST:PORT    (default $redis)          --memcached HOST:PORT (default $memcached)
  --raw-rows N         rows of the raw JDBC loop (default $raw_rows)
  --batch N            JDBC batch: the raw loop's and gamewire.store.batch-size (default $batch)
  --writers N          raw loop threads and gamewire.store.writers (default $writers)
  --fill SECONDS       how long the queue is filled for the drain, its consumer route stopped
                       (default $fill_seconds)
  --warmup SECONDS     end to end before the drain (the JIT's warm-up), and end to end and
                       PerfTest: not counted (default $warmup; the paced run's at most 10)
  --duration SECONDS   end to end and PerfTest: counted (default $duration)
  --jit-settle SECONDS after the warm-up, more end to end in rounds of 15 s (at least one) until
                       gamewire's JIT compiler threads took at most 0.1 cores in a round, for at
                       most SECONDS of load in all (each round also starts a load generator and
                       asks jcmd: a few seconds more; default $jit_settle; 0: none). On 2 cores C2 is
                       still compiling a minute after the start; this measures a gamewire that has
                       run a while
  --size BYTES         JSON payload per event (default $size)
  --connections N      GWP connections of the load generator, PerfTest producers (default $connections)
  --in-flight N        unacknowledged events per connection, PerfTest's confirm window (default $in_flight)
  --sinks "S ..."      the bench title's sinks besides the events row: sql, kv, cache (default
                       "$sinks"); fewer show what each costs. Without sql the wait for
                       the drain polls COUNT(*) of events, which reads every payload: MariaDB
                       CPU in the drain that a run with sql does not have
  --no-event-row       the bench command says event-row: false (no events row; needs the sql
                       sink): stored events are then counted and timed by their bench_matches
                       rows, whose column bench_stored_at (added by this script) MySQL sets
                       from the database server's clock (run MySQL on this machine)
  --consumers N        consumers of the bench service per instance (default $consumers)
  --prefetch N         their prefetch (default $prefetch)
  --jdbc-options OPTS  more Connector/J options for both the raw loop and gamewire, e.g.
                       "useServerPrepStmts=true&cachePrepStmts=true" (the URL has the prod
                       profile's: rewriteBatchedStatements=true and time-outs)
  --e2e-rate N|target end to end is measured as fast as the ACKs come (the intake then outruns
                       the stores and takes the cores from them, so the backlog grows), then again
                       with the load generator paced at N events/s: stored at N with the backlog
                       not growing means N is sustained. target (the default) paces at 0.5 x
                       PerfTest's rate, 3 % above; 0 skips the paced run
  --no-perftest        skip PerfTest (the end-to-end ratio is then not printed, and the paced run
                       only runs with --e2e-rate N)

Exit status: 0 when every step ran (whether or not a target was met), 1 when one failed, 2 on a
usage error.
USAGE
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-perftest) skip_perftest=1; shift; continue ;;
    --no-event-row) no_event_row=1; shift; continue ;;
    -h|--help) usage; exit 0 ;;
  esac
  [[ $# -ge 2 ]] || { echo "run-storage-bench: $1 needs a value" >&2; exit 2; }
  case "$1" in
    --amqp-uri) amqp_uri="$2" ;;
    --mysql) mysql_host="${2%%:*}"; mysql_port="${2##*:}" ;;
    --mysql-user) mysql_user="$2" ;;
    --mysql-password) mysql_password="$2" ;;
    --redis) redis="$2" ;;
    --memcached) memcached="$2" ;;
    --raw-rows) raw_rows="$2" ;;
    --batch) batch="$2" ;;
    --writers) writers="$2" ;;
    --fill) fill_seconds="$2" ;;
    --warmup) warmup="$2" ;;
    --duration) duration="$2" ;;
    --size) size="$2" ;;
    --connections) connections="$2" ;;
    --in-flight) in_flight="$2" ;;
    --sinks) sinks="$2" ;;
    --consumers) consumers="$2" ;;
    --prefetch) prefetch="$2" ;;
    --jdbc-options) jdbc_options="$2" ;;
    --e2e-rate) offered_rate="$2" ;;
    --jit-settle) jit_settle="$2" ;;
    *) echo "run-storage-bench: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift 2
done

[[ "$jit_settle" =~ ^[0-9]+$ ]] || { echo "run-storage-bench: --jit-settle takes whole seconds (0: none), not '$jit_settle'" >&2; exit 2; }
if [[ -n "$no_event_row" && " $sinks " != *" sql "* ]]; then
  echo "run-storage-bench: --no-event-row needs the sql sink: stored events are counted by their table rows" >&2
  exit 2
fi
work="$(mktemp -d /tmp/gamewire-storage-bench.XXXXXX)"
bench_jar="bench/target/benchmarks.jar"
perftest_cp_file="bench/target/perf-test.classpath"
api_key="bench-key-$$"
bound_queue="gw-bench-drain-bound-$$"
prefix="gwbench$$:"
jdbc_url="jdbc:mysql://$mysql_host:$mysql_port/$database?useSSL=false&allowPublicKeyRetrieval=true&rewriteBatchedStatements=true&connectTimeout=3000&socketTimeout=30000${jdbc_options:+&$jdbc_options}"
mysql_cli=(mysql -h "$mysql_host" -P "$mysql_port" -u "$mysql_user" --batch --skip-column-names)
[[ -n "$mysql_password" ]] && mysql_cli+=("-p$mysql_password")
gamewire_pid=""

cleanup() {
  gamewire_stop
  bench_delete_queue "$amqp_uri" bench.prod.stats
  bench_delete_queue "$amqp_uri" "$bound_queue"
  "${mysql_cli[@]}" -e "DROP DATABASE IF EXISTS $database" || true
  bench_delete_redis_prefix "$redis" "$prefix"
}
trap cleanup EXIT

bench_build_missing gamewire
bench_make_vhost "$amqp_uri"

# Where stored events are counted and when each was stored, in milliseconds: their events rows, or
# with --no-event-row their table rows (bench_stored_at, set by MySQL as the row is inserted)
if [[ -n "$no_event_row" ]]; then
  stored_rows="$database.bench_matches"; stored_ms="UNIX_TIMESTAMP(bench_stored_at) * 1000"
  stored_what="no events row, $sinks"
else
  stored_rows="$database.events"; stored_ms="stored_at_ms"
  stored_what="events row, $sinks"
fi
# Polled while waiting: the title table when the sql sink is on (one row per event, committed with
# its events row, and narrow), else stored_rows. A COUNT(*) reads a whole index: that of events is
# its primary key, which holds the payloads (it had a narrow secondary index before V7).
if [[ " $sinks " == *" sql "* ]]; then
  polled_rows="$database.bench_matches"
else
  polled_rows="$stored_rows"
fi
count_stored() {
  "${mysql_cli[@]}" -e "SELECT COUNT(*) FROM $polled_rows" 2>/dev/null || echo 0
}

echo "== database $database on $mysql_host:$mysql_port (made anew)"
"${mysql_cli[@]}" -e "DROP DATABASE IF EXISTS $database; CREATE DATABASE $database"

echo "== raw JDBC: $raw_rows rows, batches of $batch, $writers connections"
# the servers on this machine that the run involves (the broker only when --amqp-uri names this machine)
read -r -a services <<<"$(bench_local_services "$amqp_uri" | tr '\n' ' ')"
rabbitmq="$(printf '%s\n' "${services[@]}" | grep '^rabbitmq=' || true)"
bench_cpu_snapshot "$work/cpu-raw-0" "${services[@]}"
raw_out="$(java -cp "$bench_jar" io.gamewire.bench.storage.RawUpsertLoop --jdbc-url "$jdbc_url" \
  --user "$mysql_user" --password "$mysql_password" --rows "$raw_rows" --batch "$batch" --threads "$writers")"
echo "$raw_out"
raw_rate="$(sed -n 's/^RESULT .*rows_per_s=\([0-9.]*\).*/\1/p' <<<"$raw_out")"
bench_cpu_snapshot "$work/cpu-raw-1" "${services[@]}"
echo "   the servers' CPU per row (the loop's own JVM not counted):"
bench_cpu_budget "$work/cpu-raw-0" "$work/cpu-raw-1" "$raw_rows" | { grep -v -e '^RESULT' -e '^   all ' || true; }

# the bench title: match_end events (LoadMain's payloads) written to the sinks
mkdir -p "$work/config"
cp config/application.properties config/application-prod.properties "$work/config/"
bench_write_title "$work/config" "$api_key" "$consumers" "$prefetch" "$sinks${no_event_row:+ no-event-row}"

# gamewire on the prod profile with the bench title and all three sinks on the real services
export GAMEWIRE_DB_URL="$jdbc_url" GAMEWIRE_DB_USER="$mysql_user" GAMEWIRE_DB_PASSWORD="$mysql_password"
export GAMEWIRE_KV_TYPE=redis GAMEWIRE_KV_REDIS_HOST="${redis%%:*}" GAMEWIRE_KV_REDIS_PORT="${redis##*:}"
export GAMEWIRE_KV_KEY_PREFIX="$prefix"
export GAMEWIRE_CACHE_TYPE=memcached GAMEWIRE_CACHE_MEMCACHED_SERVERS="$memcached" GAMEWIRE_CACHE_KEY_PREFIX="$prefix"
export GAMEWIRE_STORE_BATCH_SIZE="$batch" GAMEWIRE_STORE_WRITERS="$writers"
export GAMEWIRE_ARGS="--config $work/config"
start_gamewire() { # consumers: on|off
  # shellcheck disable=SC2086 # GAMEWIRE_JAVA_OPTS holds several options, e.g. a JFR recording
  gamewire_start "$amqp_uri" 127.0.0.1 "$http_port" "$tcp_port" "$work" "$1" ${GAMEWIRE_JAVA_OPTS:-}
}

loadgen() { # warmup duration [rate]
  java -cp "$bench_jar" io.gamewire.bench.load.LoadMain tcp --port "$tcp_port" --api-key "$api_key" \
    --routing-key bench.prod.stats.match_end --size "$size" --connections "$connections" \
    --in-flight "$in_flight" --warmup "${1}s" --duration "${2}s" --rate "${3:-0}"
}

queue_depth() { # the ready messages of bench.prod.stats, live (QueueDepth.java says why not rabbitmqctl)
  java -Dlogback.configurationFile=bench/perf-test/logback-warn.xml -cp "$(cat "$perftest_cp_file")" \
    bench/perf-test/QueueDepth.java "$amqp_uri" bench.prod.stats 2>"$work/queue-depth.err" || true
}

# The drain is measured on a warm gamewire: a cold one spent 44 % of its drain CPU in the JIT
# compiler's threads (2026-12-03), which a gamewire that has run a while no longer pays. So it first
# runs end to end for the warm-up, then its consumer route is stopped (through Jolokia, as an
# operator would), the queue is filled, and the route is started again.
admin_token="bench-admin-$$"
export GAMEWIRE_ADMIN_TOKEN="$admin_token" GAMEWIRE_OPS_JOLOKIA_ENABLED=true
consumer_route() { # stop|start: the consumer route of bench.prod.stats
  local answer
  answer="$(curl -s -m 60 -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json' \
    -d "{\"type\":\"exec\",\"mbean\":\"org.apache.camel:context=gamewire,type=routes,name=\\\"store-bench.prod.stats\\\"\",\"operation\":\"$1()\"}" \
    "http://127.0.0.1:$http_port/v1/admin/jolokia")" || true
  [[ "$answer" == *'"status":200'* ]] || { echo "run-storage-bench: could not $1 the consumer route: ${answer:-no answer}" >&2; exit 1; }
}
accepted() { # LOG...: the events the load generator runs of these logs had acknowledged, all told
  local log n total=0
  for log in "$@"; do
    n="$(bench_result accepted_total "$log")"
    [[ -n "$n" ]] || { echo "run-storage-bench: a load run printed no RESULT: $(tail -1 "$log")" >&2; exit 1; }
    total=$((total + n))
  done
  echo "$total"
}
await_stored() { # N: until N events are stored and none is queued
  local waited=0
  until [[ "$(count_stored)" -ge "$1" && "$(queue_depth)" == 0 ]]; do
    (( waited++ < 300 )) || { echo "run-storage-bench: the $1 acknowledged events were not all stored in" \
      "300 s (stored: $(count_stored); queue depth: $(queue_depth) $(tail -1 "$work/queue-depth.err"))" >&2; exit 1; }
    sleep 1
  done
}

# settle_jit: end to end in rounds of 15 s, each log added to warmup_logs, while gamewire's JIT
# compiler threads took more than 0.1 cores in the round before, for at most --jit-settle seconds
settle_jit() {
  local spent=0 round=15 n=0 cores
  bench_thread_cpu "$gamewire_pid" "$work/threads-settle-0.tsv"
  while (( spent + round <= jit_settle )); do
    n=$((n + 1))
    loadgen 0 "$round" >"$work/settle-$n.log" 2>&1 || { tail -3 "$work/settle-$n.log" >&2; exit 1; }
    warmup_logs+=("$work/settle-$n.log")
    spent=$((spent + round))
    bench_thread_cpu "$gamewire_pid" "$work/threads-settle-$n.tsv"
    # the compiler threads' CPU (ms) in the round, over its wall time: the load generator's start
    # (about 1 s) is in the round too
    cores="$(bench_thread_cpu_of "$work/threads-settle-$((n - 1)).tsv" "$work/threads-settle-$n.tsv" \
      $((round * 1000 * 1000)) "$BENCH_JIT_THREADS")"
    if [[ -z "$cores" ]]; then
      echo "   JIT settling, round $n: jcmd gave no thread figures; another round"
      continue
    fi
    echo "   JIT settling, round $n (${round} s more end to end): the compiler threads took $cores cores" \
      "(the load generator's start counted in the round)"
    awk -v c="$cores" 'BEGIN { exit !(c <= 0.10) }' && return 0
  done
  (( n == 0 )) || echo "   (the JIT had not settled within --jit-settle $jit_settle s: the figures below carry it)"
}

perftest_rate=""
perftest_cores=""
if [[ -z "$skip_perftest" ]]; then
  echo "== PerfTest on the same broker, before gamewire starts (bench/run-ingest-bench.sh --loads none --consumers on)"
  # the cores PerfTest and the broker keep busy over its counted seconds (it starts within 5 s)
  bench_process_cores $((warmup + 5)) $((duration > 6 ? duration - 5 : 1)) ${rabbitmq:+"${rabbitmq#*=}"} \
    "com.rabbitmq.perf.PerfTest .*--id gw-perftest-" >"$work/cores-perftest" &
  cores_sampler=$!
  perftest_out="$(bench/run-ingest-bench.sh --amqp-uri "$amqp_uri" --loads none --size "$size" \
    --connections "$connections" --in-flight "$in_flight" --warmup "$warmup" --duration "$duration" \
    --consumers on | tail -3)" || true
  perftest_rate="$(awk '$1 == "PerfTest" { print $2 }' <<<"$perftest_out")"
  wait "$cores_sampler" || true
  perftest_cores="$(cat "$work/cores-perftest")"
  echo "   ${perftest_rate:-?} msg/s; PerfTest${rabbitmq:+ and the broker} kept ${perftest_cores:-?} cores busy"
fi

# end to end is measured a second time paced at the target (0.5 x PerfTest, 3 % above it so that a run
# that keeps up reads at or above it): whether gamewire sustains that rate, every event stored and the
# backlog not growing
if [[ "$offered_rate" == target ]]; then
  offered_rate="$(awk -v r="$perftest_rate" 'BEGIN { printf "%.0f", (r > 0 ? 0.5 * 1.03 * r : 0) }')"
fi

echo "== drain: gamewire warms up end to end for ${warmup} s, then is filled for ${fill_seconds} s with its consumer route stopped"
start_gamewire on
if [[ -n "$no_event_row" ]]; then
  # made by gamewire as it loaded the title; an insert's time, for counting only (gamewire writes
  # the columns its title file declares, and checks them only when the file changes)
  "${mysql_cli[@]}" -e "ALTER TABLE $database.bench_matches ADD COLUMN bench_stored_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)"
fi
loadgen 0 "$warmup" >"$work/warmup.log" 2>&1 || { tail -3 "$work/warmup.log" >&2; exit 1; }
warmup_logs=("$work/warmup.log")
settle_jit
expected="$(accepted "${warmup_logs[@]}")"
await_stored "$expected"
consumer_route stop
bench_thread_cpu "$gamewire_pid" "$work/threads-fill-0.tsv"
bench_cpu_snapshot "$work/cpu-fill-0" gamewire="$gamewire_pid" "${services[@]}"
loadgen 0 "$fill_seconds" >"$work/fill.log" 2>&1 || true
bench_cpu_snapshot "$work/cpu-fill-1" gamewire="$gamewire_pid" "${services[@]}"
bench_thread_cpu "$gamewire_pid" "$work/threads-fill-1.tsv"
grep -E '^RESULT' "$work/fill.log" || true
queued="$(queue_depth)"
if [[ -z "$queued" || "$queued" -eq 0 ]]; then
  echo "run-storage-bench: nothing was queued; the fill's load generator: $(tail -1 "$work/fill.log");" \
    "QueueDepth: ${queued:-$(tail -1 "$work/queue-depth.err")} (gamewire log: $work/gamewire.log)" >&2
  exit 1
fi
echo "   $queued events queued ($(bench_result accepted_total "$work/fill.log") acknowledged to the load generator);" \
     "CPU per event taken in, by process (the load generator's own: $(bench_result load_cpu_us "$work/fill.log") µs):"
# ingest only, the consumers stopped: with the drain's, what one event costs end to end (the end-to-end
# window itself cannot say: its events come in faster than they are stored)
bench_cpu_budget "$work/cpu-fill-0" "$work/cpu-fill-1" "$queued" >"$work/cpu-fill.txt"
grep -v '^RESULT' "$work/cpu-fill.txt"
echo "   gamewire's CPU per event taken in, by thread:"
bench_thread_cpu_table "$work/threads-fill-0.tsv" "$work/threads-fill-1.tsv" "$queued"
echo "== drain: the consumer route starts and stores them"
# Polled once a second only to know when it is done: COUNT(*) scans a table's index and the
# client starts a process, both on the cores the drain uses (hence polled_rows). The rate comes
# from the rows themselves: stored_at_ms of the first and the last event the drain stored.
stored_before="$(count_stored)"
if [[ "$stored_before" -eq 0 ]]; then
  echo "run-storage-bench: no event of the warm-up is stored, or the database cannot be read (gamewire log: $work/gamewire.log)" >&2
  exit 1
fi
started_t="$(date +%s)"; started_ms="$(date +%s%3N)"
# gamewire's CPU per stored event over the drain (steadier than the rate on a shared machine), and
# per thread
cpu_up="$(bench_cpu_seconds "$gamewire_pid")"
bench_thread_cpu "$gamewire_pid" "$work/threads-up.tsv"
bench_cpu_snapshot "$work/cpu-drain-0" gamewire="$gamewire_pid" "${services[@]}"
consumer_route start
while true; do
  n="$(count_stored)"
  if [[ "$n" -ge $((stored_before + queued)) ]]; then
    bench_thread_cpu "$gamewire_pid" "$work/threads-drained.tsv"
    bench_cpu_snapshot "$work/cpu-drain-1" gamewire="$gamewire_pid" "${services[@]}"
    break
  fi
  if (( $(date +%s) - started_t > 900 )); then
    echo "run-storage-bench: the drain did not finish in 15 minutes ($((n - stored_before)) of $queued)" >&2
    exit 1
  fi
  sleep 1
done
read -r drained drain_ms <<<"$("${mysql_cli[@]}" -e "SELECT COUNT(*), MAX($stored_ms) - MIN($stored_ms) FROM $stored_rows WHERE $stored_ms >= $started_ms")"
last_n="$n"
[[ "${drained:-0}" -gt 0 ]] || { echo "run-storage-bench: the drain's rows cannot be read from $stored_rows" >&2; exit 1; }
drain_rate="$(awk -v n="$drained" -v ms="$drain_ms" 'BEGIN { printf "%.1f", (n - 1) * 1000 / (ms > 0 ? ms : 1) }')"
drain_cpu_us="$(awk -v a="$cpu_up" -v b="$(bench_cpu_seconds "$gamewire_pid")" -v n="$drained" \
  'BEGIN { if (n > 0) printf "%.1f", (b - a) * 1e6 / n }')"
kv_records="$(redis-cli -h "${redis%%:*}" -p "${redis##*:}" --scan --pattern "${prefix}match:*" | wc -l)"
echo "   drained $drained events ($last_n stored in all, $kv_records KV records); $drain_rate events/s into:" \
     "$stored_what; gamewire CPU ${drain_cpu_us:-?} µs per event drained; by thread:"
bench_thread_cpu_table "$work/threads-up.tsv" "$work/threads-drained.tsv" "$drained"
echo "   CPU per event drained, by process (with the idle second of the last poll):"
bench_cpu_budget "$work/cpu-drain-0" "$work/cpu-drain-1" "$drained" >"$work/cpu-drain.txt"
grep -v '^RESULT' "$work/cpu-drain.txt"
drain_services_us="$(bench_result services_us "$work/cpu-drain.txt")"
# one event end to end: taken in (the fill) plus stored (the drain)
e2e_services_us="$(awk -v a="$(bench_result services_us "$work/cpu-fill.txt")" -v b="$drain_services_us" \
  'BEGIN { if (a != "" && b != "") printf "%.1f", a + b }')"
e2e_gamewire_us="$(awk -v a="$(awk '$1 == "gamewire" { print $2 }' "$work/cpu-fill.txt")" -v b="$drain_cpu_us" \
  'BEGIN { if (a != "" && b != "") printf "%.1f", a + b }')"
e2e_load_us="$(bench_result load_cpu_us "$work/fill.log")"
# of it, the JIT's compiler threads, still compiling a minute or two after the start on 2 cores
e2e_jit_us="$(awk -v a="$(bench_thread_cpu_of "$work/threads-fill-0.tsv" "$work/threads-fill-1.tsv" "$queued" "$BENCH_JIT_THREADS")" \
  -v b="$(bench_thread_cpu_of "$work/threads-up.tsv" "$work/threads-drained.tsv" "$drained" "$BENCH_JIT_THREADS")" \
  'BEGIN { if (a != "" && b != "") printf "%.1f", a + b }')"

end_to_end() { # NAME RATE WARMUP: one end-to-end window, the load paced at RATE events/s (0: as fast
                # as acknowledged); sets stored_rate, intake_rate and backlog_growth (events/s)
  local b1 b2 t1 t2 n left load_pid
  loadgen "$3" "$duration" "$2" >"$work/$1.log" 2>&1 &
  load_pid=$!
  sleep "$3"
  # the window's ends are taken before the backlog is read (QueueDepth starts a JVM, about 2 s), so
  # that the window is the load's; each backlog reading comes that much after its end
  t1="$(date +%s%3N)"; b1="$(queue_depth)"
  bench_thread_cpu "$gamewire_pid" "$work/threads-$1-0.tsv"
  left=$((t1 + duration * 1000 - $(date +%s%3N)))
  (( left <= 0 )) || sleep "$(awk -v ms="$left" 'BEGIN { printf "%.3f", ms / 1000 }')"
  t2="$(date +%s%3N)"; b2="$(queue_depth)"
  bench_thread_cpu "$gamewire_pid" "$work/threads-$1-1.tsv"
  wait "$load_pid" || true
  grep -E '^RESULT' "$work/$1.log" || cat "$work/$1.log"
  # the rows stored within the window, by their own stored_at_ms (as the drain counts): a COUNT(*) at
  # each end would count late by however long it took, longer at the end, with more rows
  n="$("${mysql_cli[@]}" -e "SELECT COUNT(*) FROM $stored_rows WHERE $stored_ms >= $t1 AND $stored_ms < $t2")"
  stored_rate="$(awk -v n="${n:-0}" -v ms=$((t2 - t1)) 'BEGIN { printf "%.1f", n * 1000 / ms }')"
  intake_rate="$(bench_result events_per_s "$work/$1.log")"
  backlog_growth=""  # unknown when a reading failed
  [[ -z "$b1" || -z "$b2" ]] || backlog_growth="$(awk -v a="$b1" -v b="$b2" -v ms=$((t2 - t1)) 'BEGIN { printf "%.0f", (b - a) * 1000 / ms }')"
  echo "   $stored_rate events/s stored during the measured ${duration} s, ${intake_rate:-?} acknowledged;" \
       "backlog ${b1:-?} -> ${b2:-?} (${backlog_growth:-?} events/s)"
  # whether the JIT was still at work in the window (its two ends are about a backlog reading apart
  # from the window's: close enough for a share of a core). jcmd is one more JVM start and a
  # safepoint at each end of the window, as the backlog readings are: about 1 % of its CPU
  [[ -s "$work/threads-$1-0.tsv" && -s "$work/threads-$1-1.tsv" ]] || { echo "   (jcmd gave no thread figures)"; return 0; }
  awk -F '\t' -v s="$(( (t2 - t1 > 0 ? t2 - t1 : 1) ))" -v re="$BENCH_JIT_THREADS" 'NR == FNR { before[$1] = $3; next }
    { all += $3 - before[$1] } $2 ~ re { jit += $3 - before[$1] }
    END { printf "   gamewire'"'"'s Java threads kept %.2f cores busy in the window, its JIT compiler threads %.2f of them\n", all / s, jit / s }' \
    "$work/threads-$1-0.tsv" "$work/threads-$1-1.tsv"
}

echo "== end to end: TCP in -> stored, ${warmup} s warm-up + ${duration} s, as fast as acknowledged"
end_to_end e2e 0 "$warmup"
# the intake outruns the stores here: what is stored is what the consumers got of the cores beside it
e2e_unpaced_rate="$stored_rate"; e2e_intake_rate="$intake_rate"; e2e_unpaced_growth="$backlog_growth"
# e2e_per_s is the paced run's: empty when it did not run
e2e_rate=""
e2e_sustained=""
if ! [[ "$offered_rate" =~ ^[0-9]+$ ]] || (( offered_rate == 0 )); then
  echo "   (no paced run: $([[ "$offered_rate" == 0 && -n "$skip_perftest" ]] && echo "--no-perftest gives no target rate; pass --e2e-rate N" \
    || echo "--e2e-rate is $offered_rate; a whole number of events/s, or PerfTest's rate, is needed"))"
else
  paced_warmup=$((warmup < 10 ? warmup : 10))
  echo "== end to end again, the load paced at $offered_rate events/s, once the backlog is stored; ${paced_warmup} s warm-up + ${duration} s"
  expected="$(accepted "${warmup_logs[@]}" "$work/fill.log" "$work/e2e.log")"
  await_stored "$expected"
  end_to_end e2e-paced "$offered_rate" "$paced_warmup"
  e2e_rate="$stored_rate"
  # sustained: 97 % of the offered rate stored, the backlog grew by under 3 % of it
  e2e_sustained="$(awk -v s="$stored_rate" -v g="$backlog_growth" -v r="$offered_rate" \
    'BEGIN { print (s < 0.97 * r) ? "no" : (g == "") ? "unknown" : (g <= 0.03 * r) ? "yes" : "no" }')"
  echo "   sustained: $e2e_sustained (97 % stored, backlog growth under 3 % of the offered rate)"
  # the load generator's CPU per event at the target's rate, in a run with a warm-up (the fill's
  # load generator has none, so its figure carries its own start and JIT: 36-37 µs against 17-31)
  paced_load_us="$(bench_result load_cpu_us "$work/e2e-paced.log")"
  [[ -z "$paced_load_us" ]] || e2e_load_us="$paced_load_us"
fi
gamewire_stop

bound_rate=""
if [[ -z "$skip_perftest" ]]; then
  # What the broker alone drains: the drain's backlog size of messages of gamewire's size in a
  # quorum queue, taken by as many consumers with the same prefetch as gamewire's, acked as gamewire
  # acks: a batch's share of each channel at once (batch / consumers, multiple=true); the ceiling
  # of a drain on these cores, whatever the sinks
  echo "== the broker alone: PerfTest fills a quorum queue with $queued messages, $consumers consumers (DrainQueue) drain it"
  perftest=(java -cp "$(cat "$perftest_cp_file")" com.rabbitmq.perf.PerfTest --uri "$amqp_uri")
  message_bytes="$(java -cp "$bench_jar" io.gamewire.bench.load.LoadMain frame-bytes --size "$size")"
  "${perftest[@]}" --id fill --queue "$bound_queue" --quorum-queue --producers "$connections" --consumers 0 \
    --pmessages $(( (queued + connections - 1) / connections )) --confirm "$in_flight" --size "$message_bytes" \
    --flag persistent --metrics-format compact >"$work/bound-fill.log" 2>&1
  ack_every=$(( batch / consumers > 0 ? batch / consumers : 1 ))
  ack_every=$(( ack_every < prefetch ? ack_every : prefetch ))
  bench_cpu_snapshot "$work/cpu-bound-0" ${rabbitmq:+"$rabbitmq"}
  bound_out="$(java -cp "$(cat "$perftest_cp_file")" bench/perf-test/DrainQueue.java "$amqp_uri" "$bound_queue" \
    "$consumers" "$prefetch" "$queued" "$ack_every" || true)"
  bench_cpu_snapshot "$work/cpu-bound-1" ${rabbitmq:+"$rabbitmq"}
  bound_rate="$(sed -n 's/^RESULT .*messages_per_s=\([0-9.]*\).*/\1/p' <<<"$bound_out")"
  echo "   ${bound_rate:-?} messages/s drained (DrainQueue, acking every $ack_every: first delivery to last);" \
       "the broker's CPU per message (over DrainQueue's whole run, its start-up included):"
  bench_cpu_budget "$work/cpu-bound-0" "$work/cpu-bound-1" "$queued" | { grep -v -e '^RESULT' -e '^   all ' || true; }
fi

echo
echo "== summary (payload $size B; batch $batch, $writers writers; MySQL $mysql_host:$mysql_port)"
printf '%-34s %12s %8s  %s\n' "run" "events/s" "ratio" "target"
printf '%-34s %12s %8s  %s\n' "raw JDBC upsert" "$raw_rate" "1.00" "(rows/s, base of the drain)"
awk -v r="$drain_rate" -v b="$raw_rate" -v name="queue -> $sinks${no_event_row:+ (no ev. row)}" 'BEGIN { q = r / b
  printf "%-34s %12.1f %8.2f  %s\n", name, r, q, (q >= 0.5 ? ">= 0.5 x raw: met" : ">= 0.5 x raw: MISSED") }'
if [[ -n "$bound_rate" ]]; then
  awk -v r="$drain_rate" -v b="$bound_rate" 'BEGIN {
    printf "%-34s %12.1f %8.2f  %s\n", "broker alone, drain", b, r / b, "(the drain as a share of what the broker drains alone)" }'
fi
if [[ -n "$perftest_rate" ]]; then
  printf '%-34s %12s %8s  %s\n' "PerfTest" "$perftest_rate" "1.00" "(confirmed publishes, base of end to end)"
  awk -v r="$e2e_unpaced_rate" -v b="$perftest_rate" -v i="$e2e_intake_rate" 'BEGIN {
    printf "%-34s %12.1f %8.2f  %s\n", "TCP in -> stored, unpaced", r, r / b, "(context: " i " events/s taken in)" }'
  if [[ -n "$e2e_sustained" ]]; then
    awk -v r="$e2e_rate" -v b="$perftest_rate" -v o="$offered_rate" -v ok="$e2e_sustained" 'BEGIN { q = r / b
      printf "%-34s %12.1f %8.2f  %s\n", "TCP in -> stored, paced", r, q, ">= 0.5 x PerfTest, sustained (offered " o "): " \
        ((q >= 0.5 && ok == "yes") ? "met" : "MISSED") }'
  fi
else
  printf '%-34s %12s\n' "TCP in -> stored, unpaced" "$e2e_unpaced_rate"
  [[ -z "$e2e_sustained" ]] || printf '%-34s %12s  %s\n' "TCP in -> stored, paced" "$e2e_rate" "(offered $offered_rate, sustained: $e2e_sustained)"
fi
echo
echo "== what the targets leave for gamewire (CPU per event at the target's rate)"
bench_cpu_budget_line "drain" "$(awk -v r="$raw_rate" 'BEGIN { if (r > 0) print r / 2 }')" "${drain_services_us:-}" 0 \
  "$drain_cpu_us"
# end to end: the fill's CPU per event (taken in) plus the drain's (stored)
bench_cpu_budget_line "end to end" "$(awk -v r="$perftest_rate" 'BEGIN { if (r > 0) print r / 2 }')" \
  "${e2e_services_us:-}" "${e2e_load_us:-}" "${e2e_gamewire_us:-}" "${e2e_jit_us:-}"
# one line for scripts (bench/run-all.sh); an empty value was not measured
echo "RESULT raw_rows_per_s=$raw_rate drain_per_s=$drain_rate drain_cpu_us=$drain_cpu_us broker_drain_per_s=$bound_rate perftest_per_s=$perftest_rate e2e_per_s=$e2e_rate e2e_sustained=$e2e_sustained e2e_offered_per_s=${e2e_sustained:+$offered_rate} e2e_unpaced_per_s=$e2e_unpaced_rate e2e_intake_per_s=$e2e_intake_rate e2e_unpaced_backlog_growth_per_s=$e2e_unpaced_growth drain_services_us=${drain_services_us:-} e2e_gamewire_us=${e2e_gamewire_us:-} e2e_jit_us=${e2e_jit_us:-} e2e_load_us=${e2e_load_us:-} e2e_services_us=${e2e_services_us:-} perftest_cores=$perftest_cores"
