#!/usr/bin/env bash
# Latency while the configuration changes (the comparison Ambassador published for Envoy against
# HAProxy and NGINX): a fixed request rate through edge-proxy while, every 3 seconds, the
# configuration changes: alternately a Mapping is edited (a response header's value) and the
# upstream is scaled up or down (a weighted canary Mapping to a further upstream port appears or
# goes away: in directory mode each upstream address is a cluster; Kubernetes EndpointSlices would
# be an EDS update instead). Beside it, nginx as a reverse proxy under the same load, reloading
# its configuration (upstream servers added and removed) every 3 seconds. Each proxy and rate is
# also run as a control: the same load with no change at all (RECONFIG_CONTROL=0 skips them), since
# on a small machine a second's p99 is noisy by itself. The upstreams are an nginx of their own,
# never reloaded. Loopback only; each run bounded by its duration.
#
#   bench/edge-proxy/reconfig.sh [seconds=30] [rates="100 500 1000"]
#
# Target (issue 9): zero errors, and no second whose p99 exceeds twice the steady p99.
# The generator is FixedRateLoad (JVM, Vert.x client over at most 128 keep-alive connections; a
# request that finds them busy waits, and the wait counts in its latency, so a stall shows for
# every request it delays; an unbounded client churned through loopback's ephemeral ports). h2load
# is not used here: when a server closes a keep-alive connection (nginx does on every reload) its
# HTTP/1.1 clients stop sending, silently lowering the load.
# The edge is warmed up to a steady rate first (bench/lib/warm.sh).
# Options (environment): EDGE_JAVA_OPTS, CP_JAVA_OPTS, LOAD_JAVA_OPTS (the three JVMs),
# RECONFIG_CONTROL, RECONFIG_WARMUP (below).
# Needs nginx and wrk (Debian: apt-get install -y nginx-light wrk).
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib/warm.sh
connections=50
seconds="${1:-30}"
rates="${2:-100 500 1000}"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
u1=$(free_port); u2=$(free_port); u3=$(free_port); via_nginx=$(free_port); edge=$(free_port)
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

# The upstream servers: an nginx of their own, never reloaded, shared by both proxies. (They were
# once in the proxying nginx's own worker: that gave nginx an upstream hop inside one process, and
# its reloads restarted the upstream too.)
cat >"$work/upstream.conf" <<CONF
worker_processes 1;
pid $work/upstream.pid;
error_log $work/upstream-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  server { listen 127.0.0.1:$u1; location / { return 200 "hello from u1\n"; } }
  server { listen 127.0.0.1:$u2; location / { return 200 "hello from u2\n"; } }
  server { listen 127.0.0.1:$u3; location / { return 200 "hello from u3\n"; } }
}
CONF
nginx -c "$work/upstream.conf" -g 'daemon off;' &
pids+=($!)

nginx_conf() { # upstream servers...
  local servers=""
  for port in "$@"; do servers+="server 127.0.0.1:$port; "; done
  cat <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  upstream backend { $servers keepalive 64; }
  server {
    listen 127.0.0.1:$via_nginx;
    location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
CONF
}
nginx_conf "$u1" >"$work/nginx.conf"
nginx -c "$work/nginx.conf" -g 'daemon off;' &
pids+=($!)

classpath_file="bench/target/classpath.txt"
mkdir -p bench/target
# What it runs is built and installed from this tree first, as bench/edge-proxy/run.sh does.
mvn -B -q -o -pl grpc-server,edge-config,control-plane,edge-proxy install -DskipTests -Dspotless.check.skip=true
mvn -B -q -o -pl bench dependency:build-classpath -Dmdep.outputFile="$PWD/$classpath_file" >/dev/null
classes="bench/target/proxy-classes"
rm -rf "$classes"
javac --release 17 -d "$classes" -cp "$(cat "$classpath_file")" bench/src/main/java/dev/gatehouse/bench/proxy/*.java
# The control plane in a JVM of its own, as deployed: its reloads' allocation and JIT are not the
# proxy's pauses (they still share the two cores).
# CP_JAVA_OPTS: the control plane JVM's options.
java ${CP_JAVA_OPTS:--Xmx512m} -Dlogback.configurationFile=bench/edge-proxy/logback.xml \
  -cp "$classes:$(cat "$classpath_file")" dev.gatehouse.bench.proxy.ControlPlaneUnderTest "$edge" "$u1" 0 >"$work/cp.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 900); do grep -q '^XDS ' "$work/cp.log" 2>/dev/null && break; sleep 0.1; done
grep -q '^XDS ' "$work/cp.log" || { echo "the control plane did not start:"; cat "$work/cp.log"; exit 1; }
xds=$(awk '/^XDS / {print $2}' "$work/cp.log")
dir=$(awk '/^DIR / {print $2}' "$work/cp.log")
# EDGE_JAVA_OPTS: the edge-proxy JVM's options (default: the heap the earlier one-JVM runs had).
java ${EDGE_JAVA_OPTS:--Xms256m -Xmx512m} -Dlogback.configurationFile=bench/edge-proxy/logback.xml \
  -cp "$classes:$(cat "$classpath_file")" dev.gatehouse.bench.proxy.EdgeUnderTest "$edge" "$u1" 0 "$xds" >"$work/edge.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 1500); do grep -q -E '^(NOT )?READY' "$work/edge.log" 2>/dev/null && break; sleep 0.1; done
grep -q '^READY' "$work/edge.log" || { echo "edge-proxy did not start:"; cat "$work/edge.log"; exit 1; }

load() { # url rate
  python3 bench/lib/kthreads.py snapshot "$work/kthreads.json"
  java ${LOAD_JAVA_OPTS:-} -Dload.raw="$work/raw.txt" -Dlogback.configurationFile=bench/edge-proxy/logback.xml -cp "$classes:$(cat "$classpath_file")" dev.gatehouse.bench.proxy.FixedRateLoad "$1" "$2" "$seconds" 10 >"$work/load.txt" 2>"$work/load.err"
  grep SUMMARY "$work/load.txt"
  echo "                $(python3 bench/lib/kthreads.py report "$work/kthreads.json" "this run")"
}

canary() { # port
  printf 'apiVersion: getambassador.io/v3alpha1\nkind: Mapping\nmetadata: {name: canary}\nspec:\n  prefix: /\n  rewrite: /\n  weight: 50\n  service: 127.0.0.1:%s\n' "$1"
}

change_edge() { # the i-th change: alternately edit a Mapping and scale up or down
  local i=$1
  case $((i % 4)) in
    1) sed -i "s/^  add_response_headers: .*//; \$a\\  add_response_headers: {x-edit: \"$i\"}" "$dir/bench.yaml" ;;
    2) canary "$u2" >"$dir/canary.yaml" ;;
    3) sed -i "s/x-edit: \"[0-9]*\"/x-edit: \"$i\"/" "$dir/bench.yaml" ;;
    0) rm -f "$dir/canary.yaml" ;;
  esac
}

edit_edge() { # runs until killed: a change every 3 s
  local i=0
  while sleep 3; do
    i=$((i + 1))
    change_edge "$i"
    echo "$(date +%s%3N) $((i % 4))" >>"$work/changes.txt"
  done
}

edit_nginx() { # runs until killed: add and remove upstream servers, reload
  local i=0
  while sleep 3; do
    i=$((i + 1))
    if ((i % 2)); then nginx_conf "$u1" "$u2" "$u3" >"$work/nginx.conf"; else nginx_conf "$u1" >"$work/nginx.conf"; fi
    nginx -c "$work/nginx.conf" -s reload >/dev/null 2>&1
    echo "$(date +%s%3N) reload" >>"$work/changes.txt"
  done
}

# RECONFIG_WARMUP=N (default 0): N changes, 100 ms apart, before anything is measured, to see how
# much of a change's cost is the JIT not having compiled the rarely run reconfiguration path (a
# diagnosis, not the headline figure: a deployed gateway's changes are rare too).
reconfig_warmup() {
  local n=${RECONFIG_WARMUP:-0} i
  for ((i = 1; i <= n; i++)); do
    change_edge "$i"
    sleep 0.1
  done
  rm -f "$dir/canary.yaml"
}

# After a run: the per-second lines to FILE, each marked with the changes made in that second (1: a
# Mapping edited, 2: canary added, 3: edited again, 0: canary removed; reload: nginx reloaded);
# and printed, a figure less at the mercy of how changes fall on whole seconds: the p99 of the
# requests sent in the second after a change, against the p99 of all the others. After a control
# run, given the run with changes of the same proxy and rate: the target read against the control's
# p99 over all its requests (the steady p99 with no change at all), which one slow request in a
# second cannot move, unlike the median of the per-second p99s that the SUMMARY line uses.
report_run() { # FILE [FILE_OF_THE_RUN_WITH_CHANGES]
  python3 - "$work/load.txt" "$work/changes.txt" "$work/raw.txt" "$@" <<'PY'
import sys
load, changes_file, raw, marked = sys.argv[1:5]
with_changes = sys.argv[5] if len(sys.argv) > 5 else None
lines = open(load).read().splitlines()
start = next(int(l.split()[1]) for l in lines if l.startswith("RECORDED_FROM_EPOCH_MS"))
changes = [(int(l.split()[0]) - start, l.split()[1]) for l in open(changes_file) if l.strip()]
marks = {}
for at, kind in changes:
    marks.setdefault(at // 1000, []).append(kind)
with open(marked, "w") as out:
    for line in lines:
        if line.startswith("second") and int(line.split()[1]) in marks:
            line += "  change " + ",".join(marks[int(line.split()[1])])
        print(line, file=out)
near, other = [], []
for row in open(raw):
    sent_ns, took_ns = map(int, row.split())  # sent: ns after the first recorded second began
    at = sent_ns / 1e6
    (near if any(0 <= at - c < 1000 for c, _ in changes) else other).append(took_ns / 1e6)
def p99(xs):
    xs = sorted(xs)
    return xs[max(0, -(-99 * len(xs) // 100) - 1)] if xs else 0.0
print("         %d requests in the second after a change: p99 %.2f ms; %d others: p99 %.2f ms"
      % (len(near), p99(near), len(other), p99(other)))
if with_changes:
    steady = p99(near + other)
    def over(path):
        p99s = [float(l.split()[8]) for l in open(path) if l.startswith("second")]
        return sum(1 for p in p99s if p > 2 * steady), len(p99s)
    changed, seconds = over(with_changes)
    itself, _ = over(marked)
    print("         steady p99 (this control, all requests) %.2f ms; seconds over 2x it: with"
          " changes %d of %d, control %d" % (steady, changed, seconds, itself))
PY
}

echo "$(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, $(java -version 2>&1 | head -1), $(nginx -v 2>&1 | cut -d/ -f2), ${seconds}s per run, a change every 3 s"
warm_until_steady edge-proxy "http://127.0.0.1:$edge/"
reconfig_warmup
java -Dlogback.configurationFile=bench/edge-proxy/logback.xml -cp "$classes:$(cat "$classpath_file")" dev.gatehouse.bench.proxy.FixedRateLoad "http://127.0.0.1:$edge/" 500 10 >/dev/null
# Each rate and proxy is measured twice: with the changes, and as a control with the same load and
# no change at all (RECONFIG_CONTROL=0 skips the controls). On a 2-core machine the per-second p99
# is noisy by itself (scheduler turns and wake-ups shared by the generator, the upstream and the
# proxy); the control says how many seconds over 2x that noise alone gives.
modes="changes"
[[ ${RECONFIG_CONTROL:-1} == 1 ]] && modes="changes control"
for rate in $rates; do
  for target in edge nginx; do
    for mode in $modes; do
      : >"$work/changes.txt"
      editor=""
      if [[ $mode == changes ]]; then
        if [[ $target == edge ]]; then edit_edge & else edit_nginx & fi
        editor=$!
      fi
      url="http://127.0.0.1:$edge/"; [[ $target == nginx ]] && url="http://127.0.0.1:$via_nginx/"
      suffix=""; [[ $mode == control ]] && suffix="-control"
      printf '%-6s %-8s ' "$target" "$mode"
      load "$url" "$rate"
      if [[ -n $editor ]]; then kill "$editor" 2>/dev/null || true; wait "$editor" 2>/dev/null || true; fi
      if [[ $mode == control ]]; then
        report_run "bench/target/reconfig-$target-$rate$suffix.txt" "bench/target/reconfig-$target-$rate.txt"
      else
        report_run "bench/target/reconfig-$target-$rate$suffix.txt"
      fi
    done
  done
done
echo "per-second figures: bench/target/reconfig-{edge,nginx}-RATE[-control].txt, each second marked with the changes made in it"
