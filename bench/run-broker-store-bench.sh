#!/usr/bin/env bash
# The embedded broker's store, measured alone: Qpid Broker-J started by itself
# (io.gamewire.stack.EmbeddedBrokerMain, from routes/target/gamewire.jar) once per variant per round,
# each time on a fresh data dir, and the same confirmed persistent publishes against it
# (io.gamewire.bench.broker.ConfirmedPublishLoad). Rounds rotate the order; every rate is also given
# as a ratio of the first variant's in the same round, with the medians of the rates and ratios.
#
#   bench/run-broker-store-bench.sh --variant derby=derby --variant bdb=bdb --variant h2=h2 --rounds 3
#
# bench/run-broker-store-bench.sh --help lists the options; bench/README.md has the figures.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# shellcheck source=bench/lib/gamewire.sh
source bench/lib/gamewire.sh

port=15673
publishers=4
window=256
size=256
warmup=5
duration=20
rounds=3
work=/tmp/store-bench-run
repo="${MAVEN_REPO:-$HOME/.m2/repository}"
names=()
declare -A specs=()

usage() {
  cat <<USAGE
Usage: bench/run-broker-store-bench.sh --variant NAME=STORE [JVM-OPTION ...] --variant ... [options]

  --variant NAME=SPEC  a variant: its name, then the store (bdb, derby, memory: none, the bound of
                       the broker itself, or h2: Qpid's JDBC store on an H2 file, with
                       qpid-broker-plugins-jdbc-store from the Maven repository \$MAVEN_REPO,
                       default ~/.m2/repository) and JVM options of the broker, e.g.
                       derby-nosync="derby -Dderby.system.durability=test"; the first is the base
  --rounds N           rounds, each variant once per round, order rotated (default $rounds)
  --publishers N       connections, one confirming channel each (default $publishers)
  --window N           unconfirmed messages per channel (default $window)
  --size BYTES         message body (default $size)
  --warmup SECONDS     not counted (default $warmup)   --duration SECONDS  counted (default $duration)
  --port PORT          the broker's AMQP port (default $port)
  --work DIR           data dirs and logs, emptied first (default $work)

Needs routes/target/gamewire.jar and bench/target/benchmarks.jar (mvn -Pbench package -pl bench).
USAGE
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --variant) names+=("${2%%=*}"); specs["${2%%=*}"]="${2#*=}"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --publishers) publishers="$2"; shift 2 ;;
    --window) window="$2"; shift 2 ;;
    --size) size="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
[[ ${#names[@]} -ge 1 ]] || { usage >&2; exit 2; }
bench_require_jars
jdbc_store_jar="$(ls "$repo"/org/apache/qpid/qpid-broker-plugins-jdbc-store/*/qpid-broker-plugins-jdbc-store-*.jar 2>/dev/null | tail -1 || true)"

bench_fresh_work "$work"
broker_pid=""
stop_broker() {
  bench_stop_pid "$broker_pid"
  broker_pid=""
}
trap stop_broker EXIT

# run_variant NAME ROUND: prints "msg_per_s us_per_msg cores" (in a subshell: stops its broker itself)
run_variant() {
  local name="$1" round="$2" spec store classpath="$work/gamewire.jar"
  read -r -a spec <<<"${specs[$name]}"
  store="${spec[0]}"
  local dir="$work/$name-$round"
  mkdir -p "$dir"
  if [[ "$store" == h2 ]]; then
    [[ -n "$jdbc_store_jar" ]] || { echo "h2: no qpid-broker-plugins-jdbc-store jar under $repo" >&2; exit 2; }
    classpath="$classpath:$jdbc_store_jar"
    store="jdbc:h2:file:$dir/h2/qpid"
  fi
  java "${spec[@]:1}" -cp "$classpath" io.gamewire.stack.EmbeddedBrokerMain "$port" "$dir" "$store" \
    >"$dir/broker.log" 2>&1 &
  broker_pid=$!
  for _ in $(seq 120); do
    grep -q '^READY' "$dir/broker.log" && break
    kill -0 "$broker_pid" 2>/dev/null || { tail -20 "$dir/broker.log" >&2; echo "broker $name stopped" >&2; broker_pid=""; exit 1; }
    sleep 0.5
  done
  local result
  # a store that fails under load (the broker's log says why) counts as 0 msg/s and is kept in $dir
  result="$(java -cp bench/target/benchmarks.jar io.gamewire.bench.broker.ConfirmedPublishLoad \
    --uri "amqp://guest:guest@127.0.0.1:$port" --publishers "$publishers" --window "$window" --size "$size" \
    --warmup "$warmup" --duration "$duration" --cpu-pid "$broker_pid" 2>>"$dir/load.log" | grep '^RESULT')" \
    || { echo "load against $name failed in round $round (see $dir)" >&2
         result="RESULT confirmed=0 nacked=0 seconds=1 msg_per_s=0 broker_cpu_s=0 broker_us_per_msg=0"
         cp -r "$dir" "$dir-failed"; }
  stop_broker
  rm -rf "$dir/bdb" "$dir/default" "$dir/h2"
  local r u c
  read -r r u c < <(awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    printf "%s %s %.2f\n", v["msg_per_s"], v["broker_us_per_msg"], v["broker_cpu_s"] / v["seconds"] }' <<<"$result")
  printf 'round %d  %-14s %8s msg/s  broker %5s us/msg  %s cores\n' "$round" "$name" "$r" "$u" "$c" >&2
  echo "$r $u $c"
}

echo "== store bench: ${names[*]}; $rounds rounds; $publishers publishers x window $window, $size B," \
  "warm-up $warmup s, counted $duration s; $(nproc) cores; $(date -u +%FT%TZ)"
bench_interleave "$rounds" run_variant "${names[@]}" 2>&1

echo
echo "variant        msg/s per round | ratio to ${names[0]} per round | median msg/s | median ratio | median broker us/msg | median cores"
for name in "${names[@]}"; do
  printf '%-14s %s | %s | %s\n' "$name" "$(bench_ratios "$rounds" "$name" "${names[0]}" 1)" \
    "$(bench_column_median "$rounds" "$name" 2)" "$(bench_column_median "$rounds" "$name" 3)"
done
# one line per variant for run-all.sh: the medians over the rounds
for name in "${names[@]}"; do
  echo "RESULT variant=$name confirmed_per_s=$(bench_column_median "$rounds" "$name" 1)" \
    "broker_us_per_msg=$(bench_column_median "$rounds" "$name" 2) rounds=$rounds"
done
# keep what a failed variant left (its broker log), delete the rest
find "$work" -mindepth 1 -maxdepth 1 ! -name '*-failed' -exec rm -rf {} +
rmdir "$work" 2>/dev/null || true
