#!/usr/bin/env bash
# Soak (not in CI): control-plane and edge-proxy as the `gatehouse` CLI runs them, each its own
# JVM, in front of an nginx upstream. Measures capacity with wrk (10 s, 50 connections), then
# offers 70% of it for SOAK_SECONDS (600 by default) with wrk's per-connection delay, sampling the
# edge-proxy's RSS and heap every 10 s. Fails when memory keeps growing: the live heap (after a
# forced GC) at the end above 1.5 x its value after the first minute + 16 MiB, or the RSS of the
# last quarter never back down to the highest RSS of the second quarter + 15%.
#
#   e2e/soak.sh                    # 10 minutes
#   SOAK_SECONDS=120 e2e/soak.sh   # a shorter check
#
# Needs nginx, wrk, jcmd (Debian: apt-get install -y nginx-light wrk; jcmd comes with the JDK).
# The edge listens on 8080 (the control plane's listener port), which must be free.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${SOAK_SECONDS:-600}"
for tool in nginx wrk jcmd python3; do
  command -v "$tool" >/dev/null || { echo "soak: $tool is missing" >&2; exit 2; }
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
upstream=$(free_port); xds=$(free_port); cp_admin=$(free_port); edge_admin=$(free_port); hz=$(free_port)
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  server { listen 127.0.0.1:$upstream; location / { return 200 "hello from the upstream\n"; } }
}
CONF
nginx -c "$work/nginx.conf" -g 'daemon off;' &
pids+=($!)

mkdir -p "$work/config"
cat >"$work/config/soak.yaml" <<YAML
apiVersion: getambassador.io/v3alpha1
kind: Mapping
metadata: {name: soak}
spec:
  prefix: /
  rewrite: ""
  service: 127.0.0.1:$upstream
YAML

./gatehouse validate "$work/config" >/dev/null
GATEHOUSE_JAVA_OPTS="-Xmx256m" ./gatehouse control-plane --config-dir "$work/config" \
  --xds-port "$xds" --admin-port "$cp_admin" --hazelcast-port "$hz" >"$work/cp.log" 2>&1 &
pids+=($!)
GATEHOUSE_JAVA_OPTS="-Xms256m -Xmx256m" ./gatehouse edge-proxy --xds "127.0.0.1:$xds" \
  --admin-port "$edge_admin" >"$work/edge.log" 2>&1 &
edge_pid=$!   # ./gatehouse execs the JVM, so this is the edge-proxy's own process
pids+=($edge_pid)
for _ in $(seq 1 600); do
  curl -fs -o /dev/null "http://127.0.0.1:8080/" && break
  sleep 0.2
done
curl -fs -o /dev/null "http://127.0.0.1:8080/" || { echo "soak: the edge did not serve"; tail -20 "$work/edge.log" "$work/cp.log"; exit 1; }

rss_mib() { awk '/VmRSS/ {printf "%d", $2/1024}' "/proc/$edge_pid/status"; }
heap_mib() { jcmd "$edge_pid" GC.heap_info 2>/dev/null | awk '/used/ {for (i=1;i<=NF;i++) if ($i=="used") {v=$(i+1); sub("K,?","",v); printf "%d", v/1024; exit}}'; }
live_heap_mib() { jcmd "$edge_pid" GC.run >/dev/null 2>&1; heap_mib; }

echo "$(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, $(java -version 2>&1 | head -1), soak ${seconds}s"
timeout 60 wrk -t1 -c50 -d10s "http://127.0.0.1:8080/" >/dev/null   # JIT warm-up
capacity=$(timeout 60 wrk -t1 -c50 -d10s "http://127.0.0.1:8080/" | awk '/Requests\/sec/ {printf "%d", $2}')
target=$(( capacity * 70 / 100 ))
connections=20
delay_ms=$(( connections * 1000 / (target > 0 ? target : 1) ))
echo "capacity ${capacity} requests/s; offering ~${target}/s: ${connections} connections, ${delay_ms} ms between a connection's requests"
cat >"$work/delay.lua" <<LUA
function delay() return $delay_ms end
LUA

timeout $((seconds + 60)) wrk -t1 -c"$connections" -d"${seconds}s" --latency -s "$work/delay.lua" \
  "http://127.0.0.1:8080/" >"$work/wrk.txt" &
wrk_pid=$!
samples=()
live_start=""
for i in $(seq 1 $((seconds / 10))); do
  sleep 10
  if [ "$i" -eq 6 ]; then live_start=$(live_heap_mib); fi
  r=$(rss_mib); h=$(heap_mib)
  samples+=("$r")
  echo "t=$((i * 10))s rss=${r}MiB heap_used=${h}MiB"
done
wait "$wrk_pid" || true
live_end=$(live_heap_mib)
cat "$work/wrk.txt"
echo "live heap after GC: ${live_start:-?} MiB at 1 min, ${live_end} MiB at the end"

n=${#samples[@]}
q=$(( n / 4 > 0 ? n / 4 : 1 ))
second_max=0; for s in "${samples[@]:$q:$q}"; do [ "$s" -gt "$second_max" ] && second_max=$s; done
last_min=999999; for s in "${samples[@]:$((n - q)):$q}"; do [ "$s" -lt "$last_min" ] && last_min=$s; done
failed=0
if [ -n "$live_start" ] && [ "$live_end" -gt $(( live_start * 3 / 2 + 16 )) ]; then
  echo "FAIL: the live heap grew from ${live_start} to ${live_end} MiB"; failed=1
fi
if [ "$last_min" -gt $(( second_max * 115 / 100 )) ]; then
  echo "FAIL: RSS kept growing (last quarter at least ${last_min} MiB, second quarter at most ${second_max} MiB)"; failed=1
fi
grep -q "Non-2xx\|Socket errors" "$work/wrk.txt" && echo "note: wrk reports errors (above)"
[ "$failed" -eq 0 ] && echo "PASS: memory stable"
exit "$failed"
