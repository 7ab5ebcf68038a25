#!/usr/bin/env bash
# Pull benchmark: how fast one pull reads a publisher API and puts its items on the bus, each
# confirmed by the broker. A local fake of the kart publisher API (bench/pull-api.py: cursor-paged
# JSON, pages of --page-size races) serves --items races; a gamewire with the shipped kart title
# (scheduling off) runs the race-results pull by hand with `gamewire pull`, three times:
#   1. first:    every item new: fetched, checked against the schema, published, confirmed
#   2. again:    the same items from the same watermark (--since the initial value): all skipped
#                by the item-id dedupe, so this is the rate of fetching and reading pages
#   3. resume:   a normal run from the stored watermark: one page, nothing new
# The rates are the command's own summary (items / run time). Embedded stack by default;
# --prod runs on RabbitMQ (virtual host gw-pull-bench), MariaDB (database gw_pull_bench), Redis and
# memcached of this machine; all three are made for the run and removed after it.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

items=20000
page_size=500
max_pages=1000
prod=""
http_port=18180
api_port=18190

usage() {
  cat <<'EOF'
Usage: bench/run-pull-bench.sh [--items N] [--page-size N] [--prod]
  --items N       races the fake API serves (default 20000)
  --page-size N   races per page (default 500)
  --prod          run gamewire with --profile prod against this machine's RabbitMQ (virtual
                  host gw-pull-bench), MariaDB (database gw_pull_bench), Redis and memcached;
                  the virtual host, database and KV keys are made and removed
EOF
}

while [ $# -gt 0 ]; do
  case "$1" in
    --items) items=$2; shift 2 ;;
    --page-size) page_size=$2; shift 2 ;;
    --prod) prod=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

[ -f routes/target/gamewire.jar ] || mvn -B -ntp -q package -DskipTests

work=$(mktemp -d)
mkdir -p "$work/config/titles"
# the shipped kart title, with max-pages raised so that one run reads every page
sed "s/max-pages: 20/max-pages: $max_pages/" config/titles/kart.yaml > "$work/config/titles/kart.yaml"
cp config/application-prod.properties "$work/config/"

python3 bench/pull-api.py "$api_port" "$items" "$page_size" > "$work/api.log" 2>&1 &
api=$!

export KART_API_URL="http://127.0.0.1:$api_port" KART_API_TOKEN=bench-token
export GAMEWIRE_ADMIN_TOKEN="bench-admin-$RANDOM$RANDOM"
export GAMEWIRE_HTTP_PORT=$http_port GAMEWIRE_TCP_PORT=18191 GAMEWIRE_BROKER_EMBEDDED_PORT=18192
export GAMEWIRE_DATA_DIR="$work/data" GAMEWIRE_PULLS_ENABLED=false
profile=()
if [ -n "$prod" ]; then
  mysql -uroot -h127.0.0.1 -e "DROP DATABASE IF EXISTS gw_pull_bench; CREATE DATABASE gw_pull_bench"
  rabbitmqctl -q add_vhost gw-pull-bench 2>/dev/null || true
  rabbitmqctl -q set_permissions -p gw-pull-bench guest ".*" ".*" ".*" > /dev/null
  export GAMEWIRE_BROKER_VIRTUAL_HOST=gw-pull-bench
  export GAMEWIRE_DB_URL="jdbc:mysql://127.0.0.1:3306/gw_pull_bench?useSSL=false&allowPublicKeyRetrieval=true&rewriteBatchedStatements=true"
  export GAMEWIRE_DB_USER=root GAMEWIRE_DB_PASSWORD= GAMEWIRE_KV_KEY_PREFIX="gwpullbench$RANDOM:"
  profile=(--profile prod)
fi

java -jar routes/target/gamewire.jar --config "$work/config" "${profile[@]}" > "$work/gamewire.log" 2>&1 &
gw=$!
cleanup() {
  kill "$gw" "$api" 2>/dev/null || true
  wait "$gw" 2>/dev/null || true
  if [ -n "$prod" ]; then
    mysql -uroot -h127.0.0.1 -e "DROP DATABASE IF EXISTS gw_pull_bench" || true
    rabbitmqctl -q delete_vhost gw-pull-bench 2>/dev/null || true
    redis-cli --scan --pattern "${GAMEWIRE_KV_KEY_PREFIX}*" | xargs -r redis-cli del > /dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

for _ in $(seq 120); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http_port/observe/health")" = 200 ] && break
  kill -0 "$gw" 2>/dev/null || { tail -40 "$work/gamewire.log" >&2; exit 1; }
  sleep 1
done

run() { # label, extra arguments of gamewire pull
  local label=$1; shift
  local out
  out=$(java -jar routes/target/gamewire.jar pull kart race-results --config "$work/config" "${profile[@]}" "$@" 2>&1) \
    || { echo "$out" >&2; exit 1; }
  printf '%-8s %s\n' "$label" "$(printf '%s\n' "$out" | tail -1)"
}

stack="embedded (Qpid Broker-J, H2, MVStore, Caffeine)"
[ -n "$prod" ] && stack="prod (RabbitMQ quorum queues, MariaDB, Redis, memcached)"
echo "pull benchmark: $items races in pages of $page_size, $(nproc) cores, stack: $stack"
run first
run again --since 2026-01-01T00:00:00Z
run resume
