cd /work/main
source bench/lib/gamewire.sh
cp=$(cat bench/target/perf-test.classpath)
uri=amqp://guest:guest@127.0.0.1:5672/gw-probe
broker=$(pgrep -o -x beam.smp)
out=/tmp/ptcpu; mkdir -p $out
run() { # name key [extra perftest args]
  local name=$1 key=$2; shift 2
  local id="gw-pt-$name-$$"
  java -cp "$cp" com.rabbitmq.perf.PerfTest --uri $uri --id $id --exchange $id --type topic --routing-key "$key" --queue $id --quorum-queue \
     --flag persistent --time 32 --metrics-format compact --producers 4 --consumers 0 --confirm 256 --rate 4000 --size 363 "$@" > $out/pt-$name.txt 2>&1 &
  local pt=$!
  sleep 2
  local ptpid=$(pgrep -n -f "com\.rabbitmq\.perf\.PerfTest .*--id $id( |$)")
  bench_cores_by_process 10 20 broker=$broker perftest=$ptpid > $out/cores-$name.txt
  wait $pt
  java -Dlogback.configurationFile=bench/perf-test/logback-warn.xml -cp "$cp" bench/perf-test/DeleteAmqpObjects.java "$uri" "$id" "$id" >/dev/null 2>&1
  # confirmed msg/s over the sampled seconds 12..32
  local rate=$(awk '$1 ~ /^[0-9.]+s$/ && $3 == "msg/s" { t = substr($1, 1, length($1) - 1) + 0; if (t > 12.5 && t <= 32.5) { s += $4; n++ } } END { printf "%.0f", s / n }' $out/pt-$name.txt)
  local bc=$(awk '$1 == "broker" { print $2 }' $out/cores-$name.txt)
  echo "$name confirmed/s $rate broker_cores $bc broker_us_per_msg $(awk -v c=$bc -v r=$rate 'BEGIN { printf "%.1f", c * 1e6 / r }')"
  sleep 5
}
for rep in 1 2 3; do
  run $rep-onekey events
  run $rep-fourkeys halo.prod.stats.match_end
done
