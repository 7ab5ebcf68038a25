#!/usr/bin/env bash
# Memory soak: gamewire (prod profile, -Xmx1g) takes TCP load at a fraction of its end-to-end
# maximum for a long time and stores everything in MySQL and memcached (the shipped halo title:
# match_end -> events row, halo_matches row, cache entry). Every --sample seconds the script forces
# a full GC (jcmd GC.run) and records the heap used after it, the events stored and the backlog.
# At the end: the heap's trend (least-squares slope after the first fifth of the run), its highest
# value against the 512 MB limit, whether every accepted event was stored, and the classes whose
# live objects grew most between the start of the measured span and the end of the load
# (histogram-start.txt, histogram-end.txt: jcmd GC.class_histogram).
# bench/soak.sh --help lists the options; bench/README.md has the figures.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# shellcheck source=bench/lib/gamewire.sh
source bench/lib/gamewire.sh

broker="amqp://guest:guest@127.0.0.1:5672"
mysql_host="127.0.0.1"
mysql_port=3306
mysql_user="root"
database="gw_soak"
memcached="127.0.0.1:11211"
minutes=30
fraction=0.7
rate=""
heap="1g"
sample=30
limit_mb=512
silent=50
silent_seconds=60
out=""
http_port=18580
tcp_port=17580
connections=4
in_flight=256

usage() {
  cat <<USAGE
Usage: bench/soak.sh [options]

Needs RabbitMQ and its rabbitmqctl (queue depths), MariaDB/MySQL and memcached; the JDK's jcmd.

  --minutes N          how long the paced load runs (default $minutes)
  --fraction F         its rate as a fraction of the end-to-end maximum, measured first with one
                       minute of unpaced load (default $fraction)
  --rate N             this rate instead, events/s (skips the maximum)
  --heap SIZE          gamewire's -Xmx (default $heap)
  --sample SECONDS     how often the heap after a full GC is read (default $sample)
  --broker URI         RabbitMQ without a virtual host (default $broker); the run makes the
                       virtual host gw-bench-soak-<pid> and deletes it at the end
  --mysql HOST:PORT    (default $mysql_host:$mysql_port, user $mysql_user); database $database is
                       made anew and dropped at the end
  --memcached HOST:PORT (default $memcached; keys under a prefix of the run)
  --out DIR            soak.csv, soak.png and the logs (default bench/results/soak-<date>-<time>)
  --silent N           then N clients that send and never read, for --silent-seconds (default
                       $silent for $silent_seconds s; 0: none): the heap after GC meanwhile
  --smoke              two minutes, rate 200, a sample every 10 s, 10 silent clients for 20 s:
                       keeps the script working

Exit status: 0 when the heap stayed below $limit_mb MB without an upward trend and nothing was
lost; 1 otherwise or when a step failed; 2 on a usage error.
USAGE
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --smoke) minutes=2; rate=200; sample=10; silent=10; silent_seconds=20; shift; continue ;;
    -h|--help) usage; exit 0 ;;
  esac
  [[ $# -ge 2 ]] || { echo "soak: $1 needs a value" >&2; exit 2; }
  case "$1" in
    --minutes) minutes="$2" ;;
    --fraction) fraction="$2" ;;
    --rate) rate="$2" ;;
    --heap) heap="$2" ;;
    --sample) sample="$2" ;;
    --silent) silent="$2" ;;
    --silent-seconds) silent_seconds="$2" ;;
    --broker) broker="${2%/}" ;;
    --mysql) mysql_host="${2%%:*}"; mysql_port="${2##*:}" ;;
    --memcached) memcached="$2" ;;
    --out) out="$2" ;;
    *) echo "soak: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift 2
done

out="${out:-bench/results/soak-$(date -u +%Y-%m-%d-%H%M)}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
amqp_uri="$(bench_vhost "gw-bench-soak-$$" "$broker")"
work="$(mktemp -d /tmp/gamewire-soak.XXXXXX)"
mysql_cli=(mysql -h "$mysql_host" -P "$mysql_port" -u "$mysql_user" --batch --skip-column-names)
gamewire_pid=""
load_pid=""

cleanup() {
  [[ -n "$load_pid" ]] && kill "$load_pid" 2>/dev/null || true
  gamewire_stop
  bench_drop_vhost "$amqp_uri"
  "${mysql_cli[@]}" -e "DROP DATABASE IF EXISTS $database" || true
  rm -rf "$work"
}
trap cleanup EXIT

bench_build_missing gamewire
bench_make_vhost "$amqp_uri"
"${mysql_cli[@]}" -e "DROP DATABASE IF EXISTS $database; CREATE DATABASE $database"

export GAMEWIRE_DB_URL="jdbc:mysql://$mysql_host:$mysql_port/$database?useSSL=false&allowPublicKeyRetrieval=true&rewriteBatchedStatements=true&connectTimeout=3000&socketTimeout=30000"
export GAMEWIRE_DB_USER="$mysql_user" GAMEWIRE_DB_PASSWORD=""
export GAMEWIRE_CACHE_TYPE=memcached GAMEWIRE_CACHE_MEMCACHED_SERVERS="$memcached" GAMEWIRE_CACHE_KEY_PREFIX="gwsoak$$:"
gamewire_start "$amqp_uri" 127.0.0.1 "$http_port" "$tcp_port" "$work" on "-Xmx$heap"
cp "$work/gamewire.log" "$out/gamewire-start.log" 2>/dev/null || true

# stored: the events rows, exact, read only before and after the soak (COUNT(*) of events reads its
# primary key, every payload with it, since V7 dropped its narrow index). polled: the same count from
# the halo_matches rows (one narrow row per match_end, committed with its events row; LoadMain gives
# every event its own match id), for the samples and the waits, while the load runs.
stored() { "${mysql_cli[@]}" -e "SELECT COUNT(*) FROM $database.events" 2>/dev/null || echo 0; }
polled() { "${mysql_cli[@]}" -e "SELECT COUNT(*) FROM $database.halo_matches" 2>/dev/null || echo 0; }
backlog() {
  { rabbitmqctl -q list_queues -p "gw-bench-soak-$$" name messages 2>/dev/null || true; } \
    | awk '$1 == "halo.prod.stats" { print $2 }'
}
loadgen=(java -cp bench/target/benchmarks.jar io.gamewire.bench.load.LoadMain tcp --port "$tcp_port"
  --connections "$connections" --in-flight "$in_flight")

if [[ -z "$rate" ]]; then
  echo "== the end-to-end maximum: unpaced for 30 s + 30 s, counting the events stored in the last 30 s"
  "${loadgen[@]}" --warmup 30s --duration 30s >"$out/maximum.txt" 2>&1 &
  load_pid=$!
  sleep 30
  s1="$(polled)"; t1="$(date +%s.%N)"
  sleep 30
  s2="$(polled)"; t2="$(date +%s.%N)"
  wait "$load_pid" || { cat "$out/maximum.txt" >&2; exit 1; }
  load_pid=""
  max="$(awk -v n=$((s2 - s1)) -v a="$t2" -v b="$t1" 'BEGIN { printf "%.0f", n / (a - b) }')"
  rate="$(awk -v m="$max" -v f="$fraction" 'BEGIN { printf "%d", m * f }')"
  echo "   $max events/s stored (ingest: $(bench_result events_per_s "$out/maximum.txt") accepted/s); soak at $fraction x = $rate events/s"
  # the maximum's backlog goes first, so the soak starts level
  for _ in $(seq 300); do [[ "$(backlog)" == 0 ]] && break; sleep 1; done
fi

echo "== soak: $rate events/s for $minutes min, -Xmx$heap; heap after a full GC every $sample s (csv $out/soak.csv)"
stored_before="$(stored)"
polled_before="$(polled)"
"${loadgen[@]}" --rate "$rate" --warmup 0s --duration "${minutes}m" >"$out/soak-load.txt" 2>&1 &
load_pid=$!
echo "seconds,heap_after_gc_mb,stored,backlog" >"$out/soak.csv"
started="$(date +%s)"
# heap_after_gc: a full GC, then the heap used, in MB
heap_after_gc() {
  jcmd "$gamewire_pid" GC.run >/dev/null 2>&1 || true
  # "garbage-first heap   total 1048576K, used 123456K" (G1; other collectors print the same words)
  { jcmd "$gamewire_pid" GC.heap_info 2>/dev/null || true; } | sed -n 's/.*total [0-9]*K, used \([0-9]*\)K.*/\1/p' | head -1 \
    | awk '{ printf "%.1f", $1 / 1024 }'
}
# class_histogram FILE: the live objects per class (jcmd runs a full GC first)
class_histogram() {
  jcmd "$gamewire_pid" GC.class_histogram >"$1" 2>/dev/null || true
}
skip_seconds=$(( minutes * 60 / 5 ))
while kill -0 "$load_pid" 2>/dev/null; do
  elapsed=$(( $(date +%s) - started ))
  line="$elapsed,$(heap_after_gc),$(( $(polled) - polled_before )),$(backlog)"
  echo "$line" >>"$out/soak.csv"
  echo "   $line"
  # the live classes where the trend starts being measured, to compare with the end
  if [[ "$elapsed" -ge "$skip_seconds" && ! -s "$out/histogram-start.txt" ]]; then
    class_histogram "$out/histogram-start.txt"
  fi
  sleep "$sample"
done
wait "$load_pid" || { cat "$out/soak-load.txt" >&2; load_pid=""; exit 1; }
load_pid=""
class_histogram "$out/histogram-end.txt"
accepted="$(bench_result accepted_total "$out/soak-load.txt")"
# without it nothing could be counted as lost: fail rather than report 0 lost
[[ -n "$accepted" ]] || { echo "soak: the load generator printed no accepted_total ($out/soak-load.txt)" >&2; exit 1; }
echo "== load done: $accepted events accepted; waiting for the backlog to be stored"
for _ in $(seq 600); do
  [[ $(( $(polled) - polled_before )) -ge "${accepted:-0}" ]] && break
  sleep 1
done
kept=$(( $(stored) - stored_before ))

silent_heap=""
if [[ "$silent" -gt 0 ]]; then
  echo "== $silent clients that send and never read, for $silent_seconds s (LoadMain silent)"
  silent_before="$(heap_after_gc)"
  java -cp bench/target/benchmarks.jar io.gamewire.bench.load.LoadMain silent --port "$tcp_port" \
    --connections "$silent" --duration "${silent_seconds}s" >"$out/silent.txt" 2>&1 &
  load_pid=$!
  while kill -0 "$load_pid" 2>/dev/null; do
    h="$(heap_after_gc)"
    echo "   heap after GC $h MB"
    silent_heap="$(awk -v a="${silent_heap:-0}" -v b="$h" 'BEGIN { print (b > a ? b : a) }')"
    sleep 5
  done
  wait "$load_pid" || { cat "$out/silent.txt" >&2; load_pid=""; exit 1; }
  load_pid=""
  grep -v '^RESULT' "$out/silent.txt" | sed 's/^/   /'
  curl -s -m 5 "http://127.0.0.1:$http_port/observe/health" | grep -q '"UP"' \
    || { echo "soak: gamewire is not UP after the silent clients" >&2; exit 1; }
  echo "   heap after GC: $silent_before MB before, at most $silent_heap MB meanwhile; gamewire UP afterwards"
fi
cp "$work/gamewire.log" "$out/gamewire.log" 2>/dev/null || true
java -cp bench/target/benchmarks.jar io.gamewire.bench.plot.SoakChart "$out/soak.png" "$out/soak.csv" "$limit_mb" \
  | sed 's/^/   /' || true

# the trend: least-squares slope of the heap after GC, from a fifth of the run on (the start fills
# caches and pools), in MB per 10 minutes; "flat" when that slope over the measured span is below
# 10 % of the mean heap
read -r slope mean highest < <(awk -F, -v skip="$(( minutes * 60 / 5 ))" 'NR > 1 && $1 >= skip {
    n++; sx += $1; sy += $2; sxx += $1 * $1; sxy += $1 * $2 }
  NR > 1 && $2 > all { all = $2 }
  END { d = n * sxx - sx * sx; s = (n > 1 && d != 0) ? (n * sxy - sx * sy) / d : 0
        printf "%.2f %.1f %.1f\n", s * 600, (n ? sy / n : 0), all }' "$out/soak.csv")
span_min="$(awk -v m="$minutes" 'BEGIN { printf "%.0f", m * 4 / 5 }')"
flat="$(awk -v s="$slope" -v mean="$mean" -v span="$span_min" 'BEGIN { print ((s * span / 10 < 0.1 * mean) ? "yes" : "no") }')"
below="$(awk -v h="$highest" -v l="$limit_mb" 'BEGIN { print (h < l ? "yes" : "no") }')"
lost=$(( ${accepted:-0} > kept ? ${accepted:-0} - kept : 0 ))
echo
echo "== summary: $minutes min at $rate events/s, -Xmx$heap"
echo "heap after GC: highest $highest MB (limit $limit_mb MB: $below), mean $mean MB, trend $slope MB per 10 min (flat: $flat)"
echo "events: $accepted accepted, $kept stored, $lost lost"
[[ -n "$silent_heap" ]] && echo "$silent clients that never read: heap after GC at most $silent_heap MB"
if [[ -s "$out/histogram-start.txt" && -s "$out/histogram-end.txt" ]]; then
  # what grew between the start of the measured span (under load) and the end of the load: a class
  # that grows although the end holds less in flight is where to look for a leak
  echo "live objects that grew most from minute $(( skip_seconds / 60 )) to the end of the load (jcmd GC.class_histogram):"
  awk '$1 ~ /^[0-9]+:$/ { key = $4; if (FNR == NR) { b[key] = $3; n[key] = $2 } else { d = $3 - b[key]
         if (d > 0) printf "%12d %10d %s\n", d, $2 - n[key], key } }' \
    "$out/histogram-start.txt" "$out/histogram-end.txt" | sort -rn \
    | awk 'NR <= 10 { printf "   %+9.1f KB %+9d objects  %s\n", $1 / 1024, $2, $3 }'
fi
echo "RESULT minutes=$minutes rate=$rate heap_max_mb=$highest heap_mean_mb=$mean slope_mb_per_10min=$slope flat=$flat accepted=$accepted stored=$kept lost=$lost silent_heap_max_mb=$silent_heap"
silent_below="$(awk -v h="${silent_heap:-0}" -v l="$limit_mb" 'BEGIN { print (h < l ? "yes" : "no") }')"
[[ "$below" == yes && "$flat" == yes && "$lost" -eq 0 && "$silent_below" == yes ]]
