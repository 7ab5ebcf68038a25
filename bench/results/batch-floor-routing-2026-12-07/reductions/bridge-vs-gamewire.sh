# run on 2026-12-07 22:43 UTC (vhost gw-probe made by hand; /tmp/reds.sh was what became bench/broker-reductions.sh); gamewire_start from bench/lib/gamewire.sh, with the jar of 330d656
cd /work/main
source bench/lib/gamewire.sh
uri=amqp://guest:guest@127.0.0.1:5672/gw-probe
out=/tmp/redprobe; mkdir -p $out
load() { java -cp bench/target/benchmarks.jar io.gamewire.bench.load.LoadMain http --concurrency 16 --batch 100 --host 127.0.0.1 --port $1 --size 256 --warmup 30s --duration 20s > $out/load-$2.txt 2>&1; }
for rep in 1 2; do
for what in bridge gamewire; do
  name=$rep-$what
  if [[ $what == bridge ]]; then bench_bridge_start $uri 127.0.0.1 18790 4 $out/bridge-$name.log || exit 1; port=18790
  else mkdir -p $out/gw-$name; GAMEWIRE_JAR=/tmp/gw-before.jar gamewire_start $uri 127.0.0.1 18690 17690 $out/gw-$name off >/dev/null; port=18690; fi
  load $port $name & l=$!
  sleep 33; bash /tmp/reds.sh > $out/reds-$name-0.txt; date +%s.%N > $out/t-$name-0
  sleep 12; bash /tmp/reds.sh > $out/reds-$name-1.txt; date +%s.%N > $out/t-$name-1
  wait $l
  if [[ $what == bridge ]]; then bench_bridge_stop; else gamewire_stop; rm -rf $out/gw-$name/data; bench_delete_queue $uri halo.prod.stats; fi
  echo "$name $(grep RESULT $out/load-$name.txt | grep -o 'events_per_s=[0-9.]*')"
  sleep 3
done
done
