# Sourced by the wrk-based bench scripts. On 2 cores the JIT keeps compiling a JVM's request path
# for tens of seconds (a minute and more for the full chain, four services in one JVM), and a
# measurement taken before that reads a fraction of the steady rate. So each target is warmed up
# until its rate is steady: at least WARMUP seconds (default 30), then 10 s windows until two in a
# row are within 5 % of each other, at most WARMUP_MAX seconds (default 180) in all.
#
#   warm_until_steady NAME URL [HEADER]   (uses $connections)
warm_until_steady() {
  local name="$1" url="$2" header="${3:-}" minimum="${WARMUP:-30}" maximum="${WARMUP_MAX:-180}"
  local args=(-t1 -c"$connections")
  [[ -n "$header" ]] && args+=(-H "$header")
  timeout $((minimum + 30)) wrk "${args[@]}" -d"${minimum}s" "$url" >/dev/null
  local spent=$minimum previous=0 rate=0 steady=no
  while ((spent < maximum)); do
    previous=$rate
    rate=$(timeout 40 wrk "${args[@]}" -d10s "$url" | awk '/Requests\/sec/ {print int($2)}')
    spent=$((spent + 10))
    if ((previous > 0 && rate > 0)) && python3 -c "import sys; a, b = map(float, sys.argv[1:]); sys.exit(0 if abs(a - b) <= 0.05 * max(a, b) else 1)" "$previous" "$rate"; then
      steady=yes
      break
    fi
  done
  echo "warm-up $name: ${spent}s, last two 10 s windows $previous and $rate req/s, steady: $steady"
}
