#!/usr/bin/env bash
# The control plane's benchmark: compile-and-publish time and heap for 100, 1,000 and 10,000
# Mappings, and edit-to-ADS latency with 10,000 Mappings. Bounded (a few rounds, loopback only);
# about a minute on 2 cores. The heap is capped at 512 MiB: the target is to fit in it.
# Usage: bench/control-plane/run.sh   (from the repository root; builds what it needs offline)
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q -o -pl edge-config,control-plane,bench install -DskipTests -Dspotless.check.skip=true
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
mvn -B -q -o -pl bench dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
exec java -Xmx512m -Xms512m -XX:+UseG1GC \
  -Dlogback.configurationFile=bench/control-plane/logback.xml \
  -cp "bench/target/classes:$(cat "$cp_file")" \
  dev.gatehouse.bench.controlplane.ControlPlaneBench
