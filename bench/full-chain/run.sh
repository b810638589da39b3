#!/usr/bin/env bash
# Full chain: edge-proxy with JWT authorization (ext-authz) and Redis rate limiting
# (ratelimit-service) on every request, against plain edge-proxy, in the same `gatehouse run`
# process and the same run. One nginx upstream; wrk at fixed concurrency; the token comes from
# `gatehouse demo-upstream`'s issuer; the rate limit is high enough never to refuse, so every
# request pays for one ext_authz Check and one ShouldRateLimit (one Redis EVALSHA).
#
#   bench/full-chain/run.sh [seconds=10] [connections=50]
#
# Each path is warmed up to a steady rate first (bench/lib/warm.sh: WARMUP, WARMUP_MAX): with four
# services in one JVM on 2 cores the JIT keeps compiling the chain for well over a minute, and 5 s
# of warm-up measured a fraction of the steady rate.
#
# Needs nginx, wrk and redis-server (Debian: apt-get install -y nginx-light wrk redis-server).
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib/warm.sh
seconds="${1:-10}"
connections="${2:-50}"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
upstream=$(free_port); redis=$(free_port); issuer=$(free_port); http=$(free_port); https=$(free_port)
admin=$(free_port); xds=$(free_port); hz=$(free_port); rl=$(free_port); authz=$(free_port); authz_http=$(free_port)
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 1; rm -rf "$work"; }
trap cleanup EXIT

cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 4096; }
http { access_log off; server { listen 127.0.0.1:$upstream; location / { return 200 "hello from the upstream\n"; } } }
CONF
nginx -c "$work/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
pids+=($nginx_pid)
redis-server --port "$redis" --save '' --appendonly no >"$work/redis.log" 2>&1 &
redis_pid=$!
pids+=($redis_pid)

mkdir "$work/config"
cat >"$work/config/chain.yaml" <<YAML
apiVersion: getambassador.io/v3alpha1
kind: Host
metadata: {name: any, namespace: default}
spec: {hostname: "*", requestPolicy: {insecure: {action: Route}}}
---
apiVersion: getambassador.io/v3alpha1
kind: AuthService
metadata: {name: authz, namespace: default}
spec: {auth_service: "127.0.0.1:$authz", proto: grpc, protocol_version: v3, timeout_ms: 1000}
---
apiVersion: getambassador.io/v3alpha1
kind: RateLimitService
metadata: {name: ratelimit, namespace: default}
spec: {service: "127.0.0.1:$rl", protocol_version: v3, domain: ambassador, timeout_ms: 1000}
---
apiVersion: getambassador.io/v3alpha1
kind: RateLimit
metadata: {name: chain, namespace: default}
spec:
  domain: ambassador
  limits:
    - {pattern: [{generic_key: chain}], rate: 100000000, unit: second}
---
apiVersion: getambassador.io/v3alpha1
kind: Filter
metadata: {name: jwt, namespace: default}
spec:
  JWT:
    jwksURI: http://127.0.0.1:$issuer/demo/jwks
    issuer: http://127.0.0.1:$issuer/demo
    validAlgorithms: [RS256]
---
apiVersion: getambassador.io/v3alpha1
kind: FilterPolicy
metadata: {name: policy, namespace: default}
spec:
  rules:
    - {host: "*", path: "/chain/*", filters: [{name: jwt}]}
---
apiVersion: getambassador.io/v3alpha1
kind: Mapping
metadata: {name: plain, namespace: default}
spec: {hostname: "*", prefix: /plain/, service: "127.0.0.1:$upstream", bypass_auth: true}
---
apiVersion: getambassador.io/v3alpha1
kind: Mapping
metadata: {name: chain, namespace: default}
spec:
  hostname: "*"
  prefix: /chain/
  service: "127.0.0.1:$upstream"
  labels: {ambassador: [{group: [{generic_key: {value: chain}}]}]}
YAML

mvn -B -q -o -DskipTests -Dspotless.check.skip=true -pl launcher -am package
jar=launcher/target/gatehouse.jar
java -jar "$jar" demo-upstream --port 0 --canary-port 0 --issuer-port "$issuer" >"$work/issuer.log" 2>&1 &
pids+=($!)
# RUN_JAVA_OPTS: more options for the gatehouse run JVM (a profiler, say).
java -Xms512m -Xmx1g ${RUN_JAVA_OPTS:-} -Dlogback.configurationFile=bench/edge-proxy/logback.xml -jar "$jar" run \
  --config-dir "$work/config" --redis "redis://127.0.0.1:$redis" --http-port "$http" --https-port "$https" \
  --admin-port "$admin" --xds-port "$xds" --hazelcast-port "$hz" --ratelimit-port "$rl" \
  --authz-grpc-port "$authz" --authz-http-port "$authz_http" >"$work/run.log" 2>&1 &
run_pid=$!
pids+=($run_pid)
for _ in $(seq 1 900); do grep -q "gatehouse run: diag" "$work/run.log" && break; sleep 0.2; done
grep -q "gatehouse run: diag" "$work/run.log" || { echo "gatehouse run did not start:"; tail -20 "$work/run.log"; exit 1; }
token=$(curl -fsS -X POST "127.0.0.1:$issuer/demo/token" -d sub=bench | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
curl -fsS -o /dev/null "http://127.0.0.1:$http/plain/"
curl -fsS -o /dev/null -H "Authorization: Bearer $token" "http://127.0.0.1:$http/chain/"
[[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http/chain/") == 401 ]] || { echo "chain without a token is not 401"; exit 1; }

echo "$(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, $(java -version 2>&1 | head -1), $(redis-server --version | cut -d' ' -f3), wrk -t1 -c$connections -d${seconds}s after a warm-up to a steady rate (bench/lib/warm.sh)"
# Warm up both paths (JIT, connection pools, the JWKS cache).
warm_until_steady plain "http://127.0.0.1:$http/plain/"
warm_until_steady chain "http://127.0.0.1:$http/chain/" "Authorization: Bearer $token"

# CPU time (ms) a process has used, user and system (its worker processes included for nginx).
cpu_ms() { # pid...
  local total=0 pid ticks
  for pid in "$@"; do
    for ticks in $(awk '{print $14 + $15}' /proc/"$pid"/task/*/stat 2>/dev/null); do total=$((total + ticks)); done
  done
  echo $((total * 1000 / $(getconf CLK_TCK)))
}
nginx_pids() { echo "$nginx_pid" $(pgrep -P "$nginx_pid" || true); }
# Per thread of a process: "tid ticks name" (name without spaces).
thread_ticks() { # pid
  local stat
  for stat in /proc/"$1"/task/*/stat; do
    awk '{n=$0; sub(/^[^(]*\(/, "", n); sub(/\).*$/, "", n); gsub(/ /, "_", n);
          r=$0; sub(/^.*\) /, "", r); split(r, f, " "); print $1, f[12] + f[13], n}' "$stat" 2>/dev/null
  done
}

measure() { # name url [header]
  local out rps p50 p99 errors before_run before_redis before_nginx
  before_run=$(cpu_ms "$run_pid"); before_redis=$(cpu_ms "$redis_pid"); before_nginx=$(cpu_ms $(nginx_pids))
  thread_ticks "$run_pid" >"$work/threads-before"
  if [[ $# -eq 3 ]]; then
    out=$(timeout $((seconds + 30)) wrk -t1 -c"$connections" -d"${seconds}s" --latency -H "$3" "$2")
  else
    out=$(timeout $((seconds + 30)) wrk -t1 -c"$connections" -d"${seconds}s" --latency "$2")
  fi
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')
  printf '%-12s %10s req/s  p50 %-9s p99 %-9s %s\n' "$1" "$rps" "$p50" "$p99" "$errors"
  # Where the CPU went, per request: the gatehouse JVM (all four services), Redis, the upstream.
  python3 - "$rps" "$seconds" "$(($(cpu_ms "$run_pid") - before_run))" \
    "$(($(cpu_ms "$redis_pid") - before_redis))" "$(($(cpu_ms $(nginx_pids)) - before_nginx))" <<'PY'
import sys
rps, seconds = float(sys.argv[1]), float(sys.argv[2])
run, redis, nginx = (int(x) * 1000 / (rps * seconds) for x in sys.argv[3:6])
print(f"             CPU per request: gatehouse run {run:.0f} us, redis {redis:.0f} us, upstream nginx {nginx:.0f} us")
PY
  # The gatehouse JVM's busiest threads: how evenly the event loops share the work.
  thread_ticks "$run_pid" >"$work/threads-after"
  python3 - "$work/threads-before" "$work/threads-after" "$seconds" "$(getconf CLK_TCK)" <<'PY'
import sys
def read(path):
    out = {}
    for line in open(path):
        tid, ticks, name = line.split(maxsplit=2)
        out[tid] = (int(ticks), name.strip())
    return out
before, after = read(sys.argv[1]), read(sys.argv[2])
seconds, hz = float(sys.argv[3]), int(sys.argv[4])
busy = sorted(((t - before.get(tid, (0, n))[0], n) for tid, (t, n) in after.items()), reverse=True)
print("             busiest threads (% of one core):",
      ", ".join(f"{n} {d * 100 / hz / seconds:.0f}" for d, n in busy[:6] if d > 0))
PY
  eval "rps_$1=$rps"
}
measure plain "http://127.0.0.1:$http/plain/"
measure chain "http://127.0.0.1:$http/chain/" "Authorization: Bearer $token"
rss=$(awk '/VmRSS/ {print $2}' /proc/$run_pid/status)
echo "gatehouse run RSS: $((rss / 1024)) MiB (all four services in one JVM)"
python3 - "$rps_plain" "$rps_chain" <<'PY'
import sys
plain, chain = map(float, sys.argv[1:])
print(f"ratio: full chain / plain edge-proxy {chain / plain:.2f}")
PY
