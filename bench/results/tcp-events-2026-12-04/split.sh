#!/usr/bin/env bash
# split.sh LABEL RATE: gamewire user/system CPU and context switches per event, paced TCP (RATE 0 = unpaced)
# A record of how paced-vs-unpaced-split.txt was measured, not a maintained tool: /tmp/prof/start-gw.sh
# started routes/target/gamewire.jar on the prod profile as bench/lib/gamewire.sh's gamewire_start does
# (vhost gw-prof, HTTP 18080, TCP 17400, consumers off, SQL/KV/cache embedded). For A/B runs use bench/run-ab.sh.
label=$1; rate=$2
rm -rf /tmp/prof/w-$label
(/tmp/prof/start-gw.sh /tmp/prof/w-$label &)
for i in $(seq 60); do curl -s -m 2 http://127.0.0.1:18080/observe/health | grep -q UP && break; sleep 1; done
GW=$(pgrep -f -- "-jar .* --profile prod"); RMQ=$(pgrep -f beam.smp | head -1)
java -cp /work/main/bench/target/benchmarks.jar io.gamewire.bench.load.LoadMain tcp --port 17400 --rate $rate --warmup 25s --duration 30s > /tmp/prof/load-$label.txt 2>&1 &
LP=$!
cs() { cat /proc/$1/task/*/status 2>/dev/null | awk '/ctxt_switches/ {s+=$2} END {print s}'; }
sleep 28; u=$(awk '{print $14}' /proc/$GW/stat); s=$(awk '{print $15}' /proc/$GW/stat); c=$(cs $GW); ru=$(awk '{print $14}' /proc/$RMQ/stat); rs=$(awk '{print $15}' /proc/$RMQ/stat)
sleep 25; u2=$(awk '{print $14}' /proc/$GW/stat); s2=$(awk '{print $15}' /proc/$GW/stat); c2=$(cs $GW); ru2=$(awk '{print $14}' /proc/$RMQ/stat); rs2=$(awk '{print $15}' /proc/$RMQ/stat)
wait $LP
r=$(grep -o 'events_per_s=[0-9.]*' /tmp/prof/load-$label.txt | cut -d= -f2)
awk -v l=$label -v r=$r -v u=$((u2-u)) -v s=$((s2-s)) -v c=$((c2-c)) -v ru=$((ru2-ru)) -v rs=$((rs2-rs)) 'BEGIN { printf "%-8s %7.0f ev/s  gamewire user %5.1f sys %5.1f us/ev, %4.2f context switches/ev;  rabbitmq user %5.1f sys %5.1f us/ev\n", l, r, u*1e4/25/r, s*1e4/25/r, c/25/r, ru*1e4/25/r, rs*1e4/25/r }'
pkill -f -- "-jar .* --profile prod"; while pgrep -f -- "-jar .* --profile prod" >/dev/null; do sleep 0.5; done
rabbitmqctl -q purge_queue -p gw-prof halo.prod.stats
