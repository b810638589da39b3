#!/usr/bin/env bash
# ext-authz benchmark: Check calls/s and latency percentiles over gRPC on loopback, the service
# and its load generator in one JVM (so on a 2-core machine they share the 2 cores).
#
#   bench/ext-authz/run.sh [scenario=jwt|session|apikey] [seconds=15] [concurrency=128]
#
# Bounded: a warm-up (20 s unless -Dbench.warmup via JAVA_OPTS; the JIT needs it on a busy
# machine) plus at most 120 s measured; loopback only. BENCH_CLIENT=vertx uses the Vert.x gRPC
# client as the load generator instead of grpc-java's.
set -euo pipefail
cd "$(dirname "$0")/../.."
scenario="${1:-jwt}"
seconds="${2:-15}"
concurrency="${3:-128}"

mvn -B -q -o -pl grpc-server,edge-config,testkit,ext-authz-service install -DskipTests -Dspotless.check.skip=true
mvn -B -q -o -pl bench package -DskipTests -Dspotless.check.skip=true
classpath_file="bench/target/classpath.txt"
mvn -B -q -o -pl bench dependency:build-classpath -Dmdep.outputFile="$PWD/$classpath_file" >/dev/null
echo "$(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, $(java -version 2>&1 | head -1)"
exec java -Xms512m -Xmx512m -XX:+UseParallelGC ${JAVA_OPTS:-} \
  -Dbench.client="${BENCH_CLIENT:-grpc-java}" \
  -Dlogback.configurationFile=bench/ext-authz/logback.xml \
  -cp "bench/target/classes:$(cat "$classpath_file")" \
  dev.gatehouse.bench.authz.AuthzBench "$scenario" "$seconds" "$concurrency"
