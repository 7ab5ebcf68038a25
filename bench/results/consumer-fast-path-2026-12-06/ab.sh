#!/usr/bin/env bash
# A/B of the consumer fast path: storage bench alternating on/off
cd /work/main
for round in 1 2; do
  for v in on off; do
    if [[ $v == off ]]; then opts="-Dgamewire.store.consumer-fast-path=false"; else opts=""; fi
    echo "=== round $round variant $v $(date +%T)"
    GAMEWIRE_JAVA_OPTS="$opts" bench/run-storage-bench.sh --raw-rows 100000 --fill 15 --warmup 20 --duration 20 \
      --no-perftest --e2e-rate 0 --jit-settle 60 > /tmp/ab-$round-$v.log 2>&1
    echo "rc $?"
    rabbitmqctl -q delete_vhost gw-bench >/dev/null 2>&1 || true
  done
done
echo "=== done $(date +%T)"
