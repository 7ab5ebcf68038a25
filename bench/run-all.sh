#!/usr/bin/env bash
# Every benchmark of issue 17 in sequence, on a quiet machine, against RabbitMQ (a virtual host made
# for the run and deleted afterwards), MariaDB/MySQL, Redis and memcached:
#   ingest   gamewire ingest-only (prod profile): TCP, single-event HTTP and NDJSON batches at their
#            maximum, then TCP and HTTP paced at fractions of that maximum (the offered-rate curve,
#            whose half-rate point gives the ACK p99), and single events once more made by wrk
#            (bench/lib/wrk-single-event.lua: the row against the target, since LoadMain's HTTP
#            client takes about as much CPU per request as gamewire); then PerfTest on the same broker, unpaced, at
#            the same half rate (alone, and beside a CpuLoad of the extra cores gamewire and its
#            load generator took), and with 32 producers and a confirm window of 1; last, the floors
#            under the single-event row, MinimalHttpBridge (Vert.x and the RabbitMQ client, no
#            checks, no Camel) loaded by wrk as gamewire was, and under the TCP row,
#            MinimalTcpBridge (Netty, the GWP codec and the RabbitMQ client) loaded by LoadMain tcp
#   storage  bench/run-storage-bench.sh: the drain against the raw JDBC loop, end to end against
#            PerfTest with a consumer
#   embedded bench/run-broker-store-bench.sh (the embedded broker alone on its default BDB store:
#            confirmed persistent publishes) and bench/run-embedded-e2e-bench.sh (the whole embedded
#            stack, TCP in to stored), 3 rounds each
#   startup  bench/run-startup-bench.sh: start to healthy, median of 5, by java -jar and with the
#            CDS archive bin/gamewire starts with (made first; not for a smoke)
# Prints one Markdown table (path, gamewire, anchor, ratio, target, met?) and writes it with the
# offered-rate CSV, its PNG plot and every tool's output into --out.
# bench/run-all.sh --help lists the options; bench/README.md has the figures.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# shellcheck source=bench/lib/gamewire.sh
source bench/lib/gamewire.sh

broker="amqp://guest:guest@127.0.0.1:5672"
out=""
smoke=""
paths="ingest storage embedded startup"
warmup=30
duration=30
point_warmup=5
point_duration=15
fractions="0.25 0.5 0.75 1.0"
size=256
connections=4
in_flight=256
http_clients=32
batch_clients=16
batch=100
host="127.0.0.1"
http_port=18480
tcp_port=17480
# MinimalHttpBridge and MinimalTcpBridge, the floors under the single-event HTTP and TCP rows: where
# they listen, and their publishing connections (as many as gamewire's gamewire.bus.publisher-connections)
bridge_port=18580
bridge_tcp_port=17580
bridge_lanes=4

usage() {
  cat <<USAGE
Usage: bench/run-all.sh [options]

Runs every gamewire benchmark in sequence and prints one Markdown table of the issue-17 targets.
Needs RabbitMQ (rabbitmqctl, or its management API, makes the bench's virtual host), wrk (apt-get
install wrk) for the ingest run's single-event HTTP row, and for the storage run MariaDB/MySQL, Redis
and memcached, as bench/run-storage-bench.sh --help says. A full run takes about 30 minutes.

  --broker URI         RabbitMQ without a virtual host (default $broker); the run makes the virtual
                       host gw-bench-all-<pid> and deletes it with everything in it at the end
  --out DIR            where the table, the CSV, the plot and the logs go
                       (default bench/results/run-all-<date>-<time>)
  --paths "P ..."      which to run: ingest, storage, embedded, startup (default "$paths"), and
                       scale (bench/run-scale-bench.sh: 1-3 instances on the local RabbitMQ cluster,
                       which it brings up unless it runs; ~10 minutes; outside the table, its own
                       summary in --out/scale/)
  --warmup SECONDS     before each unpaced run: not counted (default $warmup)
  --duration SECONDS   each unpaced run: counted (default $duration)
  --fractions "F ..."  the offered rates of the curve, as fractions of the unpaced maximum
                       (default "$fractions"; 0.5 is always run: it gives the ACK p99)
  --size BYTES         JSON payload per event (default $size)
  --smoke              a few seconds per path, to keep the scripts working (.ci/run); its figures
                       mean nothing

Exit status: 0 when every path ran (whether or not a target was met), 1 when one failed, 2 on a
usage error.
USAGE
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --smoke) smoke=1; shift; continue ;;
    -h|--help) usage; exit 0 ;;
  esac
  [[ $# -ge 2 ]] || { echo "run-all: $1 needs a value" >&2; exit 2; }
  case "$1" in
    --broker) broker="${2%/}" ;;
    --out) out="$2" ;;
    --paths) paths="$2" ;;
    --warmup) warmup="$2" ;;
    --duration) duration="$2" ;;
    --fractions) fractions="$2" ;;
    --size) size="$2" ;;
    *) echo "run-all: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift 2
done
for p in $paths; do
  case "$p" in ingest|storage|embedded|startup|scale) ;; *) echo "run-all: unknown path $p" >&2; exit 2 ;; esac
done
if [[ -n "$smoke" ]]; then
  warmup=2; duration=3; point_warmup=1; point_duration=2; fractions="0.5"
fi
[[ " $fractions " == *" 0.5 "* ]] || fractions="$fractions 0.5"
out="${out:-bench/results/run-all-$(date -u +%Y-%m-%d-%H%M)}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
amqp_uri="$(bench_vhost "gw-bench-all-$$" "$broker")"
work="$(mktemp -d /tmp/gamewire-run-all.XXXXXX)"
gamewire_pid=""
failed=()

cleanup() {
  bench_bridge_stop
  gamewire_stop
  bench_drop_vhost "$amqp_uri"
  rm -rf "$work"
}
trap cleanup EXIT

bench_build_missing gamewire
bench_make_vhost "$amqp_uri"
loadgen=(java -cp bench/target/benchmarks.jar io.gamewire.bench.load.LoadMain)
message_bytes="$("${loadgen[@]}" frame-bytes --size "$size")"

# the local RabbitMQ node as rabbitmq=PID, when the broker runs on this machine: its CPU per event
# is part of what the targets leave for gamewire (bench_cpu_budget_line)
rabbitmq="$(bench_local_services "$broker" | grep '^rabbitmq=' || true)"

# sample_cores FILE SECONDS_WARMUP SECONDS NAME=PROCESS...: bench_cores_by_process over a run's
# counted seconds, in the background; sets sampler
sample_cores() {
  local file="$1" after="$2" seconds="$3"
  shift 3
  bench_cores_by_process $((after + 1)) $((seconds > 2 ? seconds - 1 : 1)) "$@" >"$file" &
  sampler=$!
}

# value_or_unknown FILE: the file's first line, or ? when it is missing or empty
value_or_unknown() {
  local value
  value="$(head -1 "$1" 2>/dev/null || true)"
  echo "${value:-?}"
}

# perftest_second_p99s LOG: the confirm-latency p99 of each second PerfTest printed after the warm-up
# of its run (the point's), in ms, one per line
perftest_second_p99s() {
  awk -v warmup="$point_warmup" '$1 ~ /^[0-9.]+s$/ && $3 == "msg/s" && $5 == "msg/s" && $8 ~ /\// {
      t = substr($1, 1, length($1) - 1) + 0; if (t > warmup + 0.5) { split($8, q, "/"); print q[5] / ($9 == "ms" ? 1 : 1000) } }' "$1"
}

# load NAME [LoadMain option ...]: one LoadMain run against the gamewire started here, its output
# in OUT/NAME.txt; a failed run is remembered and its reason printed
load() {
  local name="$1"
  shift
  if ! "${loadgen[@]}" "$@" --host "$host" --size "$size" >"$out/$name.txt" 2>&1; then
    failed+=("$name: $(sed -n 's/^load: //p' "$out/$name.txt" | head -1)")
    echo "   $name failed: $(tail -1 "$out/$name.txt")" >&2
    return 1
  fi
  grep '^RESULT' "$out/$name.txt" | sed 's/^/   /'
}

declare -A v=() # every figure of the table, by name

# --- ingest ----------------------------------------------------------------------------------------
if [[ " $paths " == *" ingest "* ]]; then
  echo "== ingest: gamewire ingest-only on ${amqp_uri%%@*}@…/gw-bench-all-$$ (payload $size B, AMQP message $message_bytes B)"
  gamewire_start "$amqp_uri" "$host" "$http_port" "$tcp_port" "$work" off
  tcp=(tcp --port "$tcp_port" --connections "$connections" --in-flight "$in_flight")
  http=(http --port "$http_port" --concurrency "$http_clients")
  echo "path,offered,accepted,p50_ms,p99_ms" >"$out/offered-rate.csv"
  for path in tcp http; do
    if [[ "$path" == tcp ]]; then args=("${tcp[@]}"); label="TCP ($connections connections x $in_flight in flight)"
    else args=("${http[@]}"); label="HTTP single events ($http_clients clients)"; fi
    echo "== $path unpaced, ${warmup} s warm-up + ${duration} s"
    sample_cores "$work/cores-$path-max" "$warmup" "$duration" gamewire="$gamewire_pid" ${rabbitmq:+"$rabbitmq"}
    load "$path-max" "${args[@]}" --warmup "${warmup}s" --duration "${duration}s" || { wait "$sampler" || true; continue; }
    wait "$sampler" || true
    v[$path]="$(bench_result events_per_s "$out/$path-max.txt")"
    # each run's backlog goes before the next: a queue of millions slows the broker down
    bench_purge_queue "$amqp_uri" halo.prod.stats
    for f in $fractions; do
      rate="$(awk -v m="${v[$path]}" -v f="$f" 'BEGIN { printf "%d", m * f }')"
      [[ "$rate" -gt 0 ]] || continue
      echo "== $path paced at $f x maximum = $rate events/s"
      sampler=""
      if [[ "$path" == tcp && "$f" == 0.5 ]]; then
        # the CPU that gamewire and the load generator take beside the broker at this rate (see
        # "PerfTest ... beside a CPU load" below)
        bench_process_cores $((point_warmup + 1)) $((point_duration - 1)) "$gamewire_pid" \
          "LoadMain tcp --port $tcp_port" >"$work/cores-gamewire" &
        sampler=$!
      fi
      loaded=""
      load "$path-rate-$f" "${args[@]}" --rate "$rate" --warmup "${point_warmup}s" --duration "${point_duration}s" \
        --timeline "$out/$path-rate-$f.timeline.csv" && loaded=1
      [[ -z "$sampler" ]] || wait "$sampler" || true
      [[ -n "$loaded" ]] || continue
      echo "$label,$rate,$(bench_result events_per_s "$out/$path-rate-$f.txt"),$(bench_result p50_ms "$out/$path-rate-$f.txt"),$(bench_result p99_ms "$out/$path-rate-$f.txt")" \
        >>"$out/offered-rate.csv"
      if [[ "$f" == 0.5 ]]; then v[$path-half-rate]="$rate"; v[$path-half-p99]="$(bench_result p99_ms "$out/$path-rate-$f.txt")"; fi
      bench_purge_queue "$amqp_uri" halo.prod.stats
    done
  done
  # single events once more, made by wrk: LoadMain's java.net.http client takes about as much CPU per
  # request as gamewire (104 µs unpaced on 2026-12-05, more paced), and on shared cores that is CPU
  # the server and the broker do not get; wrk takes about 11 µs. This run is the row against the target.
  echo "== http unpaced, made by wrk: $http_clients connections, ${warmup} s warm-up + ${duration} s"
  if ! command -v wrk >/dev/null 2>&1; then
    failed+=("http-wrk: wrk is not installed (apt-get install wrk)")
    echo "   http-wrk failed: wrk is not installed (apt-get install wrk)" >&2
  else
    bench_wrk_single_event "$work/wrk-warmup.txt" "$host" "$http_port" "$http_clients" "$size" "$warmup" || true
    bench_purge_queue "$amqp_uri" halo.prod.stats
    sample_cores "$work/cores-http-wrk" 0 "$duration" gamewire="$gamewire_pid" ${rabbitmq:+"$rabbitmq"}
    if bench_wrk_single_event "$out/http-wrk.txt" "$host" "$http_port" "$http_clients" "$size" "$duration"; then
      if [[ "$(bench_result errors "$out/http-wrk.txt")" == 0 ]]; then
        grep '^RESULT' "$out/http-wrk.txt" | sed 's/^/   /'
        v[http-wrk]="$(bench_result events_per_s "$out/http-wrk.txt")"
      else
        failed+=("http-wrk: no result, answers that were not 2xx, or socket errors and timeouts (see $out/http-wrk.txt)")
      fi
    else
      failed+=("http-wrk: $(tail -1 "$out/http-wrk.txt")")
    fi
    wait "$sampler" || true
    bench_purge_queue "$amqp_uri" halo.prod.stats
  fi
  echo "== http-batch unpaced: $batch_clients clients x $batch events per request"
  sample_cores "$work/cores-http-batch" "$warmup" "$duration" gamewire="$gamewire_pid" ${rabbitmq:+"$rabbitmq"}
  if load http-batch http --port "$http_port" --concurrency "$batch_clients" --batch "$batch" \
      --warmup "${warmup}s" --duration "${duration}s"; then
    v[batch]="$(bench_result events_per_s "$out/http-batch.txt")"
  fi
  wait "$sampler" || true
  gamewire_stop
  bench_delete_queue "$amqp_uri" halo.prod.stats

  echo "== PerfTest: $connections producers, confirm window $in_flight, messages of $message_bytes B, quorum queue"
  read -r v[perftest] _ < <(bench_perftest "$amqp_uri" "$warmup" $((warmup + duration)) "$out/perftest.txt" \
    --producers "$connections" --consumers 0 --confirm "$in_flight" --size "$message_bytes") || true
  echo "   ${v[perftest]:-?} msg/s confirmed"
  if [[ -n "${v[tcp-half-rate]:-}" ]]; then
    per_producer="$(( (${v[tcp-half-rate]} + connections - 1) / connections ))"
    echo "== PerfTest at gamewire's half rate: $connections producers x $per_producer msg/s"
    # The broker shares the cores with whatever runs beside it, and its confirm latency's tail grows
    # with what they take (PerfTest's p99 at 3,500 msg/s: 13.2 ms alone, 52.6 ms beside one busy
    # core, 2026-12-03). gamewire and its load generator take far more than PerfTest does, so
    # PerfTest runs once more at that rate beside a CPU load of the difference. That comparison
    # takes each tool's p99 second by second over the counted seconds (their median), since
    # PerfTest's end-of-run p99 also holds its start-up and warm-up, gamewire's does not.
    bench_process_cores $((point_warmup + 1)) $((point_duration - 1)) "gw-perftest-.*-$$" \
      >"$work/cores-perftest" &
    sampler=$!
    read -r _ v[perftest-half-p99] < <(bench_perftest "$amqp_uri" "$point_warmup" $((point_warmup + point_duration)) \
      "$out/perftest-half.txt" --producers "$connections" --consumers 0 --confirm "$in_flight" \
      --size "$message_bytes" --rate "$per_producer") || true
    wait "$sampler" || true
    v[perftest-half-p99-s]="$(perftest_second_p99s "$out/perftest-half.txt" | bench_median)"
    v[tcp-half-p99-s]="$(awk -F, 'NR > 1 { print $5 }' "$out/tcp-rate-0.5.timeline.csv" 2>/dev/null | bench_median)"
    echo "   confirm latency p99 ${v[perftest-half-p99]:-?} ms over the run; the counted seconds' p99, median:" \
         "${v[perftest-half-p99-s]:-?} ms (gamewire's ACKs: ${v[tcp-half-p99-s]:-?} ms)"
    v[cpu-beside]="$(awk -v g="$(cat "$work/cores-gamewire" 2>/dev/null)" -v p="$(cat "$work/cores-perftest")" \
      'BEGIN { if (g != "" && p != "") printf "%.2f", (g - p > 0 ? g - p : 0) }')"
    echo "   gamewire and its load generator took $(value_or_unknown "$work/cores-gamewire") cores at that" \
         "rate, PerfTest $(value_or_unknown "$work/cores-perftest") cores (? when a process ended within" \
         "the sampled seconds, as in a smoke run)"
    if [[ -n "${v[cpu-beside]}" ]] && awk -v c="${v[cpu-beside]}" -v n="$(nproc)" 'BEGIN { exit !(c >= 0.05 && c < n) }'; then
      echo "== PerfTest at gamewire's half rate beside a CPU load of ${v[cpu-beside]} cores (bench CpuLoad)"
      java -cp bench/target/benchmarks.jar io.gamewire.bench.load.CpuLoad "${v[cpu-beside]}" \
        $((point_warmup + point_duration + 15)) &
      cpu_load=$!
      sleep 3 # CpuLoad's own start-up is not part of the load
      bench_process_cores $((point_warmup + 1)) $((point_duration - 1)) "$cpu_load" >"$work/cores-cpuload" &
      sampler=$!
      bench_perftest "$amqp_uri" "$point_warmup" $((point_warmup + point_duration)) "$out/perftest-half-beside.txt" \
        --producers "$connections" --consumers 0 --confirm "$in_flight" --size "$message_bytes" \
        --rate "$per_producer" >/dev/null || true
      wait "$sampler" || true
      kill -0 "$cpu_load" 2>/dev/null || echo "   (CpuLoad ended early: the figure below was not taken beside it)" >&2
      kill "$cpu_load" 2>/dev/null || true
      wait "$cpu_load" 2>/dev/null || true
      v[perftest-half-p99-beside]="$(perftest_second_p99s "$out/perftest-half-beside.txt" | bench_median)"
      echo "   CpuLoad kept $(value_or_unknown "$work/cores-cpuload") cores busy; the counted seconds' confirm p99, median:" \
           "${v[perftest-half-p99-beside]:-?} ms"
    fi
  fi
  echo "== PerfTest: $http_clients producers, confirm window 1"
  sample_cores "$work/cores-perftest-32" "$warmup" "$duration" perftest="gw-perftest-.*-$$" ${rabbitmq:+"$rabbitmq"}
  read -r v[perftest-32] _ < <(bench_perftest "$amqp_uri" "$warmup" $((warmup + duration)) "$out/perftest-32.txt" \
    --producers "$http_clients" --consumers 0 --confirm 1 --size "$message_bytes") || true
  wait "$sampler" || true
  echo "   ${v[perftest-32]:-?} msg/s confirmed; PerfTest $(bench_us_per_event "$work/cores-perftest-32" perftest "${v[perftest-32]:-}")" \
       "µs and the broker $(bench_us_per_event "$work/cores-perftest-32" rabbitmq "${v[perftest-32]:-}") µs of CPU per message"
  # the floor under the single-event row: the least an HTTP-to-confirmed-publish bridge does, on the
  # libraries gamewire uses, loaded the same way; gamewire against it is what gamewire's own work costs
  echo "== the floor: single events through MinimalHttpBridge ($bridge_lanes lanes), made by wrk: $http_clients connections"
  if command -v wrk >/dev/null 2>&1 && bench_bridge_start "$amqp_uri" "$host" "$bridge_port" "$bridge_lanes" "$work/bridge.log"; then
    bench_wrk_single_event "$work/wrk-bridge-warmup.txt" "$host" "$bridge_port" "$http_clients" "$size" "$warmup" || true
    sample_cores "$work/cores-bridge" 0 "$duration" bridge="$bridge_pid" ${rabbitmq:+"$rabbitmq"}
    if bench_wrk_single_event "$out/http-bridge.txt" "$host" "$bridge_port" "$http_clients" "$size" "$duration" \
        && [[ "$(bench_result errors "$out/http-bridge.txt")" == 0 ]]; then
      v[http-bridge]="$(bench_result events_per_s "$out/http-bridge.txt")"
    else
      failed+=("http-bridge: no result, or errors (see $out/http-bridge.txt)")
    fi
    wait "$sampler" || true
    bench_bridge_stop
    echo "   ${v[http-bridge]:-?} req/s; the bridge $(bench_us_per_event "$work/cores-bridge" bridge "${v[http-bridge]:-}") µs" \
         "and the broker $(bench_us_per_event "$work/cores-bridge" rabbitmq "${v[http-bridge]:-}") µs of CPU per request;" \
         "gamewire (wrk) $(bench_us_per_event "$work/cores-http-wrk" gamewire "${v[http-wrk]:-}") µs"
  else
    failed+=("http-bridge: wrk is missing or the bridge did not start")
  fi
  # the floor under the TCP row, the same way: a GWP-to-confirmed-publish bridge loaded as gamewire was
  echo "== the floor: TCP EVENTs through MinimalTcpBridge ($bridge_lanes lanes), LoadMain tcp: $connections connections x $in_flight in flight"
  if bridge_class=io.gamewire.bench.tcp.MinimalTcpBridge bench_bridge_start "$amqp_uri" "$host" "$bridge_tcp_port" \
      "$bridge_lanes" "$work/bridge-tcp.log"; then
    sample_cores "$work/cores-tcp-bridge" "$warmup" "$duration" bridge="$bridge_pid" ${rabbitmq:+"$rabbitmq"}
    if load tcp-bridge tcp --port "$bridge_tcp_port" --connections "$connections" --in-flight "$in_flight" \
        --warmup "${warmup}s" --duration "${duration}s"; then
      if [[ "$(bench_result errors "$out/tcp-bridge.txt")" == 0 ]]; then
        v[tcp-bridge]="$(bench_result events_per_s "$out/tcp-bridge.txt")"
      else
        failed+=("tcp-bridge: events refused or lost (see $out/tcp-bridge.txt)")
      fi
    fi
    wait "$sampler" || true
    bench_bridge_stop
    echo "   the bridge $(bench_us_per_event "$work/cores-tcp-bridge" bridge "${v[tcp-bridge]:-}") µs and the broker" \
         "$(bench_us_per_event "$work/cores-tcp-bridge" rabbitmq "${v[tcp-bridge]:-}") µs of CPU per event;" \
         "gamewire $(bench_us_per_event "$work/cores-tcp-max" gamewire "${v[tcp]:-}") µs and the broker" \
         "$(bench_us_per_event "$work/cores-tcp-max" rabbitmq "${v[tcp]:-}") µs at its maximum"
  else
    failed+=("tcp-bridge: MinimalTcpBridge did not start (its log is above)")
  fi
  if [[ -s "$out/offered-rate.csv" ]] && [[ "$(wc -l <"$out/offered-rate.csv")" -gt 1 ]]; then
    java -cp bench/target/benchmarks.jar io.gamewire.bench.plot.OfferedRateChart "$out/offered-rate.png" \
      "$out/offered-rate.csv" >"$out/plot.txt" 2>&1 || failed+=("plot: $(head -1 "$out/plot.txt")")
    sed 's/^/   /' "$out/plot.txt"
  fi
fi

# --- storage ---------------------------------------------------------------------------------------
if [[ " $paths " == *" storage "* ]]; then
  echo "== storage: bench/run-storage-bench.sh (output in $out/storage.txt)"
  storage=(--amqp-uri "$amqp_uri" --size "$size" --warmup "$warmup" --duration "$duration")
  [[ -n "$smoke" ]] && storage+=(--raw-rows 5000 --fill 2 --jit-settle 0)
  if bench/run-storage-bench.sh "${storage[@]}" >"$out/storage.txt" 2>&1; then
    grep '^RESULT' "$out/storage.txt" | sed 's/^/   /'
    for name in raw_rows_per_s drain_per_s broker_drain_per_s perftest_per_s e2e_per_s e2e_sustained \
      e2e_offered_per_s e2e_unpaced_per_s e2e_intake_per_s; do
      v[$name]="$(bench_result "$name" "$out/storage.txt")"
    done
  else
    failed+=("storage: $(tail -1 "$out/storage.txt")")
    echo "   storage failed: $(tail -1 "$out/storage.txt")" >&2
  fi
fi

# --- embedded and start-up: their own scripts --------------------------------------------------------
if [[ -n "$smoke" ]]; then
  embedded_timing=(--rounds 1 --warmup 1 --duration 2)
else
  embedded_timing=(--rounds 3 --warmup "$((warmup < 10 ? warmup : 10))" --duration "$duration")
fi
for p in embedded-publish embedded-e2e startup scale; do
  [[ " $paths " == *" ${p%-*} "* ]] || continue
  case "$p" in
    embedded-publish) run=(bench/run-broker-store-bench.sh --variant bdb=bdb "${embedded_timing[@]}" --size "$size") ;;
    embedded-e2e) run=(bench/run-embedded-e2e-bench.sh --variant bdb=bdb "${embedded_timing[@]}" --size "$size") ;;
    # median of 5 starts (1 for a smoke), first start and restart, by `java -jar` and, made for this
    # jar first (bin/gamewire --make-cds-archive, a minute; not for a smoke), as bin/gamewire starts
    # it: with its CDS archive
    # (the archive holds the jar's path as given: the same absolute path for both)
    startup) jar="$root/routes/target/gamewire.jar"
      run=(bench/run-startup-bench.sh -n "$([[ -n "$smoke" ]] && echo 1 || echo 5)" -v "java-jar|$jar|")
      if [[ -z "$smoke" ]]; then
        echo "== startup: bin/gamewire --make-cds-archive (output in $out/cds-archive.txt)"
        if GAMEWIRE_JAR="$jar" GAMEWIRE_CDS_ARCHIVE="$work/gamewire.jsa" bin/gamewire --make-cds-archive \
            >"$out/cds-archive.txt" 2>&1; then
          run+=(-v "cds|$jar|-XX:SharedArchiveFile=$work/gamewire.jsa")
        else
          failed+=("startup: the CDS archive: $(tail -1 "$out/cds-archive.txt")")
        fi
      fi ;;
    scale) run=(bench/run-scale-bench.sh --out "$out/scale" --size "$size")
      [[ -n "$smoke" ]] && run+=(--counts "1 2" --warmup 1 --duration 3) ;;
  esac
  echo "== $p: ${run[*]} (output in $out/$p.txt)"
  if "${run[@]}" >"$out/$p.txt" 2>&1; then
    grep '^RESULT' "$out/$p.txt" | sed 's/^/   /'
  else
    failed+=("$p: $(tail -1 "$out/$p.txt")")
    echo "   $p failed: $(tail -1 "$out/$p.txt")" >&2
  fi
done
[[ -f "$out/embedded-publish.txt" ]] && v[embedded-publish]="$(bench_result confirmed_per_s "$out/embedded-publish.txt")"
[[ -f "$out/embedded-e2e.txt" ]] && v[embedded-e2e]="$(bench_result e2e_per_s "$out/embedded-e2e.txt")"
startup_median() { # VARIANT: the median of its first starts
  { grep "^RESULT variant=$1 kind=first" "$out/startup.txt" || true; } | head -1 | sed -n 's/.* median_s=\([^ ]*\).*/\1/p'
}
if [[ -f "$out/startup.txt" ]]; then
  v[startup]="$(startup_median java-jar)"
  v[startup-cds]="$(startup_median cds)"
fi

# --- the table -------------------------------------------------------------------------------------
# row PATH VALUE UNIT ANCHOR_NAME ANCHOR KIND TARGET [OK]: KIND "ratio" (VALUE / ANCHOR >= TARGET),
# "latency" (VALUE <= 20 ms or VALUE / ANCHOR <= TARGET), "min" (VALUE >= TARGET), "max" (VALUE <= TARGET),
# "context" (the ratio only: a row that helps read another); OK "no" makes a target missed whatever
# the figures (end to end: a rate not sustained)
row() {
  awk -v path="$1" -v value="$2" -v unit="$3" -v anchor_name="$4" -v anchor="$5" -v kind="$6" -v target="$7" \
    -v ok="${8:-}" 'BEGIN {
    if (value == "") { printf "| %s | not measured | %s | | %s | - |\n", path, anchor_name, target; exit }
    a = (anchor == "" ? "?" : anchor " " unit)
    r = (anchor != "" && anchor > 0) ? value / anchor : ""
    if (kind == "ratio") { t = ">= " target " x"; met = (r != "" && r >= target) }
    else if (kind == "latency") { t = "<= 20 ms or <= " target " x"; met = (value <= 20 || (r != "" && r <= target)) }
    else if (kind == "min") { t = ">= " target " " unit; met = (value >= target); a = "-"; r = "" }
    else if (kind == "context") { t = "(context, not a target)"; met = -1 }
    else { t = "<= " target " " unit; met = (value <= target); a = "-"; r = "" }
    if (ok == "no" && met >= 0) met = 0
    printf "| %s | %s %s | %s %s | %s | %s | %s |\n", path, value, unit, anchor_name, a,
      (r == "" ? "-" : sprintf("%.2f", r)), t, (met < 0 ? "-" : met ? "yes" : "**no**") }'
}

{
  echo "Run of $(date -u '+%Y-%m-%d %H:%M UTC')$([[ -n "$smoke" ]] && echo ', SMOKE: the figures mean nothing'):" \
       "$(nproc) cores, $(java -version 2>&1 | head -1), RabbitMQ ${amqp_uri%%@*}@…;" \
       "payload $size B (AMQP message $message_bytes B); unpaced runs ${warmup} s warm-up + ${duration} s," \
       "curve points ${point_warmup} s + ${point_duration} s"
  echo
  echo "| path | gamewire | anchor | ratio | target | met? |"
  echo "|---|---|---|---|---|---|"
  row "TCP ingest, $connections connections x $in_flight in flight" "${v[tcp]:-}" "ev/s" \
    "PerfTest $connections producers, window $in_flight" "${v[perftest]:-}" ratio 0.8
  row "the floor: TCP EVENTs through MinimalTcpBridge (Netty, the GWP codec and the RabbitMQ client only: no checks), made by LoadMain" \
    "${v[tcp-bridge]:-}" "ev/s" "PerfTest $connections producers, window $in_flight" "${v[perftest]:-}" context ""
  row "ACK p99 at half the maximum TCP rate (${v[tcp-half-rate]:-?} ev/s)" "${v[tcp-half-p99]:-}" "ms" \
    "PerfTest confirm p99 at that rate" "${v[perftest-half-p99]:-}" latency 1.5
  row "ACK p99 second by second at half rate (median of the counted seconds), against PerfTest's the same way" \
    "${v[tcp-half-p99-s]:-}" "ms" "PerfTest alone" "${v[perftest-half-p99-s]:-}" context ""
  row "the same, against PerfTest beside the CPU gamewire and its load took more (${v[cpu-beside]:-?} cores)" \
    "${v[tcp-half-p99-s]:-}" "ms" "PerfTest beside that load" "${v[perftest-half-p99-beside]:-}" context ""
  row "batched HTTP, NDJSON $batch per request, $batch_clients clients" "${v[batch]:-}" "ev/s" \
    "PerfTest $connections producers, window $in_flight" "${v[perftest]:-}" ratio 0.8
  row "single-event HTTP, $http_clients connections, made by wrk" "${v[http-wrk]:-}" "req/s" \
    "PerfTest $http_clients producers, window 1" "${v[perftest-32]:-}" ratio 1.0
  row "the same made by LoadMain (its java.net.http client takes the CPU of the cores it shares)" \
    "${v[http]:-}" "req/s" "PerfTest $http_clients producers, window 1" "${v[perftest-32]:-}" context ""
  row "the floor: single events through MinimalHttpBridge (Vert.x and the RabbitMQ client only: no checks, no Camel), made by wrk" \
    "${v[http-bridge]:-}" "req/s" "PerfTest $http_clients producers, window 1" "${v[perftest-32]:-}" context ""
  row "drain: queue -> SQL + KV + cache" "${v[drain_per_s]:-}" "ev/s" "raw JDBC upsert loop" \
    "${v[raw_rows_per_s]:-}" ratio 0.5
  row "end to end: TCP in -> stored in all sinks, offered ${v[e2e_offered_per_s]:-?} ev/s (sustained: ${v[e2e_sustained]:-?})" \
    "${v[e2e_per_s]:-}" "ev/s" "PerfTest with a consumer" "${v[perftest_per_s]:-}" ratio 0.5 \
    "$([[ "${v[e2e_sustained]:-}" == yes ]] && echo yes || echo no)"
  row "the same as fast as acknowledged (${v[e2e_intake_per_s]:-?} ev/s taken in)" \
    "${v[e2e_unpaced_per_s]:-}" "ev/s" "PerfTest with a consumer" "${v[perftest_per_s]:-}" context ""
  row "embedded stack: confirmed persistent publishes (BDB store, median of ${embedded_timing[1]})" \
    "${v[embedded-publish]:-}" "msg/s" "" "" min 5000
  row "embedded stack: end to end, TCP in -> stored (median of ${embedded_timing[1]})" "${v[embedded-e2e]:-}" \
    "ev/s" "" "" min 2000
  row "start to healthy, embedded stack, java -jar, median of 5" "${v[startup]:-}" "s" "" "" max 3
  row "start to healthy, embedded stack, bin/gamewire (its CDS archive), median of 5" "${v[startup-cds]:-}" "s" "" "" max 3
  echo
  echo "What each throughput target leaves for gamewire on these $(nproc) cores (met or not): at the target's rate"
  echo "the cores give nproc x 1e6 / rate µs of CPU per event to everything; the servers and the load generator"
  echo "need what they took per event in this run (bench/README.md, \"What the targets leave for gamewire\"):"
  echo
  # TCP and batched HTTP share their target: 0.8 x PerfTest 4 x 256
  target_08="$(awk -v r="${v[perftest]:-}" 'BEGIN { if (r > 0) print 0.8 * r }')"
  for p in tcp http-wrk batch; do
    if [[ "$p" == http-wrk ]]; then name="single-event HTTP (wrk) at 1.0 x PerfTest $http_clients x 1"; target="${v[perftest-32]:-}"; run=http-wrk
    elif [[ "$p" == tcp ]]; then name="TCP ingest at 0.8 x PerfTest"; target="$target_08"; run=tcp-max
    else name="batched HTTP at 0.8 x PerfTest"; target="$target_08"; run=http-batch; fi
    rate="${v[$p]:-}"
    line="$(bench_cpu_budget_line "$name" "$target" "$(bench_us_per_event "$work/cores-$run" rabbitmq "$rate")" \
      "$(bench_result load_cpu_us "$out/$run.txt" 2>/dev/null)" "$(bench_us_per_event "$work/cores-$run" gamewire "$rate")")"
    [[ -z "$line" ]] || echo "- $line"
  done
  sed -n 's/^\(drain\|end to end\): at /- \1: at /p' "$out/storage.txt" 2>/dev/null || true
} >"$out/summary.md"
echo
cat "$out/summary.md"
echo
echo "(table, offered-rate.csv/.png and each tool's output in $out)"
if [[ ${#failed[@]} -gt 0 ]]; then
  printf 'run-all: not run: %s\n' "${failed[@]}" >&2
  exit 1
fi
