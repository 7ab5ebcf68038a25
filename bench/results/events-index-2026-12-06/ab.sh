#!/bin/bash
# A/B: V1's secondary index on events (A) against V7 dropping it (B), alternated.
# The jars: B is routes/target/gamewire.jar of the commit that adds V7; A is a copy of it with V7
# taken out (zip -d /tmp/jar-A.jar db/migration/V7__events_drop_service_index.sql), so nothing else
# differs. RowCost's A/B (rowcost-ab.txt) used bench/target/benchmarks.jar the same way.
cd /work/main
out=bench/results/events-index-2026-12-06
for run in A1 B1 B2 A2; do
  v=${run:0:1}; vh=gw_bench_idx_$run
  curl -s -u guest:guest -X PUT http://127.0.0.1:15672/api/vhosts/$vh >/dev/null
  curl -s -u guest:guest -X PUT -H 'content-type: application/json' -d '{"configure":".*","write":".*","read":".*"}' http://127.0.0.1:15672/api/permissions/$vh/guest >/dev/null
  echo "== $run $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)" >> $out/runs.txt
  GAMEWIRE_JAR=/tmp/jar-$v.jar bash bench/run-storage-bench.sh --raw-rows 100000 --fill 15 --warmup 30 --duration 20 --no-perftest --e2e-rate 0 --amqp-uri amqp://guest:guest@127.0.0.1:5672/$vh > $out/storage-$run.txt 2>&1
  echo "rc $? $(date +%T)" >> $out/runs.txt
  curl -s -u guest:guest -X DELETE http://127.0.0.1:15672/api/vhosts/$vh >/dev/null
done
echo ALLDONE >> $out/runs.txt
