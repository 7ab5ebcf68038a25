#!/usr/bin/env bash
# A local 3-node RabbitMQ cluster for tests and benchmarks, from the installed rabbitmq-server.
#   bench/cluster/rabbitmq-cluster.sh up|down|status|start <n>|kill-9 <n>|ctl <n> <args>|addresses
# Nodes gw-c1@localhost..gw-c3@localhost, AMQP on 127.0.0.1:5701..5703; everything (data, logs,
# configuration, the Erlang cookie, the HOME the scripts run with) under one folder,
# $GW_CLUSTER_DIR (default /tmp/gamewire-cluster). The machine's own node (rabbit@localhost on
# 5672, its cookie in /var/lib/rabbitmq and ~/.erlang.cookie, /etc/rabbitmq/rabbitmq-env.conf) is
# never read, written or addressed: every RabbitMQ script here runs with this folder as HOME, its
# own environment file and an explicit node name. bench/cluster/README.md has the details.
# GAMEWIRE_CLUSTER_OFFSET=k (a multiple of 10) shifts all of it, so that a second cluster runs beside the first: nodes
# gw-c(k+1)..gw-c(k+3), AMQP on 5701+k..5703+k, distribution 25701+k.., management 15701+k, folder
# /tmp/gamewire-cluster-k. The commands still number the nodes 1-3.
set -euo pipefail

offset="${GAMEWIRE_CLUSTER_OFFSET:-0}"
# a multiple of 10: an offset of 1 or 2 would give nodes, ports and names the default cluster uses
[[ "$offset" =~ ^[0-9]+$ ]] && (( offset <= 90 && offset % 10 == 0 )) \
  || { echo "rabbitmq-cluster: GAMEWIRE_CLUSTER_OFFSET must be 0, 10, 20, ... or 90 (clusters 10 apart share no node or port), was '$offset'" >&2; exit 2; }
default_base=/tmp/gamewire-cluster
(( offset == 0 )) || default_base="/tmp/gamewire-cluster-$offset"
base="${GW_CLUSTER_DIR:-$default_base}"
amqp_base="${GW_CLUSTER_AMQP_BASE:-$((5700 + offset))}"    # node n listens on amqp_base + n
dist_base="${GW_CLUSTER_DIST_BASE:-$((25700 + offset))}"   # node n's Erlang distribution port: dist_base + n
management="${GW_CLUSTER_MANAGEMENT:-0}"         # 1: the management plugin on node 1 only
management_port="${GW_CLUSTER_MANAGEMENT_PORT:-$((15701 + offset))}"
memory="${GW_CLUSTER_MEMORY:-512MiB}"            # each node's memory alarm (vm_memory_high_watermark)
# One scheduler per node and no busy-waiting: three nodes share 2 cores with everything else.
erl_args="${GW_CLUSTER_ERL_ARGS:-+S 1:1 +sbwt none +sbwtdcpu none +sbwtdio none}"
scripts="${GW_RABBITMQ_SCRIPTS:-/usr/lib/rabbitmq/bin}"
nodes=(1 2 3)
cluster_name=gamewire-cluster
(( offset == 0 )) || cluster_name="gamewire-cluster-$offset"
# A folder this script made carries this file; down deletes no folder without it.
marker=".gamewire-cluster"

usage() {
  cat <<EOF
Usage: bench/cluster/rabbitmq-cluster.sh <command>

  up            start the three nodes (those not running) and join them into one cluster
  down          stop all three (by pid if they do not stop) and delete $base
  status        each node's state, and the cluster's members as a running node sees them
  start <n>     start node n (1-3) again, e.g. after kill-9; it rejoins the cluster
  kill-9 <n>    kill -9 node n's Erlang VM (a crash, for fault tests)
  ctl <n> ...   rabbitmqctl against node n, with the cluster's cookie and HOME
  addresses     the AMQP addresses, host:port comma-separated
  pids          "<n> <pid>" of each running node's Erlang VM (e.g. to sample its CPU)

Environment: GAMEWIRE_CLUSTER_OFFSET ($offset; k shifts the node names to gw-c(k+n), the ports and
the default folder by k, for a second cluster beside the first), GW_CLUSTER_DIR ($base), GW_CLUSTER_AMQP_BASE ($amqp_base: node n on +n),
GW_CLUSTER_DIST_BASE ($dist_base), GW_CLUSTER_MANAGEMENT (0; 1 = management plugin on node 1, port
GW_CLUSTER_MANAGEMENT_PORT=$management_port), GW_CLUSTER_MEMORY ($memory per node),
GW_CLUSTER_ERL_ARGS ("$erl_args").
EOF
}

die() { echo "rabbitmq-cluster: $*" >&2; exit 1; }

name() { echo "gw-c$((offset + $1))@localhost"; }
dir() { echo "$base/c$1"; }
amqp_port() { echo $((amqp_base + $1)); }

check_node_number() {
  [[ "${1:-}" =~ ^[123]$ ]] || die "a node number 1, 2 or 3 is needed, not '${1:-}'"
}

# Runs "$@" with node n's environment: never the machine's node, its cookie or its env file.
with_node_env() {
  local n="$1"; shift
  env HOME="$base" \
    RABBITMQ_CONF_ENV_FILE="$base/rabbitmq-env.conf" \
    RABBITMQ_NODENAME="$(name "$n")" \
    RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
    RABBITMQ_NODE_PORT="$(amqp_port "$n")" \
    RABBITMQ_DIST_PORT=$((dist_base + n)) \
    RABBITMQ_MNESIA_BASE="$(dir "$n")/mnesia" \
    RABBITMQ_LOG_BASE="$(dir "$n")/log" \
    RABBITMQ_PID_FILE="$(dir "$n")/node.pid" \
    RABBITMQ_CONFIG_FILE="$(dir "$n")/rabbitmq.conf" \
    RABBITMQ_ADVANCED_CONFIG_FILE="$base/advanced.config" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$(dir "$n")/enabled_plugins" \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="$erl_args" \
    ERL_FLAGS="-kernel inet_dist_use_interface {127,0,0,1}" \
    "$@"
}

ctl() {
  local n="$1"; shift
  with_node_env "$n" timeout 120 "$scripts/rabbitmqctl" -n "$(name "$n")" "$@"
}

# The pid of node n's Erlang VM when it runs: the pid in its pid file, if that process is a beam
# started for this node (a stale file's pid may since belong to anything else). 3.10 sets the node
# name after boot, not on the command line, so the VM's environment tells whose it is.
pid_of() {
  local file pid
  file="$(dir "$1")/node.pid"
  [[ -s "$file" ]] || return 1
  pid="$(tr -dc 0-9 <"$file")"
  [[ -n "$pid" && -r "/proc/$pid/environ" ]] || return 1
  tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | head -n 1 | grep -q 'beam' || return 1
  tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qx "RABBITMQ_NODENAME=$(name "$1")" || return 1
  echo "$pid"
}

write_config() {
  mkdir -p "$base"
  touch "$base/$marker"
  if [[ ! -s "$base/.erlang.cookie" ]]; then
    # the cluster's own cookie, in its own HOME: not the machine node's
    (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' | tr a-f A-F >"$base/.erlang.cookie")
    chmod 400 "$base/.erlang.cookie"
  fi
  # Not /etc/rabbitmq/rabbitmq-env.conf, which names the machine's node.
  echo "ERL_EPMD_ADDRESS=127.0.0.1" >"$base/rabbitmq-env.conf"
  # A quorum queue's initial members: up to 3 cluster nodes (3.10's default, stated here so
  # that "replicated on all three" does not rest on a default).
  echo "[{rabbit, [{quorum_cluster_size, 3}]}]." >"$base/advanced.config"
  local n
  for n in "${nodes[@]}"; do
    mkdir -p "$(dir "$n")/mnesia" "$(dir "$n")/log"
    {
      echo "listeners.tcp.default = 127.0.0.1:$(amqp_port "$n")"
      echo "vm_memory_high_watermark.absolute = $memory"
      # /tmp may be a small or busy disk: no disk alarm blocking publishes for it
      echo "disk_free_limit.absolute = 50MB"
      # a small Raft write-ahead log keeps quorum queues' memory small
      echo "raft.wal_max_size_bytes = 67108864"
      echo "log.console = false"
      echo "log.file.level = info"
      if [[ "$management" == 1 && "$n" == 1 ]]; then
        echo "management.tcp.ip = 127.0.0.1"
        echo "management.tcp.port = $management_port"
      fi
    } >"$(dir "$n")/rabbitmq.conf"
    if [[ "$management" == 1 && "$n" == 1 ]]; then
      echo "[rabbitmq_management]." >"$(dir "$n")/enabled_plugins"
    else
      echo "[]." >"$(dir "$n")/enabled_plugins"
    fi
  done
}

# Starts node n detached unless it runs; does not wait.
launch() {
  local n="$1"
  if pid_of "$n" >/dev/null; then
    return 0
  fi
  # another cluster (from another GW_CLUSTER_DIR) or anything else on the port: say so, not a
  # start that times out
  if (exec 3<>"/dev/tcp/127.0.0.1/$(amqp_port "$n")") 2>/dev/null; then
    die "127.0.0.1:$(amqp_port "$n") is taken, not by $(name "$n") of $base (a cluster of another GW_CLUSTER_DIR? its down stops it)"
  fi
  rm -f "$(dir "$n")/node.pid"
  with_node_env "$n" "$scripts/rabbitmq-server" -detached >>"$(dir "$n")/log/launch.log" 2>&1
}

# Waits until node n's RabbitMQ application runs (rabbitmqctl wait follows the pid file's VM).
await_running() {
  local n="$1"
  if ! ctl "$n" wait "$(dir "$n")/node.pid" --timeout 120 >/dev/null 2>&1; then
    echo "rabbitmq-cluster: node $(name "$n") did not start; its log:" >&2
    tail -n 30 "$(dir "$n")"/log/*.log >&2 || true
    return 1
  fi
}

# Whether node n is a (disc) member of node 1's cluster.
member() {
  ctl 1 cluster_status --formatter json 2>/dev/null | jq -e --arg node "$(name "$1")" \
    '.disk_nodes | index($node) != null' >/dev/null
}

join() {
  local n="$1"
  member "$n" && return 0
  echo "joining $(name "$n") to $(name 1)"
  local log="$(dir "$n")/log/join.log" step
  # the CLI logs the node's feature-flag and table warnings of a join to its standard error
  for step in stop_app reset "join_cluster $(name 1)" start_app; do
    # shellcheck disable=SC2086  # step is a command and its argument
    ctl "$n" $step >>"$log" 2>&1 || { cat "$log" >&2; die "$(name "$n"): rabbitmqctl $step failed"; }
  done
}

any_running() {
  local n
  for n in "${nodes[@]}"; do
    pid_of "$n" >/dev/null && return 0
  done
  return 1
}

up() {
  local started n pid
  started=$(date +%s)
  if ! any_running && [[ -f "$base/$marker" ]]; then
    # nothing runs: a fresh cluster, not the state a crashed or killed one left
    rm -rf "$base"
  fi
  write_config
  for n in "${nodes[@]}"; do launch "$n"; done
  local waits=()
  for n in "${nodes[@]}"; do await_running "$n" & waits+=($!); done
  for pid in "${waits[@]}"; do wait "$pid" || die "a node did not start (logs under $base/c*/log)"; done
  join 2
  join 3
  # otherwise each node reports its own name as the cluster's
  ctl 1 set_cluster_name "$cluster_name" >/dev/null
  echo "cluster up in $(( $(date +%s) - started )) s: $(addresses)"
}

start_node() {
  check_node_number "$1"
  [[ -f "$base/$marker" ]] || die "no cluster in $base: run up first"
  write_config
  launch "$1"
  await_running "$1" || die "node $(name "$1") did not start"
  echo "$(name "$1") running"
}

kill_node() {
  check_node_number "$1"
  local pid
  pid="$(pid_of "$1")" || die "node $(name "$1") is not running"
  kill -9 "$pid"
  # its children (erl_child_setup, inet_gethost) end with it; wait for the VM itself, gone or a
  # zombie (a container's init may not reap it), at most 30 s
  local i
  for ((i = 0; i < 300; i++)); do
    [[ -e "/proc/$pid" ]] && ! awk '{ exit $3 != "Z" }' "/proc/$pid/stat" 2>/dev/null || break
    sleep 0.1
  done
  echo "killed $(name "$1") (pid $pid)"
}

down() {
  local n pids=()
  for n in "${nodes[@]}"; do
    local pid
    if pid="$(pid_of "$n")"; then
      pids+=("$pid")
      # graceful, in parallel; rabbitmqctl stop with the pid file returns when the VM has exited
      (ctl "$n" stop "$(dir "$n")/node.pid" >/dev/null 2>&1 || true) &
    fi
  done
  wait
  for pid in "${pids[@]}"; do
    # a node that did not stop in time (rabbitmqctl's 120 s limit) is killed
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  done
  if [[ -d "$base" ]]; then
    [[ -f "$base/$marker" ]] || die "$base was not made by this script (no $marker): not deleted"
    rm -rf "$base"
  fi
  echo "cluster down"
}

status() {
  local n pid running=""
  for n in "${nodes[@]}"; do
    if pid="$(pid_of "$n")"; then
      if [[ "$(ctl "$n" eval 'rabbit:is_running().' 2>/dev/null)" == true ]]; then
        echo "$(name "$n")  127.0.0.1:$(amqp_port "$n")  pid $pid  running"
        running="${running:-$n}"
      else
        echo "$(name "$n")  127.0.0.1:$(amqp_port "$n")  pid $pid  starting or app stopped"
      fi
    else
      echo "$(name "$n")  127.0.0.1:$(amqp_port "$n")  down"
    fi
  done
  if [[ -z "$running" ]]; then
    echo "cluster: no node running"
    return 0
  fi
  ctl "$running" cluster_status --formatter json | jq -r \
    '"cluster \(.cluster_name): members \(.disk_nodes | join(", ")); running \(.running_nodes | join(", "))"'
}

pids() {
  local n pid
  for n in "${nodes[@]}"; do
    if pid="$(pid_of "$n")"; then echo "$n $pid"; fi
  done
}

addresses() {
  local n out=()
  for n in "${nodes[@]}"; do out+=("127.0.0.1:$(amqp_port "$n")"); done
  (IFS=,; echo "${out[*]}")
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  start) start_node "${2:-}" ;;
  kill-9) kill_node "${2:-}" ;;
  ctl) check_node_number "${2:-}"; n="$2"; shift 2; ctl "$n" "$@" ;;
  addresses) addresses ;;
  pids) pids ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
