#!/usr/bin/env bash
# The control plane's benchmark: compile-and-publish time and heap for 100, 1,000 and 10,000
# Mappings, and edit-to-ADS latency with 10,000 Mappings. Bounded (a few rounds, loopback only);
# about a minute on 2 cores. The heap is capped at 512 MiB: the target is to fit in it.
# Usage: bench/control-plane/run.sh   (from anywhere; builds what it needs, offline, no install)
#
# Only this benchmark's sources are compiled (with javac, against control-plane's classpath,
# whose test scope has the grpc-java client), so it runs whatever state the other benchmarks in
# bench/ are in.
set -euo pipefail
cd "$(dirname "$0")/../.."
# Built in the reactor, never installed: ~/.m2 is shared, and the modules' own classes go first.
mvn -B -q -o -pl edge-config,control-plane -am package -DskipTests -Dspotless.check.skip=true
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
# -am: resolved in the reactor (each module writes the file; control-plane, the last, wins).
mvn -B -q -o -pl control-plane -am dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
third_party=$(tr ':' '\n' < "$cp_file" | grep -v '/dev/gatehouse/' | paste -sd: -)
classpath="edge-config/target/classes:control-plane/target/classes:$third_party"
out=bench/target/control-plane-classes
rm -rf "$out" && mkdir -p "$out"
javac --release 17 -d "$out" -cp "$classpath" \
  bench/src/main/java/dev/gatehouse/bench/controlplane/*.java
# BENCH_JAVA_OPTS: extra JVM options, e.g. -Dbench.editOnly=true -Dbench.edits=200 and a profiler.
exec java -Xmx512m -Xms512m -XX:+UseG1GC ${BENCH_JAVA_OPTS:-} \
  -Dlogback.configurationFile=bench/control-plane/logback.xml \
  -cp "$out:$classpath" \
  dev.gatehouse.bench.controlplane.ControlPlaneBench
