#!/usr/bin/env bash
# bench/broker-reductions.sh FILE: writes one line per Erlang process of the local RabbitMQ node,
# "PID REDUCTIONS REGISTERED-NAME INITIAL-CALL", to FILE. Two such snapshots taken some seconds
# apart under a steady load, given to bench/broker-reductions.py with the events of those seconds,
# show which of the broker's processes (channels, readers, the quorum queue, the WAL) do how much
# work per event. Reductions are the Erlang VM's count of work done (function calls, roughly), not
# time: they compare one load with another on the same broker, they are no CPU figure. A process
# whose start names nothing more shows as {proc_lib,init_p,5}.
#
# Needs rabbitmqctl of the node (it runs `rabbitmqctl eval`). Exit status: 0 with FILE written,
# 1 when rabbitmqctl failed or gave no process, 2 on a usage error.
set -euo pipefail
usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; }
if [[ $# -eq 1 && ( "$1" == -h || "$1" == --help ) ]]; then
  usage
  exit 0
fi
if [[ $# -ne 1 ]]; then
  usage >&2
  exit 2
fi
# processes that end between the listing and the question are left out (undefined), and so is the
# one asking (a new one each time, its reductions would count as work of the load); ~w, not ~p,
# so that no term is wrapped onto a second line
if ! output="$(rabbitmqctl eval '
Lines = [case erlang:process_info(P, [reductions, registered_name]) of
           undefined -> "";
           [{reductions, R}, {registered_name, N}] ->
             io_lib:format("~w ~w ~w ~w~n", [P, R, N, proc_lib:translate_initial_call(P)])
         end || P <- processes(), P =/= self()],
io:format("~s", [Lines]), ok.' 2>&1)"; then
  echo "broker-reductions: rabbitmqctl eval failed: $output" >&2
  exit 1
fi
# rabbitmqctl ends with the value of the expression ("ok"): keep only the process lines
processes="$(grep '^<' <<<"$output" || true)"
if [[ -z "$processes" ]]; then
  echo "broker-reductions: rabbitmqctl gave no process; it said: ${output:0:500}" >&2
  exit 1
fi
printf '%s\n' "$processes" >"$1" || { echo "broker-reductions: cannot write $1" >&2; exit 1; }
