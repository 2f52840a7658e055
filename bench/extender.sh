#!/usr/bin/env bash
# Benchmarks the extender jar with wrk against a fixed node set (a mock API server holding the dedicated nodes):
# /filter in NodeNames and full-Nodes mode at 100 / 1,000 / 5,000 nodes, for a maroon pod and an ordinary pod
# (pass-through), concurrency 1 / 16 / 64; /prioritize; /bind refused; and GET /livez of the same server as a floor.
# Prints requests/s, p50/p99 and the extender's RSS, and writes the tables into bench/RESULTS.md (extender section).
#
# Usage: bench/extender.sh [--quick]     (--quick: 100 and 1,000 nodes, concurrency 1 and 16, 3 s runs)
# Env:   DURATION (default 5s), NODE_COUNTS (100,1000,5000), CONCURRENCY (1 16 64), DEDICATED (100 cached nodes),
#        RSS_DEDICATED (10000: the cache size of the separate RSS measurement), EXTENDER_JAVA_OPTS (JVM flags of the
#        throughput runs: full-Nodes bodies of 5,000 nodes are 15 MB, 64 of them in flight need the heap),
#        RSS_JAVA_OPTS (JVM flags of the RSS run: the sidecar settings recommended in extender/README.md).
# Only loopback traffic; every run is bounded by DURATION.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
DURATION=${DURATION:-5s}
NODE_COUNTS=${NODE_COUNTS:-100,1000,5000}
CONCURRENCY=${CONCURRENCY:-1 16 64}
DEDICATED=${DEDICATED:-100}
RSS_DEDICATED=${RSS_DEDICATED:-10000}
EXTENDER_JAVA_OPTS=${EXTENDER_JAVA_OPTS:--XX:+UseSerialGC -Xmx512m}
RSS_JAVA_OPTS=${RSS_JAVA_OPTS:--XX:+UseSerialGC -Xmx96m -Xss256k}
# Fewer glibc malloc arenas: the JVM's native memory stays compact (part of the RSS figures).
export MALLOC_ARENA_MAX=2
if [[ "${1:-}" == "--quick" ]]; then
  DURATION=3s NODE_COUNTS=100,1000 CONCURRENCY="1 16" RSS_DEDICATED=1000
fi

# shellcheck source=../bin/find-jdk.sh
. bin/find-jdk.sh
JAVA="$JAVA_HOME/bin/java"

if ! command -v wrk > /dev/null; then
  echo "installing wrk (Debian package)" >&2
  apt-get update -qq && apt-get install -y -qq wrk > /dev/null
fi

WORK=$(mktemp -d /tmp/extender-bench.XXXXXX)
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2> /dev/null || true
  done
  wait 2> /dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "building the extender jar and the bench fixtures..." >&2
./mvnw -q -B -pl extender -am -DskipTests package dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/test-classpath" > "$WORK/build.log" 2>&1 \
  || { tail -30 "$WORK/build.log"; exit 1; }
TEST_CP="$ROOT/extender/target/test-classes:$ROOT/extender/target/classes:$ROOT/api/target/classes:$(cat "$WORK/test-classpath")"

# Starts the mock cluster with $1 cached dedicated nodes and the extender jar (JVM flags $2) against it; sets
# CLUSTER_PID, EXT_PID.
start_pair() {
  local dedicated=$1 java_opts=$2 dir="$WORK/cluster-$1"
  "$JAVA" -cp "$TEST_CP" io.maroonedpods.extender.bench.BenchCluster "$dir" "$dedicated" "$NODE_COUNTS" \
    > "$WORK/cluster-$dedicated.log" 2>&1 &
  CLUSTER_PID=$!
  PIDS+=("$CLUSTER_PID")
  local waited=0
  until grep -qs '^READY' "$WORK/cluster-$dedicated.log"; do
    sleep 1
    waited=$((waited + 1))
    if [[ $waited -gt 180 ]] || ! kill -0 "$CLUSTER_PID" 2> /dev/null; then
      tail -20 "$WORK/cluster-$dedicated.log"
      exit 1
    fi
  done
  BODIES="$dir"
  # shellcheck disable=SC2086 # java_opts is a list of JVM flags
  "$JAVA" $java_opts -jar "$ROOT/extender/target/maroonedpods-extender.jar" \
    --port=18888 --kubeconfig="$dir/kubeconfig" > "$WORK/extender-$dedicated.log" 2>&1 &
  EXT_PID=$!
  PIDS+=("$EXT_PID")
  waited=0
  until curl -sf http://127.0.0.1:18888/readyz > /dev/null; do
    sleep 0.5
    waited=$((waited + 1))
    if [[ $waited -gt 120 ]]; then
      tail -20 "$WORK/extender-$dedicated.log"
      exit 1
    fi
  done
}

stop_pair() {
  kill "$EXT_PID" "$CLUSTER_PID" 2> /dev/null || true
  wait "$EXT_PID" "$CLUSTER_PID" 2> /dev/null || true
}

rss_mb() {
  awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"
}

cat > "$WORK/post.lua" << 'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
if os.getenv("NO_GZIP") ~= "1" then
  wrk.headers["Accept-Encoding"] = "gzip"
end
local file = io.open(os.getenv("BODY_FILE"), "rb")
wrk.body = file:read("*a")
file:close()
LUA

# to_ms converts a wrk latency (e.g. 812.00us, 1.20ms, 2.01s) to milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.0f", v * 1000 }
    else { printf "%s", v } }'
}

ROWS=()
MAX_RSS=0
# run_case LABEL PATH BODY_FILE CONCURRENCY [nogzip]: one bounded wrk run; appends a table row.
run_case() {
  local label=$1 path=$2 body=$3 conc=$4 no_gzip=0 threads out rps p50 p99 errors rss
  [[ "${5:-}" == nogzip ]] && no_gzip=1
  threads=$((conc < 2 ? conc : 2))
  if [[ -n "$body" ]]; then
    out=$(NO_GZIP=$no_gzip BODY_FILE="$body" wrk -t"$threads" -c"$conc" -d"$DURATION" --latency -s "$WORK/post.lua" \
      "http://127.0.0.1:18888$path")
  else
    out=$(wrk -t"$threads" -c"$conc" -d"$DURATION" --latency "http://127.0.0.1:18888$path")
  fi
  rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<< "$out")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<< "$out")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<< "$out")")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' <<< "$out" | tr '\n' ' ')
  rss=$(rss_mb "$EXT_PID")
  [[ $rss -gt $MAX_RSS ]] && MAX_RSS=$rss
  ROWS+=("| $label | $conc | $rps | $p50 | $p99 | $rss | ${errors:-} |")
  printf '%-44s c=%-3s %8s req/s  p50 %8s ms  p99 %8s ms  RSS %5s MB %s\n' "$label" "$conc" "$rps" "$p50" "$p99" \
    "$rss" "$errors" >&2
}

start_pair "$DEDICATED" "$EXTENDER_JAVA_OPTS"
echo "extender up (pid $EXT_PID), $DEDICATED dedicated nodes cached; warming up..." >&2
DURATION=10s run_case "warm-up (not recorded)" /scheduler/filter "$BODIES/names-maroon-1000.json" 16
ROWS=()

for conc in $CONCURRENCY; do
  run_case "floor: GET /livez" /livez "" "$conc"
done
IFS=',' read -r -a counts <<< "$NODE_COUNTS"
largest=${counts[-1]}
for n in "${counts[@]}"; do
  for conc in $CONCURRENCY; do
    run_case "filter NodeNames, maroon pod, $n nodes" /scheduler/filter "$BODIES/names-maroon-$n.json" "$conc"
    run_case "filter NodeNames, ordinary pod, $n nodes" /scheduler/filter "$BODIES/names-other-$n.json" "$conc"
  done
  run_case "prioritize NodeNames, maroon pod, $n nodes" /scheduler/prioritize "$BODIES/names-maroon-$n.json" 16
done
for conc in $CONCURRENCY; do
  run_case "filter NodeNames, maroon pod, $largest nodes, no gzip" /scheduler/filter \
    "$BODIES/names-maroon-$largest.json" "$conc" nogzip
  run_case "filter NodeNames, ordinary pod, $largest nodes, no gzip" /scheduler/filter \
    "$BODIES/names-other-$largest.json" "$conc" nogzip
done
run_case "bind refused (2 API reads per call)" /scheduler/bind "$BODIES/bind-refusal.json" 16
# Full-Nodes runs last: at high concurrency requests of megabytes are still in flight when wrk stops, and would
# slow whatever ran next; a pause lets them drain.
for n in "${counts[@]}"; do
  for conc in $CONCURRENCY; do
    run_case "filter full Nodes, maroon pod, $n nodes" /scheduler/filter "$BODIES/nodes-maroon-$n.json" "$conc"
    sleep 3
    run_case "filter full Nodes, ordinary pod, $n nodes" /scheduler/filter "$BODIES/nodes-other-$n.json" "$conc"
    sleep 3
  done
done
stop_pair

echo "RSS with $RSS_DEDICATED dedicated nodes cached..." >&2
start_pair "$RSS_DEDICATED" "$RSS_JAVA_OPTS"
IDLE_RSS=$(rss_mb "$EXT_PID")
ROWS_BEFORE=("${ROWS[@]}")
run_case "filter NodeNames, maroon pod, $largest nodes" /scheduler/filter "$BODIES/names-maroon-$largest.json" 16
RSS_RPS=$(awk -F'|' '{gsub(/ /, "", $4); print $4}' <<< "${ROWS[-1]}")
LOADED_RSS=$(rss_mb "$EXT_PID")
CACHED=$(curl -s http://127.0.0.1:18888/metrics | awk '/^extender_cached_dedicated_nodes/ {print $2}')
ROWS=("${ROWS_BEFORE[@]}")
stop_pair

CPU=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
JAVA_VERSION=$("$JAVA" -version 2>&1 | head -1)
{
  echo "<!-- extender:begin (written by bench/extender.sh; do not edit by hand) -->"
  echo "## Extender"
  echo
  echo "Recorded $(date -u +%Y-%m-%dT%H:%MZ) by \`bench/extender.sh $*\` on $(nproc) cores ($CPU), $JAVA_VERSION,"
  echo "wrk $(wrk --version 2>&1 | head -1 | awk '{print $2}') on the same cores, loopback, ${DURATION} per run,"
  echo "after a 10 s warm-up. The extender is the built jar (\`java $EXTENDER_JAVA_OPTS -jar\`, MALLOC_ARENA_MAX=2),"
  echo "its informers caching $DEDICATED dedicated nodes from a mock API server (BenchCluster). Request bodies are"
  echo "kube-scheduler's wire format (extender/Fixtures.java): NodeNames lists, or full Nodes of about 2.9 KB each with"
  echo "managedFields and images. The maroon pod's verified node is one of the candidates; every other node is"
  echo "rejected with its reason in FailedAndUnresolvableNodes. Answers are gzipped (the client sends"
  echo "Accept-Encoding: gzip) when over 8 KiB. wrk shares the 2 cores with the extender: treat figures as indicative."
  echo
  echo "| case | concurrency | req/s | p50 ms | p99 ms | RSS MB | errors |"
  echo "|---|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
  echo
  echo "Extender RSS: at most $MAX_RSS MB during the runs above. With $CACHED dedicated nodes cached and the sidecar"
  echo "settings (\`java $RSS_JAVA_OPTS -jar\`): $IDLE_RSS MB idle, $LOADED_RSS MB after a ${DURATION} filter run at"
  echo "concurrency 16 ($largest NodeNames, $RSS_RPS req/s)."
  echo "<!-- extender:end -->"
} > "$WORK/section.md"

RESULTS="$ROOT/bench/RESULTS.md"
if [[ ! -f "$RESULTS" ]]; then
  printf '# Benchmark results\n\nWritten by the scripts in bench/; see each section for the command line.\n\n' > "$RESULTS"
fi
if grep -q '<!-- extender:begin' "$RESULTS"; then
  awk -v section="$WORK/section.md" '
    /<!-- extender:begin/ { while ((getline line < section) > 0) print line; skip = 1; next }
    /<!-- extender:end -->/ { skip = 0; next }
    !skip { print }' "$RESULTS" > "$WORK/results.md"
  cp "$WORK/results.md" "$RESULTS"
else
  cat "$WORK/section.md" >> "$RESULTS"
fi
cat "$WORK/section.md"
