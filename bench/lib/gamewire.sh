# Shared by the bench scripts (source it): start the gamewire jar on the prod profile against a
# broker, with everything else embedded, and wait until it is UP.
#
# gamewire_start AMQP_URI HOST HTTP_PORT TCP_PORT WORK CONSUMERS(on|off) [JVM option ...]
#   sets gamewire_pid; the log is WORK/gamewire.log; exits 1 when it stops or is not UP in 120 s.
#   SQL, KV store and cache stay embedded unless GAMEWIRE_DB_URL, GAMEWIRE_KV_TYPE or
#   GAMEWIRE_CACHE_TYPE are set (with an embedded KV store, rate limits stay in the instance). JVM options (e.g. -Dgamewire.ops.monitor.enabled=false) override
#   the settings: Camel reads system properties before the properties files. GAMEWIRE_JAR names
#   another jar than routes/target/gamewire.jar (an earlier build, for an A/B run); GAMEWIRE_ARGS
#   adds arguments for gamewire itself (e.g. --config DIR).
# gamewire_stop: stops it and waits.

gamewire_start() {
  local amqp_uri="$1" host="$2" http_port="$3" tcp_port="$4" work="$5" consumers="$6"
  shift 6
  # amqp://user:password@host:port/vhost -> the prod profile's environment variables
  local rest="${amqp_uri#amqp://}" credentials address
  credentials="${rest%%@*}"; address="${rest#*@}"
  local vhost="/"
  [[ "$address" == */* ]] && vhost="${address#*/}" && address="${address%%/*}"
  echo "== starting gamewire --profile prod on ${address}, vhost $vhost $* (log $work/gamewire.log)"
  mkdir -p "$work/dsl-yaml"
  (
    export GAMEWIRE_BROKER_HOST="${address%%:*}" GAMEWIRE_BROKER_PORT="${address##*:}"
    export GAMEWIRE_BROKER_USERNAME="${credentials%%:*}" GAMEWIRE_BROKER_PASSWORD="${credentials#*:}"
    export GAMEWIRE_BROKER_VIRTUAL_HOST="$vhost"
    export GAMEWIRE_HTTP_HOST="$host" GAMEWIRE_HTTP_PORT="$http_port" GAMEWIRE_TCP_PORT="$tcp_port"
    export GAMEWIRE_DATA_DIR="$work/data"
    # no user routes (the dsl-yaml example consumes every halo.prod.stats event too)
    export GAMEWIRE_DSL_YAML_DIR="$work/dsl-yaml"
    [[ "$consumers" == off ]] && export GAMEWIRE_CONSUMERS_ENABLED=false
    if [[ -z "${GAMEWIRE_DB_URL:-}" ]]; then
      # the shipped URL's form (config/application.properties: retry: keeps an interrupted write from closing it)
      export GAMEWIRE_DB_URL="jdbc:h2:retry:file:$work/data/db/gamewire;MODE=MySQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
      export GAMEWIRE_DB_USER=sa GAMEWIRE_DB_PASSWORD=
    fi
    export GAMEWIRE_KV_TYPE="${GAMEWIRE_KV_TYPE:-embedded}" GAMEWIRE_CACHE_TYPE="${GAMEWIRE_CACHE_TYPE:-embedded}"
    # the prod profile keeps rate limits in the KV store's Redis, which an embedded KV store lacks
    [[ "$GAMEWIRE_KV_TYPE" == embedded ]] && export GAMEWIRE_RATE_LIMITS_SHARED="${GAMEWIRE_RATE_LIMITS_SHARED:-false}"
    # shellcheck disable=SC2086 # GAMEWIRE_ARGS holds several words
    exec java "$@" -jar "${GAMEWIRE_JAR:-routes/target/gamewire.jar}" ${GAMEWIRE_ARGS:-} --profile prod
  ) >>"$work/gamewire.log" 2>&1 &
  gamewire_pid=$!
  for _ in $(seq 120); do
    if curl -s -m 2 "http://$host:$http_port/observe/health" | grep -q '"UP"'; then
      return 0
    fi
    if ! kill -0 "$gamewire_pid" 2>/dev/null; then
      tail -20 "$work/gamewire.log" >&2
      echo "bench: gamewire stopped while starting (log above)" >&2
      gamewire_pid=""
      exit 1
    fi
    sleep 1
  done
  echo "bench: gamewire was not UP within 120 s (log $work/gamewire.log)" >&2
  exit 1
}

gamewire_stop() {
  bench_stop_pid "${gamewire_pid:-}"
  gamewire_pid=""
}

# bench_bridge_start AMQP_URI HOST PORT LANES LOG [JVM option ...]: starts a floor bridge
# (bench/README.md): io.gamewire.bench.http.MinimalHttpBridge, under the single-event HTTP row, or
# the class in bridge_class (io.gamewire.bench.tcp.MinimalTcpBridge, under the TCP row), publishing
# what came in or, with bridge_message=gamewire, gamewire's message for each event, with its
# output in LOG, and waits until it listens; sets bridge_pid. On SIGTERM (bench_bridge_stop) it
# deletes its exchange and queue. Returns 1, its log on stderr, when it did not start within 30 s.
bench_bridge_start() {
  java "${@:6}" -cp bench/target/benchmarks.jar "${bridge_class:-io.gamewire.bench.http.MinimalHttpBridge}" \
    --amqp-uri "$1" --host "$2" --port "$3" --lanes "$4" --name "gw-floor-$(date +%s%N)-$$" \
    ${bridge_message:+--message "$bridge_message"} >"$5" 2>&1 &
  bridge_pid=$!
  for _ in $(seq 300); do
    grep -qs '^READY' "$5" && return 0  # -s: the file may not exist yet
    kill -0 "$bridge_pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$5" >&2
  local class="${bridge_class:-MinimalHttpBridge}"
  echo "bench: ${class##*.} did not start (log above)" >&2
  bench_bridge_stop
  return 1
}

# bench_bridge_stop: stops the bridge bench_bridge_start started, if any, and waits
bench_bridge_stop() {
  bench_stop_pid "${bridge_pid:-}"
  bridge_pid=""
}

# bench_stop_pid PID: stops that child of this shell (SIGTERM) and waits for it; nothing when empty
bench_stop_pid() {
  if [[ -n "$1" ]]; then
    kill "$1" 2>/dev/null && wait "$1" 2>/dev/null || true
  fi
}

# bench_fresh_work DIR: DIR emptied, with a copy of routes/target/gamewire.jar (or of GAMEWIRE_JAR,
# an earlier build for an A/B run) in it, so that a build during the run does not change the jar
# under a running process
bench_fresh_work() {
  rm -rf "$1"
  mkdir -p "$1"
  cp "${GAMEWIRE_JAR:-routes/target/gamewire.jar}" "$1/gamewire.jar"
}

# bench_result NAME FILE: the value of NAME=... on the last RESULT line of a tool's output in FILE
bench_result() {
  sed -n "s/^RESULT.* $1=\([^ ]*\).*/\1/p" "$2" | tail -1
}

# bench_cpu_seconds PID: CPU seconds the process has used so far (user + system), from /proc/PID/stat
bench_cpu_seconds() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || { echo 0; return; }
  stat="${stat##*) }" # the fields after the command name, which may hold spaces
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($12 + $13) / hz }' <<<"$stat"
}

# bench_process_cores AFTER SECONDS PROCESS...: waits AFTER seconds, then prints the cores that the
# processes kept busy together over the next SECONDS (their user + system time; run it in the
# background beside a load). A PROCESS is a PID or a pattern for pgrep -f (the oldest match; make it
# one only this run's process matches). Prints nothing when one is not found or ends meanwhile. Not
# /proc/stat: in this machine's VM its ticks do not add up to the wall time.
bench_process_cores() {
  local after="$1" seconds="$2" named=() i=0 p
  shift 2
  for p in "$@"; do named+=("p$((i++))=$p"); done
  bench_cores_by_process "$after" "$seconds" "${named[@]}" | awk '{ sum += $2; n++ } END { if (n) printf "%.2f\n", sum }'
}

# bench_us_per_event CORES_FILE NAME RATE: a process's CPU per event in µs, from its cores in a
# bench_cores_by_process file and the run's rate; empty when either is missing
bench_us_per_event() {
  awk -v name="$2" -v r="$3" '$1 == name && r > 0 { printf "%.1f", $2 * 1e6 / r }' "$1" 2>/dev/null || true
}

# bench_cores_by_process AFTER SECONDS NAME=PROCESS...: as bench_process_cores, but one line
# "NAME CORES" per process
bench_cores_by_process() {
  local after="$1" seconds="$2" pids=() p
  shift 2
  sleep "$after"
  for p in "$@"; do
    local process="${p#*=}"
    [[ "$process" =~ ^[0-9]+$ ]] || process="$(pgrep -o -f -- "$process")" || return 0
    kill -0 "$process" 2>/dev/null || return 0
    pids+=("${p%%=*}=$process")
  done
  bench_cpu_snapshot "/tmp/gamewire-cores-$$-$BASHPID-0" "${pids[@]}"
  sleep "$seconds"
  for p in "${pids[@]}"; do kill -0 "${p#*=}" 2>/dev/null || { rm -f "/tmp/gamewire-cores-$$-$BASHPID-0"; return 0; }; done
  bench_cpu_snapshot "/tmp/gamewire-cores-$$-$BASHPID-1" "${pids[@]}"
  awk 'NR == FNR { before[$1] = $2; next } { used[$1] = $2 - before[$1]; if ($1 != "wall") order[++k] = $1 }
    END { for (i = 1; i <= k; i++) printf "%s %.2f\n", order[i], used[order[i]] / used["wall"] }' \
    "/tmp/gamewire-cores-$$-$BASHPID-0" "/tmp/gamewire-cores-$$-$BASHPID-1"
  rm -f "/tmp/gamewire-cores-$$-$BASHPID-0" "/tmp/gamewire-cores-$$-$BASHPID-1"
}

# bench_services: the servers on this machine that a run's events pass through, as NAME=PID words:
# rabbitmq (the oldest beam.smp: the node, not a CLI tool's), mariadb, redis, memcached; one that is
# not running is left out. For bench_cpu_snapshot: on two shared cores, their CPU is part of what an
# event costs.
bench_services() {
  local service pid
  for service in "rabbitmq=beam.smp" "mariadb=mariadbd|mysqld" "redis=redis-server" "memcached=memcached"; do
    if pid="$(pgrep -o -x "${service#*=}")"; then echo "${service%%=*}=$pid"; fi
  done
}

# bench_local_services AMQP_URI: bench_services, without the broker when AMQP_URI names another
# machine (the local node's CPU would not be the run's)
bench_local_services() {
  local host="${1#amqp://}"
  host="${host#*@}"; host="${host%%[:/]*}"
  if [[ "$host" == 127.0.0.1 || "$host" == localhost ]]; then
    bench_services
  else
    bench_services | { grep -v '^rabbitmq=' || true; }
  fi
}

# bench_cpu_snapshot FILE NAME=PID...: the wall clock and the CPU seconds each process has used so
# far, one "NAME SECONDS" line each, for bench_cpu_budget; a process that is gone has no line
# Reads every /proc/PID/stat with bash builtins and converts them with one awk afterwards: on a
# loaded machine a fork per process took seconds, so the processes were read at different moments
# and the wall clock, taken first, no longer matched them.
bench_cpu_snapshot() {
  local file="$1" p stat fields lines=()
  shift
  local wall="$EPOCHREALTIME"
  for p in "$@"; do
    read -r stat 2>/dev/null <"/proc/${p#*=}/stat" || continue
    read -r -a fields <<<"${stat##*) }" # the fields after the command name, which may hold spaces
    lines+=("${p%%=*} ${fields[11]} ${fields[12]}")
  done
  printf '%s\n' "${lines[@]}" | awk -v hz="$(getconf CLK_TCK)" -v wall="$wall" '
    BEGIN { print "wall " wall } NF == 3 { printf "%s %.2f\n", $1, ($2 + $3) / hz }' >"$file"
}

# bench_cpu_budget BEFORE AFTER EVENTS: between two bench_cpu_snapshot files, each process's CPU per
# event and the cores it kept busy, then all of them together; a process missing from either
# snapshot is left out. The last line is "RESULT cpu_us=... services_us=... cores=...": services are
# the processes that bench_services names.
bench_cpu_budget() {
  [[ "${3:-0}" -gt 0 ]] || { echo "   (no events: no CPU per event)"; return 0; }
  awk -v n="$3" 'NR == FNR { before[$1] = $2; next }
    $1 in before { used[$1] = $2 - before[$1]; if ($1 != "wall") order[++k] = $1 }
    END {
      wall = used["wall"]
      for (i = 1; i <= k; i++) {
        name = order[i]; us = used[name] * 1e6 / n; all += us
        if (name ~ /^(rabbitmq|mariadb|redis|memcached)$/) services += us
        printf "   %-14s %8.1f µs/event  %5.2f cores\n", name, us, (wall > 0 ? used[name] / wall : 0)
      }
      printf "   %-14s %8.1f µs/event  %5.2f cores over %.1f s\n", "all", all, (wall > 0 ? all * n / 1e6 / wall : 0), wall
      printf "RESULT cpu_us=%.1f services_us=%.1f cores=%.2f\n", all, services, (wall > 0 ? all * n / 1e6 / wall : 0)
    }' "$1" "$2"
}

# bench_cpu_budget_line NAME TARGET_RATE SERVICES_US LOAD_US GAMEWIRE_US [JIT_US]: what a throughput target
# leaves for gamewire on these cores (printed whether or not it is met). At the target's rate the cores give nproc x 1e6 / rate µs of CPU per event
# to everything on the machine; the servers and the load generator need what they took per event in
# the run, gamewire gets the rest. Prints nothing when a figure is missing.
bench_cpu_budget_line() {
  [[ -n "$2" && -n "$3" && -n "$5" ]] || return 0
  awk -v r="$2" 'BEGIN { exit !(r > 0) }' || return 0
  awk -v name="$1" -v rate="$2" -v s="$3" -v l="${4:-0}" -v g="$5" -v j="${6:-}" -v n="$(nproc)" 'BEGIN {
    a = n * 1e6 / rate; left = a - s - l
    printf "%s: at %.0f events/s the %d cores give %.1f µs of CPU per event; the servers took %.1f", name, rate, n, a, s
    if (l > 0) printf " and the load generator %.1f", l
    printf " here, which leaves gamewire %.1f µs (it took %.1f: %s)", left, g,
      (left <= 0 ? "out of reach whatever gamewire does" : g <= left ? "within it" : sprintf("%.1f x too much", g / left))
    # the compiler threads still at work on a gamewire that has run a minute or two: what it
    # would take once the JIT is done, for comparison (the figure against the target stays g)
    if (j != "" && left > 0) printf "; %.1f of it in the JIT compiler threads, %.1f without them: %s", j, g - j,
      (g - j <= left ? "within it" : sprintf("%.1f x too much", (g - j) / left))
    printf "\n" }'
}

# bench_thread_cpu PID FILE: each Java thread's CPU so far (a thread dump's cpu=...ms), for
# bench_thread_cpu_table; an empty FILE when the process is gone
bench_thread_cpu() {
  jcmd "$1" Thread.print 2>/dev/null | sed -n 's/^"\(.*\)" #\([0-9]*\).* cpu=\([0-9.]*\)ms.*/\2\t\1\t\3/p' >"$2" || true
}

# bench_thread_cpu_table BEFORE AFTER EVENTS: where the CPU between two bench_thread_cpu snapshots
# went, per kind of thread (numbers in names folded, Camel's "Camel (gamewire) thread #5 - " prefix
# dropped), in µs per event, largest first. The JIT's compiler threads are Java threads and are in
# it; the GC's and the VM's own threads are not, nor is a thread that ended between the snapshots
# (compiler threads come and go): compare the total with the process's CPU.
bench_thread_cpu_table() {
  [[ "${3:-0}" -gt 0 ]] || { echo "   (no events: no CPU per event)"; return 0; }
  awk -F '\t' -v n="$3" 'NR == FNR { before[$1] = $3; next }
    { name = $2; sub(/^Camel \([^)]*\) thread #[0-9]+ - /, "", name); gsub(/[0-9]+/, "N", name)
      cpu[name] += $3 - before[$1]; total += $3 - before[$1] }
    END { for (name in cpu) if (cpu[name] * 1000 / n >= 0.5)
            printf "   %8.1f µs/event  %5.1f %%  %s\n", cpu[name] * 1000 / n, (total > 0 ? 100 * cpu[name] / total : 0), name
          printf "   %8.1f µs/event  100.0 %%  (all Java threads)\n", total * 1000 / n }' "$1" "$2" | sort -rn
}

# The JIT's compiler threads in a bench_thread_cpu snapshot (C1 and C2)
BENCH_JIT_THREADS='^C[12] CompilerThread'

# bench_thread_cpu_of BEFORE AFTER EVENTS REGEX: µs per event that the threads whose names match REGEX
# took between two bench_thread_cpu snapshots (two decimals; empty when EVENTS is 0). With EVENTS
# the milliseconds between the snapshots times 1000, it gives the cores those threads kept busy.
bench_thread_cpu_of() {
  # an empty snapshot (jcmd could not attach) gives nothing rather than a wrong 0
  [[ "${3:-0}" -gt 0 && -s "$1" && -s "$2" ]] || return 0
  awk -F '\t' -v n="$3" -v re="$4" 'NR == FNR { before[$1] = $3; next }
    $2 ~ re { sum += $3 - before[$1] } END { printf "%.2f", sum * 1000 / n }' "$1" "$2"
}

# bench_median: the median of the numbers on standard input, one per line, two decimals
bench_median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR) printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# bench_delete_queue AMQP_URI QUEUE: deletes the queue (ingest-only runs leave their events in it)
# bench_delete_redis_prefix HOST:PORT PREFIX: deletes every Redis key under PREFIX (a bench's cleanup)
bench_delete_redis_prefix() {
  local host="${1%%:*}" port="${1##*:}"
  redis-cli -h "$host" -p "$port" --scan --pattern "${2}*" \
    | xargs -r -n 500 redis-cli -h "$host" -p "$port" del >/dev/null 2>&1 || true
}

bench_delete_queue() {
  java -Dlogback.configurationFile=bench/perf-test/logback-warn.xml -cp "$(cat bench/target/perf-test.classpath)" \
    bench/perf-test/DeleteAmqpObjects.java "$1" "$2" "" >/dev/null 2>&1 || true
}

# bench_require_own_vhost SCRIPT AMQP_URI: exits 2 unless the URI names a virtual host other than /
bench_require_own_vhost() {
  local rest="${2#amqp://}"; rest="${rest#*@}"
  if [[ "$rest" != */?* || "$(tr "[:upper:]" "[:lower:]" <<<"${rest#*/}")" == "%2f" ]]; then
    echo "$1: give the bench a virtual host of its own (--amqp-uri …/gw-bench): ingest-only" \
         "runs leave their events in the service queue, and the script deletes that backlog" >&2
    exit 2
  fi
}

# bench_vhost NAME AMQP_URI: prints AMQP_URI (amqp://user:password@host:port[/…]) with its virtual
# host replaced by NAME
bench_vhost() {
  local rest="${2#amqp://}"
  local credentials="${rest%%@*}" address="${rest#*@}"
  echo "amqp://$credentials@${address%%/*}/$1"
}

# bench_make_vhost AMQP_URI: makes the URI's virtual host if it is missing and lets its user use it
# (rabbitmqctl when on PATH, else the management API on port 15672 of the same host)
bench_make_vhost() {
  local rest="${1#amqp://}"
  local credentials="${rest%%@*}" address="${rest#*@}"
  local vhost="${address#*/}" host="${address%%:*}" user="${credentials%%:*}"
  [[ "$address" == */?* && "${vhost,,}" != "%2f" ]] || return 0
  if command -v rabbitmqctl >/dev/null; then
    rabbitmqctl -q add_vhost "$vhost" 2>/dev/null || true
    rabbitmqctl -q set_permissions -p "$vhost" "$user" ".*" ".*" ".*" >/dev/null
  else
    curl -sf -u "$credentials" -X PUT "http://$host:15672/api/vhosts/$vhost" >/dev/null
    curl -sf -u "$credentials" -X PUT -H 'content-type: application/json' \
      -d '{"configure":".*","write":".*","read":".*"}' "http://$host:15672/api/permissions/$vhost/$user" >/dev/null
  fi
}

# bench_drop_vhost AMQP_URI: deletes the URI's virtual host with everything in it (never /)
bench_drop_vhost() {
  local rest="${1#amqp://}"
  local credentials="${rest%%@*}" address="${rest#*@}"
  local vhost="${address#*/}" host="${address%%:*}"
  [[ "$address" == */?* && "${vhost,,}" != "%2f" ]] || return 0
  if command -v rabbitmqctl >/dev/null; then
    rabbitmqctl -q delete_vhost "$vhost" 2>/dev/null || true
  else
    curl -sf -u "$credentials" -X DELETE "http://$host:15672/api/vhosts/$vhost" >/dev/null || true
  fi
}

# bench_purge_queue AMQP_URI QUEUE: drops the messages in the queue and keeps it (gamewire, still
# running, publishes to it); between loads of an ingest-only run so that a backlog of one load does
# not slow the next
bench_purge_queue() {
  local rest="${1#amqp://}"
  local address="${rest#*@}"
  local credentials="${rest%%@*}" vhost="${address#*/}"
  if command -v rabbitmqctl >/dev/null; then
    rabbitmqctl -q purge_queue -p "$vhost" "$2" >/dev/null 2>&1 || true
  else
    curl -sf -u "$credentials" -X DELETE "http://${address%%:*}:15672/api/queues/$vhost/$2/contents" >/dev/null || true
  fi
}

# bench_perftest AMQP_URI WARMUP SECONDS LOG [PerfTest option ...]: RabbitMQ PerfTest for SECONDS
# on a topic exchange and a quorum queue of its own (routing key halo.prod.stats.match_end, both
# named gw-perftest-<time>-<pid> and deleted afterwards), persistent messages, with the options
# given (--producers, --consumers, --confirm, --size, --rate per producer, …); output in LOG.
# BENCH_QUEUE_TYPE=classic makes the queue a classic durable one instead.
# Prints "RATE P99_MS": the mean of its per-second confirmed rate after WARMUP seconds, and the
# 99th percentile of its confirm latency from its end-of-run report.
bench_perftest() {
  local uri="$1" warmup="$2" seconds="$3" log="$4" id
  shift 4
  id="gw-perftest-$(date +%s%N)-$$"
  local queue_flags=(--quorum-queue)
  [[ "${BENCH_QUEUE_TYPE:-quorum}" == classic ]] && queue_flags=(-ad false)
  java -cp "$(cat bench/target/perf-test.classpath)" com.rabbitmq.perf.PerfTest --uri "$uri" --id "$id" \
    --exchange "$id" --type topic --routing-key halo.prod.stats.match_end --queue "$id" "${queue_flags[@]}" \
    --flag persistent --time "$seconds" --metrics-format compact "$@" >"$log" 2>&1 || true
  # a quorum queue cannot be auto-deleted, and PerfTest's exchange never is
  java -Dlogback.configurationFile=bench/perf-test/logback-warn.xml -cp "$(cat bench/target/perf-test.classpath)" \
    bench/perf-test/DeleteAmqpObjects.java "$uri" "$id" "$id" >/dev/null 2>&1 || true
  # per-second lines "<t>s  <sent> msg/s  <confirmed> msg/s ..."; the report line
  # "confirm latency min/median/75th/95th/99th a/b/c/d/e µs"
  awk -v warmup="$warmup" '
    $1 ~ /^[0-9.]+s$/ && $3 == "msg/s" && $5 == "msg/s" {
      t = substr($1, 1, length($1) - 1) + 0; if (t > warmup + 0.5) { sum += $4; n++ } }
    /^confirm latency min\/median/ { split($4, q, "/"); p99 = q[5] / ($5 == "ms" ? 1 : 1000) }
    END { if (n > 0) printf "%.1f %s\n", sum / n, (p99 == "" ? "-" : sprintf("%.2f", p99)) }' "$log"
}

# bench_build_missing [gamewire]: builds what the bench scripts run when it is missing: the bench
# jar (binary-protocol is built into its target/ only, nothing is installed into ~/.m2), PerfTest's
# class path (Maven Central has PerfTest as a plain jar: its class path comes from its POM), and
# with "gamewire" the gamewire jar
bench_build_missing() {
  if [[ ! -f bench/target/benchmarks.jar ]]; then
    mvn -B -q -Pbench package -pl bench -am -DskipTests
  fi
  if [[ ! -s bench/target/perf-test.classpath ]]; then
    mvn -B -q -f bench/perf-test/pom.xml dependency:build-classpath -Dmdep.outputFile="$PWD/bench/target/perf-test.classpath"
  fi
  if [[ "${1:-}" == gamewire && ! -f routes/target/gamewire.jar ]]; then
    mvn -B -q package -pl routes -am -DskipTests
  fi
}

# bench_write_title CONFIG_DIR API_KEY CONSUMERS PREFETCH "SINKS": writes CONFIG_DIR/titles/bench.yaml,
# the bench title: match_end events (LoadMain's payloads, routing key bench.prod.stats.match_end)
# stored by CONSUMERS consumers of prefetch PREFETCH in the events table and the sinks named in
# SINKS (sql, kv, cache), published with API_KEY; no-event-row in SINKS gives the command
# event-row: false (no events row)
bench_write_title() {
  local dir="$1/titles" key_sha sink
  mkdir -p "$dir"
  key_sha="$(printf '%s' "$2" | sha256sum | cut -d' ' -f1)"
  cat >"$dir/bench.yaml" <<YAML
title: bench
description: Storage benchmark
environments: [prod]
keys:
  - name: load
    sha256: $key_sha
    environments: [prod]
    access: [publish]
    rate-limit: 1000000
services:
  stats:
    consumers: {min: $3, max: $3}
    prefetch: $4
    commands:
      match_end:
        schema:
          required: [matchId, map, durationSeconds]
          fields: {matchId: string, map: string, durationSeconds: integer}
YAML
  for sink in $5; do
    case "$sink" in
      sql) cat >>"$dir/bench.yaml" <<'YAML'
        sql:
          table: bench_matches
          key: [match_id]
          columns:
            match_id: {type: varchar(64), from: $.matchId}
            map: {type: varchar(64), from: $.map}
            duration_s: {type: int, from: $.durationSeconds}
YAML
      ;;
      kv) cat >>"$dir/bench.yaml" <<'YAML'
        kv:
          key: "match:{payload.matchId}"
          fields: {map: $.map, duration: $.durationSeconds}
YAML
      ;;
      cache) cat >>"$dir/bench.yaml" <<'YAML'
        cache:
          key: "match:{payload.matchId}"
          ttl: 10m
YAML
      ;;
      no-event-row) echo "        event-row: false" >>"$dir/bench.yaml" ;;
      *) echo "bench: unknown sink $sink (sql, kv, cache, no-event-row)" >&2; exit 2 ;;
    esac
  done
}

# bench_require_jars: exits 2 unless the gamewire jar and the bench jar are built (without building
# them: the store benches run offline, and PerfTest's class path is not needed)
bench_require_jars() {
  local jar
  for jar in routes/target/gamewire.jar bench/target/benchmarks.jar; do
    [[ -f "$jar" ]] || { echo "missing $jar: build it first (mvn -B -q install -DskipTests;" \
      "mvn -B -q -Pbench package -pl bench -DskipTests)" >&2; exit 2; }
  done
}

# bench_interleave ROUNDS FUNCTION NAME...: runs FUNCTION NAME ROUND for every variant NAME in every
# round, each round in the order of the last one rotated by one, so that the machine's drift falls
# on every variant alike. FUNCTION prints one line of values (progress goes to stderr), kept in
# bench_results[NAME,ROUND]; its failure ends the script.
declare -A bench_results=()
bench_interleave() {
  local rounds="$1" fn="$2" round i name
  shift 2
  local names=("$@")
  for round in $(seq "$rounds"); do
    for ((i = 0; i < ${#names[@]}; i++)); do
      name="${names[$(( (i + round - 1) % ${#names[@]} ))]}"
      bench_results["$name,$round"]="$("$fn" "$name" "$round")"
    done
  done
}

# bench_value NAME ROUND COLUMN: the COLUMNth value (from 1) that variant NAME gave in round ROUND
bench_value() {
  local values
  read -r -a values <<<"${bench_results[$1,$2]}"
  echo "${values[$(($3 - 1))]}"
}

# bench_column_median ROUNDS NAME COLUMN: the median of that value over the rounds
bench_column_median() {
  local round
  for round in $(seq "$1"); do bench_value "$2" "$round" "$3"; done | bench_median
}

# bench_ratios ROUNDS NAME BASE COLUMN: "values per round | ratios to BASE per round | median value |
# median ratio", each ratio taken within its round
bench_ratios() {
  local round value base values="" ratios="" ratio_list=""
  for round in $(seq "$1"); do
    value="$(bench_value "$2" "$round" "$4")"; base="$(bench_value "$3" "$round" "$4")"
    values+="$value "
    ratio_list+="$(awk -v r="$value" -v b="$base" 'BEGIN { printf "%.2f", (b > 0) ? r / b : 0 }')"$'\n'
  done
  ratios="$(printf '%s' "$ratio_list" | tr '\n' ' ')"
  printf '%s| %s| %s | %s' "$values" "$ratios" "$(bench_column_median "$1" "$2" "$4")" \
    "$(printf '%s' "$ratio_list" | bench_median)"
}

# Single events made by wrk (bench/lib/wrk-single-event.lua), for the counted window: writes wrk's
# output to FILE with, last, a RESULT line as LoadMain prints (mode=http-wrk), so that what reads
# LoadMain's reads it alike; wrk's own CPU per request (bash's time, in the C locale so that its
# decimal point is one) is its load_cpu_us. --timeout: an answer waits for the broker's confirm;
# wrk's own 2 s would leave a slow one out of both the count and the latencies. Socket errors and
# timeouts count as errors. Status: wrk's.
#   bench_wrk_single_event FILE HOST HTTP_PORT CONNECTIONS SIZE SECONDS
bench_wrk_single_event() {
  local file="$1" host="$2" port="$3" clients="$4" size="$5" seconds="$6" cpu
  cpu="$(mktemp /tmp/gamewire-wrk-cpu.XXXXXX)"
  if ! (export LC_ALL=C; TIMEFORMAT='%U %S'; time GW_SIZE="$size" wrk -t1 -c"$clients" --timeout 30s \
      -s bench/lib/wrk-single-event.lua -d"${seconds}s" --latency "http://$host:$port" >"$file" 2>&1) 2>"$cpu"; then
    rm -f "$cpu"
    return 1
  fi
  awk -v cpu="$(awk '{ print $1 + $2 }' "$cpu")" -v clients="$clients" -v size="$size" '
    function ms(t) { return t ~ /us$/ ? t / 1000 : t ~ /ms$/ ? t + 0 : t * 1000 }
    /Requests\/sec/ { rate = $2 } / requests in / { total = $1 } /Non-2xx/ { refused = $5 }
    /Socket errors/ { gsub(",", ""); failed = $4 + $6 + $8 + $10 }
    $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
    END { if (rate > 0) printf "RESULT mode=http-wrk batch=0 workers=%d size=%d events_per_s=%s errors=%d p50_ms=%.3f p99_ms=%.3f accepted_total=%d load_cpu_us=%.1f\n",
          clients, size, rate, refused + failed, p50, p99, total - refused, cpu * 1e6 / total }' "$file" >>"$file"
  rm -f "$cpu"
}
