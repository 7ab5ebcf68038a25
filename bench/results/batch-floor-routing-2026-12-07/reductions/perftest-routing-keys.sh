# run on 2026-12-07 22:48 UTC (vhost gw-probe made by hand); the onekey-headers runs failed (PerfTest refused the timestamp format) and are not in the table
cd /work/main
cp=$(cat bench/target/perf-test.classpath)
uri=amqp://guest:guest@127.0.0.1:5672/gw-probe
out=/tmp/ptprobe; mkdir -p $out
run() { # name key extra-bindings(yes/no) [perftest args]
  local name=$1 key=$2 bind=$3; shift 3
  local id="gw-pt-$name-$$"
  java -cp "$cp" com.rabbitmq.perf.PerfTest --uri $uri --id $id --exchange $id --type topic --routing-key "$key" --queue $id --quorum-queue \
     --flag persistent --time 30 --metrics-format compact --producers 4 --consumers 0 --confirm 256 --rate 4000 --size 363 "$@" > $out/pt-$name.txt 2>&1 &
  local pt=$!
  sleep 4
  if [[ $bind == yes ]]; then
    for k in 'halo.prod.stats.*' 'halo.prod.players.*' 'halo.staging.stats.*' 'halo.staging.players.*' 'kart.staging.laps.*'; do
      curl -s -u guest:guest -X POST -H 'content-type: application/json' "http://127.0.0.1:15672/api/bindings/gw-probe/e/$id/q/$id" -d "{\"routing_key\":\"$k\"}"
    done
  fi
  sleep 8; bash /tmp/reds.sh > $out/reds-$name-0.txt; date +%s.%N > $out/t-$name-0
  sleep 12; bash /tmp/reds.sh > $out/reds-$name-1.txt; date +%s.%N > $out/t-$name-1
  wait $pt
  java -Dlogback.configurationFile=bench/perf-test/logback-warn.xml -cp "$cp" bench/perf-test/DeleteAmqpObjects.java "$uri" "$id" "$id" >/dev/null 2>&1
  echo "events_per_s=16000" > $out/load-$name.txt
  echo "$name done: $(grep -c 'msg/s' $out/pt-$name.txt) lines; $(grep -E '^ *2[0-9]s' $out/pt-$name.txt | head -2 | tr '\n' ' ')"
  sleep 8
}
for rep in 1 2; do
run $rep-onekey events no
run $rep-fourkeys halo.prod.stats.match_end no
run $rep-fourkeys-wild halo.prod.stats.match_end yes
run $rep-onekey-headers events no --message-properties "contentType=application/x-gwp,messageId=6a0b3c9e-1111-2222-3333-444455556666,timestamp=1700000000,gw-source=http"
done
