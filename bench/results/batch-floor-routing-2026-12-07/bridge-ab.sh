cd /work/main
source bench/lib/gamewire.sh
uri=amqp://guest:guest@127.0.0.1:5672/gw-probe
broker=$(pgrep -o -x beam.smp)
out=/tmp/bridgeab; mkdir -p $out
for rep in 1 2 3; do
  for variant in one-word line-key; do
    name=$rep-$variant
    jar=/tmp/bench-new.jar; [[ $variant == one-word ]] && jar=/tmp/bench-old.jar
    java -cp $jar io.gamewire.bench.http.MinimalHttpBridge --amqp-uri $uri --host 127.0.0.1 --port 18790 --lanes 4 --name gw-floor-ab-$name > $out/bridge-$name.log 2>&1 &
    bp=$!
    for _ in $(seq 100); do grep -q READY $out/bridge-$name.log && break; sleep 0.3; done
    java -cp /tmp/bench-new.jar io.gamewire.bench.load.LoadMain http --concurrency 16 --batch 100 --host 127.0.0.1 --port 18790 --size 256 --warmup 30s --duration 20s > $out/load-$name.txt 2>&1 &
    l=$!
    bench_cores_by_process 31 19 broker=$broker process=$bp > $out/cores-$name.txt
    wait $l
    kill -TERM $bp; wait $bp
    r=$(grep -o 'events_per_s=[0-9.]*' $out/load-$name.txt | cut -d= -f2)
    bc=$(awk '$1 == "broker" { print $2 }' $out/cores-$name.txt); pc=$(awk '$1 == "process" { print $2 }' $out/cores-$name.txt)
    echo "$name events/s $r broker_cores $bc broker_us_per_event $(awk -v c=$bc -v r=$r 'BEGIN { printf "%.1f", c * 1e6 / r }') bridge_us_per_event $(awk -v c=$pc -v r=$r 'BEGIN { printf "%.1f", c * 1e6 / r }')"
    sleep 3
  done
done
