# run on 2026-12-07 22:34 UTC (vhost gw-probe made by hand); the gamewire jar of 330d656 and the bridge as it was then (every batch line under the routing key events)
cd /work/main
source bench/lib/gamewire.sh
uri=amqp://guest:guest@127.0.0.1:5672/gw-probe
broker=$(pgrep -o -x beam.smp)
out=/tmp/cpuside2; mkdir -p $out
load() { # port name
  java -cp bench/target/benchmarks.jar io.gamewire.bench.load.LoadMain http --concurrency 16 --batch 100 --host 127.0.0.1 --port $1 --size 256 --warmup 30s --duration 20s > $out/load-$2.txt 2>&1
}
show() { echo "$1: $(grep RESULT $out/load-$1.txt | grep -o 'events_per_s=[0-9.]*\|p50_ms=[0-9.]*\|load_cpu_us=[0-9.]*' | tr '\n' ' ') $(tr '\n' ' ' < $out/cores-$1.txt)"; }
for rep in 1 2 3; do
  for what in bridge bridge+cpu gamewire; do
    name=$rep-$what
    case $what in
      bridge|bridge+cpu)
        bench_bridge_start $uri 127.0.0.1 18790 4 $out/bridge-$name.log || exit 1
        cpu=""
        if [[ $what == bridge+cpu ]]; then java -cp bench/target/benchmarks.jar io.gamewire.bench.load.CpuLoad 0.35 62 & cpu=$!; sleep 1; fi
        load 18790 $name & l=$!
        bench_cores_by_process 31 19 broker=$broker process=$bridge_pid ${cpu:+cpuload=$cpu} > $out/cores-$name.txt
        wait $l; [[ -n "$cpu" ]] && kill $cpu 2>/dev/null
        bench_bridge_stop ;;
      gamewire)
        mkdir -p $out/gw-$name
        GAMEWIRE_JAR=/tmp/gw-before.jar gamewire_start $uri 127.0.0.1 18690 17690 $out/gw-$name off > /dev/null
        load 18690 $name & l=$!
        bench_cores_by_process 31 19 broker=$broker process=$gamewire_pid > $out/cores-$name.txt
        wait $l
        gamewire_stop
        rm -rf $out/gw-$name/data
        bench_delete_queue $uri halo.prod.stats ;;
    esac
    show $name
    sleep 3
  done
done
