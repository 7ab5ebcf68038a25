#!/usr/bin/env bash
# Throughput against instance count: 1, 2, 3 … gamewire instances on the prod profile in front of the
# local 3-node RabbitMQ cluster (bench/cluster/rabbitmq-cluster.sh; quorum queues replicated on all
# three), with one shared MariaDB database, Redis and memcached. One load generator (LoadMain tcp)
# spreads its connections over the instances' GWP ports, as a round-robin load balancer would; the
# total load (connections x in flight) is the same for every count, so the ratios say what more
# instances add, not what more load adds.
#   1. PerfTest on the same cluster, before gamewire: the broker's own confirmed publish rate with
#      the same producers and window (the ceiling of ingest).
#   2. ingest: the instances ingest-only (gamewire.consumers.enabled=false), started one more per
#      step; events acknowledged per second through all of them. The queue is purged between steps.
#   3. end to end: the same with consumers; events stored in MariaDB per second (events.stored_at_ms
#      within the counted window), the load unpaced, so the consumers always have a backlog.
# During every counted window the CPU seconds of each process (the cluster's beam.smp nodes,
# mariadbd, redis-server, memcached, each gamewire JVM, the load generator) are read from
# /proc/PID/stat: the cores each kept busy name the bound. Writes scale.csv, scale.png (XChart,
# io.gamewire.bench.plot.ScaleChart), summary.md and every tool's log into --out.
#
# bench/run-scale-bench.sh --help lists the options; bench/README.md has the figures.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# shellcheck source=bench/lib/gamewire.sh
source bench/lib/gamewire.sh

counts="1 2 3"
phases="ingest e2e"
warmup=10
e2e_warmup=30
duration=30
connections=6
in_flight=128
size=256
consumers=2
prefetch=250
sinks="sql kv cache"
mysql_host=127.0.0.1
mysql_port=3306
mysql_user=root
redis=127.0.0.1:6379
memcached=127.0.0.1:11211
http_base=18180
tcp_base=17510
skip_perftest=""
out="bench/results/scale-$(date +%F-%H%M)"
cluster=bench/cluster/rabbitmq-cluster.sh

usage() {
  cat <<USAGE
Usage: bench/run-scale-bench.sh [options]

  --counts "N ..."     instance counts, in the order run (default "$counts"); each step starts the
                       instances it lacks, so the largest count is how many run at the end
  --phases "P ..."     ingest, e2e or both (default "$phases")
  --warmup SECONDS     not counted (default $warmup)   --duration SECONDS  counted (default $duration)
  --e2e-warmup SECONDS the end-to-end runs' warm-up (default $e2e_warmup): a new instance's consumer
                       path starts cold (JIT), and stored 75 events/s against 881 taken in during a
                       first 10 s warm-up + 30 s on a loaded machine, 2026-12-05
  --connections N      GWP connections over all instances, taken by the instances in turn
                       (default $connections: a multiple of 1, 2 and 3); --in-flight N per connection
                       (default $in_flight); PerfTest gets as many producers and that window
  --size BYTES         JSON payload per event (default $size)
  --consumers N        consumers of the bench service per instance (default $consumers); --prefetch N
                       (default $prefetch)
  --sinks "S ..."      sinks besides the events row: sql, kv, cache (default "$sinks")
  --mysql HOST:PORT    MariaDB/MySQL (default $mysql_host:$mysql_port, user $mysql_user, no password);
                       database gw_bench_scale_<pid> is made and dropped
  --redis HOST:PORT    (default $redis)    --memcached HOST:PORT (default $memcached); keys under
                       the prefix gwscale<pid>: are deleted at the end
  --no-perftest        skip PerfTest
  --out DIR            results (default bench/results/scale-<date>-<time>)

The cluster: GAMEWIRE_CLUSTER_OFFSET and the other settings of $cluster apply. When no node of
it runs, the script brings it up and takes it down at the end; one already up is used and left up.
It makes the virtual host gw-bench-scale-<pid> there and deletes it at the end. Ports: HTTP
$((http_base + 1))…, GWP $((tcp_base + 1))… (one each per instance). Exit status 1 when a step failed.
USAGE
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-perftest) skip_perftest=1; shift; continue ;;
    -h|--help) usage; exit 0 ;;
  esac
  [[ $# -ge 2 ]] || { echo "run-scale-bench: $1 needs a value" >&2; exit 2; }
  case "$1" in
    --counts) counts="$2" ;;
    --phases) phases="$2" ;;
    --e2e-warmup) e2e_warmup="$2" ;;
    --warmup) warmup="$2" ;;
    --duration) duration="$2" ;;
    --connections) connections="$2" ;;
    --in-flight) in_flight="$2" ;;
    --size) size="$2" ;;
    --consumers) consumers="$2" ;;
    --prefetch) prefetch="$2" ;;
    --sinks) sinks="$2" ;;
    --mysql) mysql_host="${2%%:*}"; mysql_port="${2##*:}" ;;
    --redis) redis="$2" ;;
    --memcached) memcached="$2" ;;
    --out) out="$2" ;;
    *) echo "run-scale-bench: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift 2
done
for phase in $phases; do
  [[ "$phase" == ingest || "$phase" == e2e ]] || { echo "run-scale-bench: --phases takes ingest and e2e, not '$phase'" >&2; exit 2; }
done
for n in $counts; do
  [[ "$n" =~ ^[1-9]$ ]] || { echo "run-scale-bench: --counts takes instance counts 1-9, not '$n'" >&2; exit 2; }
  (( connections >= n )) || { echo "run-scale-bench: --connections $connections is fewer than $n instances" >&2; exit 2; }
done

bench_build_missing gamewire
mkdir -p "$out/cpu"
out="$(cd "$out" && pwd)"
cpu="$out/cpu"  # the CPU snapshots, kept as evidence of the bound
work="$(mktemp -d /tmp/gamewire-scale-bench.XXXXXX)"
bench_fresh_work "$work"
export GAMEWIRE_JAR="$work/gamewire.jar"
api_key="bench-key-$$"
vhost="gw-bench-scale-$$"
database="gw_bench_scale_$$"
prefix="gwscale$$:"
mysql_cli=(mysql -h "$mysql_host" -P "$mysql_port" -u "$mysql_user" --batch --skip-column-names)
cluster_started=""
declare -a instance_pids=()

stop_instances() {
  local pid
  for pid in "${instance_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${instance_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  instance_pids=()
}

cleanup() {
  stop_instances
  "${mysql_cli[@]}" -e "DROP DATABASE IF EXISTS $database" 2>/dev/null || true
  bench_delete_redis_prefix "$redis" "$prefix"
  # memcached entries expire by their TTL (the bench title's 10 m); the prefix keeps them apart
  if [[ -n "$cluster_started" ]]; then
    "$cluster" down || true
  else
    "$cluster" ctl 1 delete_vhost "$vhost" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
set -E  # the ERR trap in functions too
trap 'echo "run-scale-bench: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
trap 'echo "run-scale-bench: stopped by a signal" >&2; exit 1' TERM INT HUP

echo "== scale bench: instances $counts; $connections connections x $in_flight in flight, $size B," \
  "sinks events + $sinks; warm-up $warmup s (end to end $e2e_warmup s), counted $duration s; $(nproc) cores; load average" \
  "$(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%FT%TZ)" | tee "$out/run.log"

if [[ -z "$("$cluster" pids)" ]]; then
  echo "== bringing the cluster up" | tee -a "$out/run.log"
  cluster_started=1
  "$cluster" up | tee -a "$out/run.log"
fi
addresses="$("$cluster" addresses)"
"$cluster" ctl 1 add_vhost "$vhost" >/dev/null
"$cluster" ctl 1 set_permissions -p "$vhost" guest ".*" ".*" ".*" >/dev/null
amqp_uri="amqp://guest:guest@${addresses%%,*}/$vhost"
echo "   cluster $addresses, virtual host $vhost" | tee -a "$out/run.log"

# the processes whose CPU a run samples, as NAME=PID: the cluster's nodes, the shared servers
read -r -a servers <<<"$( { "$cluster" pids | awk '{ print "rabbitmq" $1 "=" $2 }'
  bench_services | { grep -v '^rabbitmq=' || true; }; } | tr '\n' ' ')"
echo "   sampled: ${servers[*]}" | tee -a "$out/run.log"

"${mysql_cli[@]}" -e "DROP DATABASE IF EXISTS $database; CREATE DATABASE $database"
mkdir -p "$work/config"
cp config/application.properties config/application-prod.properties "$work/config/"
bench_write_title "$work/config" "$api_key" "$consumers" "$prefetch" "$sinks"
export GAMEWIRE_BROKER_ADDRESSES="$addresses"
export GAMEWIRE_DB_URL="jdbc:mysql://$mysql_host:$mysql_port/$database?useSSL=false&allowPublicKeyRetrieval=true&rewriteBatchedStatements=true&connectTimeout=3000&socketTimeout=30000"
export GAMEWIRE_DB_USER="$mysql_user" GAMEWIRE_DB_PASSWORD=""
export GAMEWIRE_KV_TYPE=redis GAMEWIRE_KV_REDIS_HOST="${redis%%:*}" GAMEWIRE_KV_REDIS_PORT="${redis##*:}"
export GAMEWIRE_KV_KEY_PREFIX="$prefix"
export GAMEWIRE_CACHE_TYPE=memcached GAMEWIRE_CACHE_MEMCACHED_SERVERS="$memcached" GAMEWIRE_CACHE_KEY_PREFIX="$prefix"
export GAMEWIRE_ARGS="--config $work/config"

message_bytes="$(java -cp bench/target/benchmarks.jar io.gamewire.bench.load.LoadMain frame-bytes --size "$size")"
process_names="rabbitmq mariadb redis memcached gamewire load others"
echo "instances,phase,events_per_s,stored_per_s$(for p in $process_names; do printf ',%s_cores' "$p"; done)" >"$out/scale.csv"

# snapshot FILE NAME=PID...: bench_cpu_snapshot, and a last line "machine SECONDS": the CPU of every
# process on the machine so far, with what each has collected from its ended children (so that the
# CI's and the other tenants' short-lived processes count too)
snapshot() {
  bench_cpu_snapshot "$@"
  # a process that ends between the glob and its read fails cat: not an error here
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v hz="$(getconf CLK_TCK)" '
    { sub(/^[^)]*\) /, ""); t += $12 + $13 + $14 + $15 } END { printf "machine %.2f\n", t / hz }' >>"$1"
}

# cores_row BEFORE AFTER: the cores each kind of process kept busy between two snapshot files (the
# three nodes summed, the instances summed; others: the machine's CPU less all of these), as CSV
# cells in the order of $process_names
cores_row() {
  awk -v names="$process_names" 'NR == FNR { before[$1] = $2; next }
    $1 in before { d = $2 - before[$1]
      if ($1 == "wall") wall = d; else if ($1 == "machine") machine = d
      else { kind = $1; sub(/[0-9]+$/, "", kind); used[kind] += d; ours += d } }
    END { used["others"] = machine > ours ? machine - ours : 0
      n = split(names, order, " "); for (i = 1; i <= n; i++) printf ",%.2f", (wall > 0 ? used[order[i]] / wall : 0) }' "$1" "$2"
}

perftest_rate=""
if [[ -z "$skip_perftest" ]]; then
  echo "== PerfTest on the cluster: $connections producers x confirm window $in_flight, quorum queue, $message_bytes B" | tee -a "$out/run.log"
  bench_perftest "$amqp_uri" "$warmup" $((warmup + duration)) "$out/perftest.log" --producers "$connections" \
    --confirm "$in_flight" --consumers 0 --size "$message_bytes" >"$work/perftest.rate" &
  perftest_job=$!
  sleep $((warmup + 5))   # PerfTest's own JVM start, then its warm-up
  perftest_pid="$(pgrep -o -f -- "com.rabbitmq.perf.PerfTest .*--id gw-perftest-" || true)"
  snapshot "$cpu/perftest-0" "${servers[@]}" ${perftest_pid:+load="$perftest_pid"}
  sleep $((duration - 5 > 1 ? duration - 5 : 1))
  snapshot "$cpu/perftest-1" "${servers[@]}" ${perftest_pid:+load="$perftest_pid"}
  wait "$perftest_job" || true
  read -r perftest_rate _ <"$work/perftest.rate" || true
  echo "   ${perftest_rate:-?} msg/s confirmed" | tee -a "$out/run.log"
  echo "0,perftest,${perftest_rate:-0},0$(cores_row "$cpu/perftest-0" "$cpu/perftest-1")" >>"$out/scale.csv"
fi

# start_instance I CONSUMERS(on|off): gamewire instance I on its own ports and data folder
start_instance() {
  mkdir -p "$work/g$1"
  gamewire_start "$amqp_uri" 127.0.0.1 $((http_base + $1)) $((tcp_base + $1)) "$work/g$1" "$2" >>"$out/run.log"
  instance_pids+=("$gamewire_pid")
}

# measure PHASE N: the load over the N instances' GWP ports for warm-up + duration; appends the row
# to scale.csv and prints what it measured
measure() {
  local phase="$1" n="$2" ports i t1 t2 stored=0 load_pid warmup="$warmup"
  [[ "$phase" == e2e ]] && warmup="$e2e_warmup"
  ports="$(for ((i = 1; i <= n; i++)); do printf '%s%d' "$([[ $i -gt 1 ]] && echo ,)" $((tcp_base + i)); done)"
  java -cp bench/target/benchmarks.jar io.gamewire.bench.load.LoadMain tcp --port "$ports" --api-key "$api_key" \
    --routing-key bench.prod.stats.match_end --size "$size" --connections "$connections" \
    --in-flight "$in_flight" --warmup "${warmup}s" --duration "${duration}s" >"$out/$phase-$n.log" 2>&1 &
  load_pid=$!
  local named=(load="$load_pid")
  for ((i = 1; i <= n; i++)); do named+=("gamewire$i=${instance_pids[$((i - 1))]}"); done
  # LoadMain connects and probes before its warm-up: a second
  sleep $((warmup + 1))
  t1="$(date +%s%3N)"; snapshot "$cpu/$phase-$n-0" "${servers[@]}" "${named[@]}"
  sleep $((duration - 2))
  t2="$(date +%s%3N)"; snapshot "$cpu/$phase-$n-1" "${servers[@]}" "${named[@]}"
  wait "$load_pid" || { echo "run-scale-bench: the load over $n instances failed: $(tail -3 "$out/$phase-$n.log")" >&2; exit 1; }
  local acked
  acked="$(bench_result events_per_s "$out/$phase-$n.log")"
  if [[ "$phase" == e2e ]]; then
    stored="$("${mysql_cli[@]}" -e "SELECT COUNT(*) FROM $database.events WHERE stored_at_ms >= $t1 AND stored_at_ms < $t2")"
    stored="$(awk -v n="$stored" -v ms=$((t2 - t1)) 'BEGIN { printf "%.1f", n * 1000 / ms }')"
  fi
  echo "$n,$phase,$acked,$stored$(cores_row "$cpu/$phase-$n-0" "$cpu/$phase-$n-1")" >>"$out/scale.csv"
  {
    echo "   $n instance(s), $phase: $acked events/s acknowledged$([[ "$phase" == e2e ]] && echo ", $stored events/s stored");" \
      "load average $(cut -d' ' -f1 /proc/loadavg); CPU by process over the counted window:"
    bench_cpu_budget <(grep -v '^machine ' "$cpu/$phase-$n-0") "$cpu/$phase-$n-1" "$(awk -v r="$acked" -v s=$(((t2 - t1) / 1000)) 'BEGIN { printf "%d", r * s }')" \
      | grep -v '^RESULT'
  } | tee -a "$out/run.log"
}

purge() {
  "$cluster" ctl 1 purge_queue -p "$vhost" bench.prod.stats >/dev/null 2>&1 || true
}

for phase in $phases; do
  echo "== $phase: $([[ $phase == ingest ]] && echo "ingest-only instances (consumers off)" || echo "instances with $consumers consumers each, stored in MariaDB")" | tee -a "$out/run.log"
  for n in $counts; do
    while (( ${#instance_pids[@]} < n )); do
      start_instance $(( ${#instance_pids[@]} + 1 )) "$([[ $phase == ingest ]] && echo off || echo on)"
    done
    purge
    measure "$phase" "$n"
  done
  stop_instances
  purge
done

java -cp bench/target/benchmarks.jar io.gamewire.bench.plot.ScaleChart "$out/scale.png" "$out/scale.csv" >/dev/null

# summary.md: the table, ratios to one instance (and to PerfTest) taken in this run
awk -F, -v perftest="${perftest_rate:-0}" '
  NR == 1 { for (i = 5; i <= NF; i++) { name[i] = $i; sub(/_cores$/, "", name[i]) }; last = NF; next }
  $2 == "ingest" || $2 == "e2e" {
    rate = ($2 == "e2e") ? $4 : $3
    if (!($2 in one)) one[$2] = rate
    cores = ""; total = 0
    for (i = 5; i <= last; i++) { cores = cores sprintf(" %s %.2f", name[i], $i); total += $i }
    rows[++k] = sprintf("| %d | %s | %.0f | %.2f | %s | %s |%s (all %.2f) |", $1, ($2 == "e2e" ? "end to end (stored)" : "ingest (acknowledged)"),
      rate, (one[$2] > 0 ? rate / one[$2] : 0), (perftest > 0 ? sprintf("%.2f", rate / perftest) : "-"),
      ($2 == "e2e" ? sprintf("%.0f acknowledged", $3) : ""), cores, total) }
  END {
    print "| instances | path | events/s | ratio to 1 instance | ratio to PerfTest | | cores by process |"
    print "|---:|---|---:|---:|---:|---|---|"
    for (i = 1; i <= k; i++) print rows[i] }' "$out/scale.csv" >"$out/summary.md"
{
  echo
  echo "PerfTest alone on the cluster: ${perftest_rate:-not run} msg/s ($connections producers x confirm window $in_flight, quorum queue)."
} >>"$out/summary.md"
echo
cat "$out/summary.md"
echo "wrote $out/scale.csv, $out/scale.png, $out/summary.md"
