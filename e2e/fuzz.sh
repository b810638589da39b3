#!/usr/bin/env bash
# Fuzzes each Jazzer target in turn for a bounded time (Jazzer fuzzes one @FuzzTest per JVM).
#   e2e/fuzz.sh                 every target, 30 s each (what CI runs)
#   e2e/fuzz.sh 10m             every target, 10 minutes each
#   e2e/fuzz.sh 1h RouteTableFuzzTest#aRequestMatchesTheFirstRouteEnvoysRulesPick
# A finding fails the run and leaves crash-<sha1> in the target's seed directory under
# e2e/src/test/resources: keep it (renamed for what it shows) with a named test, and fix the bug.
set -euo pipefail
cd "$(dirname "$0")/.."

duration="${1:-30s}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(
    ResourceLoaderFuzzTest#anyTextLoadsOrIsReportedWithItsFileAndLine
    RouteTableFuzzTest#aRequestMatchesTheFirstRouteEnvoysRulesPick
    RouteTableFuzzTest#aRandomTableCompilesOrIsNackedAndMatchesOnlyWhatItsPathAllows
    RequestChecksFuzzTest#acceptedRequestsAreNormalizedAndCarryTheEdgesOwnHeaders
  )
fi

failed=0
for target in "${targets[@]}"; do
  echo "== fuzzing ${target} for ${duration}"
  if ! JAZZER_MAX_DURATION="${duration}" mvn -B -q -o -pl e2e -am test -Pfuzz \
      -Dtest="${target}" -Dsurefire.failIfNoSpecifiedTests=false; then
    echo "== ${target}: finding (see above)"
    failed=1
  fi
done
exit "${failed}"
