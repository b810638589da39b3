#!/usr/bin/env bash
# edge-proxy benchmark: wrk at fixed concurrency against the same upstream (an nginx answering a
# small static body) straight, through nginx as a reverse proxy, through HAProxy, and through
# edge-proxy configured by the real control plane. All in one run on this machine, so the ratios
# compare like with like. Loopback only; each phase bounded by its duration.
#
#   bench/edge-proxy/run.sh [seconds=10] [connections=50] [extra_mappings=0]
#   ROUNDS=N (default 3): each target measured N times in turn; medians and per-round ratios
#
# Each JVM is warmed up to a steady rate first (bench/lib/warm.sh: WARMUP, WARMUP_MAX): on 2
# cores C2 keeps compiling the proxy path for 20-30 s, and 5 s of warm-up measured a third of the
# steady rate.
# The "vertx" row is a bare Vert.x server-and-client proxy (bench BareVertxProxy): what the Vert.x
# HTTP stack alone does here, without anything Gatehouse adds.
#
# Needs nginx, haproxy and wrk, and h2load for the fixed-rate phase (Debian: apt-get install -y
# nginx-light haproxy wrk nghttp2-client).
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib/warm.sh
seconds="${1:-10}"
connections="${2:-50}"
extra="${3:-0}"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
upstream=$(free_port); via_nginx=$(free_port); via_haproxy=$(free_port); edge=$(free_port); bare=$(free_port)
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

# The upstream: an nginx of its own, the same process for every target. (It was once a server
# block in the proxying nginx's own worker, which gave nginx an upstream hop inside one process.)
cat >"$work/upstream.conf" <<CONF
worker_processes 1;
pid $work/upstream.pid;
error_log $work/upstream-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$upstream; location / { return 200 "hello from the upstream\n"; } }
}
CONF
nginx -c "$work/upstream.conf" -g 'daemon off;' &
upstream_pid=$!
pids+=($!)

cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  # No cap on requests per keep-alive connection (nginx closes one after 1,000 by default), as
  # edge-proxy and HAProxy have none: h2load's clients stop when their connection is closed.
  keepalive_requests 1000000;
  upstream backend { server 127.0.0.1:$upstream; keepalive 64; }
  server {
    listen 127.0.0.1:$via_nginx;
    location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
CONF
nginx -c "$work/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
pids+=($!)

cat >"$work/haproxy.cfg" <<CONF
global
  nbthread 1
defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s
  option http-keep-alive
frontend edge
  bind 127.0.0.1:$via_haproxy
  default_backend upstream
backend upstream
  http-reuse always
  server u1 127.0.0.1:$upstream
CONF
haproxy -f "$work/haproxy.cfg" -db >"$work/haproxy.log" 2>&1 &
haproxy_pid=$!
pids+=($!)

mvn -B -q -o -pl grpc-server,edge-config,control-plane,edge-proxy install -DskipTests -Dspotless.check.skip=true
classpath_file="bench/target/classpath.txt"
mkdir -p bench/target
mvn -B -q -o -pl bench dependency:build-classpath -Dmdep.outputFile="$PWD/$classpath_file" >/dev/null
classes="bench/target/proxy-classes"
rm -rf "$classes"
javac --release 17 -d "$classes" -cp "$(cat "$classpath_file")" bench/src/main/java/dev/gatehouse/bench/proxy/*.java
# The control plane in a JVM of its own, so that the edge-proxy JVM's RSS is the proxy's alone.
java -Xmx512m -Dlogback.configurationFile=bench/edge-proxy/logback.xml \
  -cp "$classes:$(cat "$classpath_file")" dev.gatehouse.bench.proxy.ControlPlaneUnderTest "$edge" "$upstream" "$extra" >"$work/cp.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 900); do grep -q '^XDS ' "$work/cp.log" 2>/dev/null && break; sleep 0.1; done
grep -q '^XDS ' "$work/cp.log" || { echo "the control plane did not start:"; cat "$work/cp.log"; exit 1; }
xds=$(awk '/^XDS / {print $2}' "$work/cp.log")
# EDGE_JAVA_OPTS: the edge-proxy JVM's options; 128 MiB of heap is ample (about 30 MiB live with
# 10,000 routes) and keeps the RSS honest.
java ${EDGE_JAVA_OPTS:--Xmx128m} -Dlogback.configurationFile=bench/edge-proxy/logback.xml \
  -cp "$classes:$(cat "$classpath_file")" dev.gatehouse.bench.proxy.EdgeUnderTest "$edge" "$upstream" "$extra" "$xds" >"$work/edge.log" 2>&1 &
edge_pid=$!
pids+=($edge_pid)
for _ in $(seq 1 1500); do grep -q -E '^(NOT )?READY' "$work/edge.log" 2>/dev/null && break; sleep 0.1; done
grep -q '^READY' "$work/edge.log" || { echo "edge-proxy did not start:"; cat "$work/edge.log"; exit 1; }

echo "$(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, $(java -version 2>&1 | head -1), $(nginx -v 2>&1 | cut -d/ -f2), haproxy $(haproxy -v | head -1 | cut -d' ' -f3), wrk -t1 -c$connections -d${seconds}s after a warm-up to a steady rate (bench/lib/warm.sh), extra mappings: $extra"

java -Xms256m -Xmx512m -Dlogback.configurationFile=bench/edge-proxy/logback.xml -cp "$classes:$(cat "$classpath_file")" dev.gatehouse.bench.proxy.BareVertxProxy "$bare" "$upstream" 1 >"$work/bare.log" 2>&1 &
bare_pid=$!
pids+=($bare_pid)
for _ in $(seq 1 300); do grep -q READY "$work/bare.log" 2>/dev/null && break; sleep 0.1; done
grep -q READY "$work/bare.log" || { echo "the bare Vert.x proxy did not start:"; cat "$work/bare.log"; exit 1; }

# Warm up each JVM (JIT) before measuring, as a long-running proxy would be.
warm_until_steady edge-proxy "http://127.0.0.1:$edge/"
warm_until_steady vertx "http://127.0.0.1:$bare/"

# CPU time a process has used so far, in clock ticks (all its threads).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# nginx's work is done by its worker, the master's child.
worker_of() { pgrep -P "$1" | head -1; }

# Requests/s on a 2-core machine shared by wrk, the upstream and the proxy vary by a quarter and
# more between runs of the same code (edge-proxy/nginx was 0.58 in one run and 0.93 in another an
# hour later, 2026-11-28). So the targets are measured in ROUNDS rounds (default 3), each target
# once per round in turn, and the figures are the medians, with each round's edge/nginx ratio
# beside them. The CPU that each proxy spent per request is printed too (its process alone, all
# threads; for direct, the upstream), with what the kernel's own threads took meanwhile
# (bench/lib/kthreads.py: on these VMs kdamond.0 holds a core in bursts).
rounds="${ROUNDS:-3}"
results="$work/results.tsv"
: >"$results"
measure() { # round name url pid
  local out rps p50 p99 before after requests cpu kernel
  python3 bench/lib/kthreads.py snapshot "$work/kthreads.json"
  before=$(cpu_ticks "$4")
  out=$(timeout $((seconds + 30)) wrk -t1 -c"$connections" -d"${seconds}s" --latency "$3")
  after=$(cpu_ticks "$4")
  kernel=$(python3 bench/lib/kthreads.py report "$work/kthreads.json" "$2")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  cpu=$(python3 -c "import os, sys; print(f'{(int(sys.argv[2]) - int(sys.argv[1])) / os.sysconf(\"SC_CLK_TCK\") * 1e6 / int(sys.argv[3]):.1f}')" "$before" "$after" "$requests")
  errors=$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')
  printf 'round %s %-8s %10s req/s  p50 %-9s p99 %-9s cpu %6s us/request %s\n' "$1" "$2" "$rps" "$p50" "$p99" "$cpu" "$errors"
  echo "                       $kernel"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$rps" "$p50" "$p99" "$cpu" >>"$results"
}
for round in $(seq 1 "$rounds"); do
  measure "$round" direct "http://127.0.0.1:$upstream/" "$(worker_of "$upstream_pid")"
  measure "$round" nginx "http://127.0.0.1:$via_nginx/" "$(worker_of "$nginx_pid")"
  measure "$round" haproxy "http://127.0.0.1:$via_haproxy/" "$haproxy_pid"
  measure "$round" vertx "http://127.0.0.1:$bare/" "$bare_pid"
  measure "$round" edge "http://127.0.0.1:$edge/" "$edge_pid"
done
rss=$(awk '/VmRSS/ {print $2}' /proc/$edge_pid/status)
echo "edge-proxy RSS: $((rss / 1024)) MiB (its own JVM: ${EDGE_JAVA_OPTS:--Xmx128m}; the control plane runs in another)"
if grep -q "has been blocked" "$work/edge.log"; then echo "edge-proxy log: an event loop was blocked:"; grep "has been blocked" "$work/edge.log" | head -3; fi
python3 - "$results" <<'PY'
import statistics, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
def ms(text):
    return float(text[:-2]) if text.endswith("ms") else float(text[:-2]) / 1000 if text.endswith("us") else float(text[:-1]) * 1000
by = {}
for round_, name, rps, p50, p99, cpu in rows:
    by.setdefault(name, []).append((int(round_), float(rps), ms(p50), ms(p99), float(cpu)))
med = {name: [statistics.median(r[i] for r in runs) for i in range(1, 5)] for name, runs in by.items()}
print(f"medians of {len(by['edge'])} rounds:")
for name in ("direct", "nginx", "haproxy", "vertx", "edge"):
    rps, p50, p99, cpu = med[name]
    print(f"  {name:<8} {rps:10.0f} req/s  p50 {p50:6.2f}ms  p99 {p99:6.2f}ms  cpu {cpu:6.1f} us/request")
def ratio(a, b, i=0):
    return med[a][i] / med[b][i]
print(f"ratios of the medians: edge/nginx {ratio('edge', 'nginx'):.2f}, edge/haproxy {ratio('edge', 'haproxy'):.2f}, "
      f"edge/direct {ratio('edge', 'direct'):.2f}, nginx/direct {ratio('nginx', 'direct'):.2f}")
print(f"        vertx/nginx {ratio('vertx', 'nginx'):.2f}, edge/vertx {ratio('edge', 'vertx'):.2f}; "
      f"p99 edge/nginx {ratio('edge', 'nginx', 2):.2f}")
per_round = {r: {} for r, *_ in by["edge"]}
for name, runs in by.items():
    for r, rps, *_ in runs:
        per_round[r][name] = rps
print("edge/nginx per round: " + ", ".join(f"{per_round[r]['edge'] / per_round[r]['nginx']:.2f}" for r in sorted(per_round)))
print(f"cpu per request (medians): edge/nginx {ratio('edge', 'nginx', 3):.2f}, vertx/nginx {ratio('vertx', 'nginx', 3):.2f}, "
      f"edge/vertx {ratio('edge', 'vertx', 3):.2f}")
PY

# A fixed rate (RATE req/s, default 5,000: below every target's capacity here) with a bounded C
# load generator, h2load over 50 HTTP/1.1 connections, each request's latency logged; p99.9 and
# the worst request show the stalls that a closed loop at full load hides. Caveat: h2load keeps one
# request in flight per connection, so a stall delays the requests behind it instead of being
# timed for them (coordinated omission); the per-connection interval is 10 ms at 5,000/s.
rate="${RATE:-5000}"
if ! command -v h2load >/dev/null; then
  echo "fixed rate: skipped (h2load missing: apt-get install -y nghttp2-client)"
  exit 0
fi
echo "fixed rate: $rate req/s for ${seconds}s, h2load --h1 -c50"
fixed() { # name url
  local log="$work/h2load-$1.tsv"
  python3 bench/lib/kthreads.py snapshot "$work/kthreads.json"
  timeout $((seconds + 30)) h2load --h1 -c 50 --rps $((rate / 50)) -D "$seconds" --log-file "$log" "$2" >/dev/null
  local kernel
  kernel=$(python3 bench/lib/kthreads.py report "$work/kthreads.json" "$1")
  python3 - "$1" "$log" "$rate" "$seconds" <<'PY'
import sys
name, log, rate, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rows = [line.split("\t") for line in open(log) if line.strip()]
latencies = sorted(int(r[2]) / 1000 for r in rows)
bad = sum(1 for r in rows if not r[1].startswith("2"))
def pct(p):
    return latencies[min(len(latencies) - 1, int(p * len(latencies)))] if latencies else float("nan")
if len(rows) < 0.95 * rate * seconds:
    print(f"{name}: only {len(rows)} of {rate * seconds} requests done: h2load lost connections")
print(f"{name:<12} {len(rows) / seconds:8.0f} req/s of {rate}  p50 {pct(0.50):6.2f}ms  p99 {pct(0.99):6.2f}ms  "
      f"p99.9 {pct(0.999):7.2f}ms  max {latencies[-1] if latencies else float('nan'):7.2f}ms  non-2xx {bad}")
PY
  echo "             $kernel"
}
fixed direct "http://127.0.0.1:$upstream/"
fixed nginx "http://127.0.0.1:$via_nginx/"
fixed haproxy "http://127.0.0.1:$via_haproxy/"
fixed vertx "http://127.0.0.1:$bare/"
fixed edge "http://127.0.0.1:$edge/"
