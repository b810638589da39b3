#!/usr/bin/env bash
# ratelimit benchmark: ShouldRateLimit decisions/s and latency over gRPC on loopback, with the
# counters in a real redis-server, and redis-benchmark on that same Redis in the same run, so the
# service's figures can be read against what Redis alone does on this machine.
#
#   bench/ratelimit/run.sh [seconds=10] [concurrency=64] [rate=10000] [budget_ms=15]
#   BENCH_CLIENT=grpc-java|vertx bench/ratelimit/run.sh ...   (load generator on that gRPC client)
#
# The service and its load generator share one JVM; Redis runs beside them: everything shares the
# machine's cores. Bounded: at most 60 s per measured phase, loopback only.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-10}"
concurrency="${2:-64}"
rate="${3:-10000}"
budget="${4:-15}"
# The load generator: raw (default: pre-encoded HTTP/2 frames from one thread, a few us of CPU per
# call, so most of the cores is left to the service), grpc-java or vertx (40-95 us per call).
client="${BENCH_CLIENT:-raw}"

# Built in the worktree, never installed: ~/.m2 is shared, and a SNAPSHOT installed here would
# leak into other builds. The classes of this tree come first on the classpath; the third-party
# libraries come from bench's dependencies.
mvn -B -q -o -pl grpc-server,edge-config,ratelimit-service compile -Dspotless.check.skip=true
classpath_file="bench/target/classpath.txt"
mkdir -p bench/target
mvn -B -q -o -pl bench dependency:build-classpath -DexcludeGroupIds=dev.gatehouse \
  -Dmdep.outputFile="$PWD/$classpath_file" >/dev/null
echo -n "grpc-server/target/classes:edge-config/target/classes:ratelimit-service/target/classes:" | cat - "$classpath_file" \
  >"$classpath_file.tmp" && mv "$classpath_file.tmp" "$classpath_file"
# Only this benchmark's classes: the other benchmarks of the module need not build for it to run.
classes="bench/target/ratelimit-classes"
rm -rf "$classes"
javac --release 17 -d "$classes" -cp "$(cat "$classpath_file")" \
  bench/src/main/java/dev/gatehouse/bench/ratelimit/*.java

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
workdir=$(mktemp -d)
# REDIS_CPUS / JVM_CPUS (taskset lists, e.g. 1 and 0): pin Redis and the JVM to CPUs of their own,
# to see what the service does when Redis does not take turns on its cores. Unset: no pinning.
redis_pin=(); jvm_pin=()
[[ -n ${REDIS_CPUS:-} ]] && redis_pin=(taskset -c "$REDIS_CPUS")
[[ -n ${JVM_CPUS:-} ]] && jvm_pin=(taskset -c "$JVM_CPUS")
"${redis_pin[@]}" redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$workdir" \
  --daemonize no >"$workdir/redis.log" 2>&1 &
redis_pid=$!
trap 'kill "$redis_pid" 2>/dev/null || true; rm -rf "$workdir"' EXIT
for _ in $(seq 1 100); do
  redis-cli -p "$port" ping >/dev/null 2>&1 && break
  sleep 0.05
done

echo "$(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1), redis $(redis-server --version | cut -d' ' -f3)"
echo "args: seconds=$seconds concurrency=$concurrency rate=$rate budget_ms=$budget client=$client redis_cpus=${REDIS_CPUS:-any} jvm_cpus=${JVM_CPUS:-any}"

# Redis alone: plain INCR, and the service's own script deciding one fixed-window limit per call
# (what one request with one descriptor costs Redis), 50 clients, 1,000 keys.
script="ratelimit-service/src/main/resources/dev/gatehouse/ratelimit/store/ratelimit.lua"
sha=$(redis-cli -p "$port" script load "$(cat "$script")")
incr=$(timeout 120 redis-benchmark -p "$port" -q -n 200000 -c 50 -r 1000 -t incr | tr '\r' '\n' | grep -o 'INCR: [0-9.]*' | tail -1 | cut -d' ' -f2)
evalsha=$(timeout 120 redis-benchmark -p "$port" -q -n 200000 -c 50 -r 1000 \
  evalsha "$sha" 1 bench_k___rand_int___ "" 1 1 1000000000 1 1 1 1 \
  | tr '\r' '\n' | grep -Eo '[0-9.]+ requests per second' | tail -1 | cut -d' ' -f1)
echo "redis-benchmark INCR:                 ${incr} ops/s"
echo "redis-benchmark EVALSHA ratelimit.lua: ${evalsha} ops/s (one limit per call)"
redis-cli -p "$port" flushall >/dev/null

python3 bench/lib/kthreads.py snapshot "$workdir/kthreads.json"
out=$(timeout 300 "${jvm_pin[@]}" java -Xms512m -Xmx512m -XX:+UseParallelGC ${JAVA_OPTS:-} -Dbench.client="$client" \
  -Dlogback.configurationFile=bench/ratelimit/logback.xml \
  -cp "$classes:$(cat "$classpath_file")" \
  dev.gatehouse.bench.ratelimit.RateLimitBench "$port" "$seconds" "$concurrency" "$rate" "$budget")
echo "$out" | grep -v '^RESULT'
# On these VMs a kernel thread (kdamond.0) holds a core for 7-47 ms about every 0.5 s, which the
# open loop's tail shows as groups of late calls (bench/README.md); how much it took this time:
python3 bench/lib/kthreads.py report "$workdir/kthreads.json" "the service's run (warm-up included)"
result=$(echo "$out" | grep '^RESULT')
decisions=$(echo "$result" | sed -E 's/.*decisions_per_s=([0-9.]+).*/\1/')
p99=$(echo "$result" | sed -E 's/.*fixed_rate_p99_ms=([0-9.]+).*/\1/')
python3 - "$decisions" "$p99" "$incr" "$evalsha" <<'PY'
import sys
decisions, p99, incr, evalsha = (float(x) for x in sys.argv[1:])
print(f"service decisions/s vs redis-benchmark EVALSHA: {decisions / evalsha:.2f}"
      f"  (a decision here is two limits; one EVALSHA decides up to 32)")
print(f"service decisions/s vs redis-benchmark INCR:    {decisions / incr:.2f}")
print(f"target >= 20000 decisions/s: {'met' if decisions >= 20000 else 'MISSED'} ({decisions:.0f})")
print(f"target p99 < 2 ms at the fixed rate: {'met' if p99 < 2 else 'MISSED'} ({p99:.3f} ms)")
PY
