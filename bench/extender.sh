#!/usr/bin/env bash
# Benchmarks the extender jar against a fixed node set (a mock API server holding the dedicated nodes the informers
# cache, 10,000 by default, each a full ~2.4 KB Node as a real API server would list it).
#
# 1. The extender with the production JVM options and environment (read from the sidecar's container spec in
#    manifests/overlays/secondary-scheduler/deployment.yaml, so the figures are those of what we ship): wrk
#    (closed loop) on /filter in NodeNames mode at 100 / 1,000 / 5,000 nodes for a maroon pod and an ordinary pod
#    (pass-through), concurrency 1 / 16 / 64, each alternated ROUNDS times with a Go net/http + encoding/json peer
#    of the same filter (bench/peer, the same node set, checked to give the same answers; see side-by-side.sh);
#    /prioritize; /bind refused; GET /livez as a floor. Then bench/openloop
#    (open loop, constant rate, latency from the scheduled send time) at half the peak rate wrk just measured at
#    concurrency 16, for the maroon pod with 5,000 and 100 NodeNames: the p99 targets; at the same rate, the floors:
#    the extender's GET /livez and a no-op Go server (bench/openloop/noop). RSS idle, after the runs and
#    at most during them; heap after a full GC; GC pauses during each open-loop run.
# 2. Full-Nodes mode (not what the manifests configure: they set nodeCacheCapable) with a larger heap, since a
#    full-Nodes request of 5,000 nodes is 15 MB: the same wrk runs.
# Writes the tables and the targets into bench/RESULTS.md (extender section, between its markers).
#
# Usage: bench/extender.sh [--quick]   (--quick: 100 and 1,000 nodes, 1,000 cached, concurrency 1 and 16, 3 s runs)
# Env:   DURATION (5s per wrk run), ROUNDS (3 alternated rounds of the extender and the Go peer per /filter row),
#        OPEN_LOOP_DURATION (20s per open-loop run, after a 3 s warm-up),
#        NODE_COUNTS (100,1000,5000), CONCURRENCY (1 16 64), DEDICATED (10000 cached dedicated nodes),
#        EXTENDER_JAVA_OPTS (default: the manifests' JAVA_OPTS), FULL_NODES_JAVA_OPTS (-XX:+UseSerialGC -Xmx512m).
# Installs wrk, golang and jq (Debian packages) when missing. Only loopback traffic; every run is bounded.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
MANIFEST=manifests/overlays/secondary-scheduler/deployment.yaml
# manifest_env NAME: the value of environment variable NAME in the extender container of the sidecar manifest.
manifest_env() {
  awk -v name="$1" '
    /^ *- name: extender$/ { in_extender = 1 }
    in_extender && $0 ~ "^ *- name: " name "$" { found = 1; next }
    found && /^ *value:/ { sub(/^ *value: */, ""); gsub(/^"|"$/, ""); print; exit }' "$MANIFEST"
}
DURATION=${DURATION:-5s}
ROUNDS=${ROUNDS:-3}
OPEN_LOOP_DURATION=${OPEN_LOOP_DURATION:-20s}
NODE_COUNTS=${NODE_COUNTS:-100,1000,5000}
CONCURRENCY=${CONCURRENCY:-1 16 64}
DEDICATED=${DEDICATED:-10000}
EXTENDER_JAVA_OPTS=${EXTENDER_JAVA_OPTS:-$(manifest_env JAVA_OPTS)}
FULL_NODES_JAVA_OPTS=${FULL_NODES_JAVA_OPTS:--XX:+UseSerialGC -Xmx512m}
PRODUCTION_ARENAS=$(manifest_env MALLOC_ARENA_MAX)
PRODUCTION_BODY_LIMIT=$(manifest_env EXTENDER_BODYLIMITBYTES)
PRODUCTION_GZIP_MIN=$(manifest_env EXTENDER_GZIPMINBYTES)
if [[ -z "$EXTENDER_JAVA_OPTS" || -z "$PRODUCTION_ARENAS" || -z "$PRODUCTION_BODY_LIMIT" ]]; then
  echo "error: JAVA_OPTS, MALLOC_ARENA_MAX or EXTENDER_BODYLIMITBYTES not found in $MANIFEST" >&2
  exit 1
fi
if [[ "${1:-}" == "--quick" ]]; then
  DURATION=3s OPEN_LOOP_DURATION=5s NODE_COUNTS=100,1000 CONCURRENCY="1 16" DEDICATED=1000 ROUNDS=2
fi
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# shellcheck source=../bin/find-jdk.sh
. bin/find-jdk.sh
# shellcheck source=host-probe.sh
. bench/host-probe.sh
# shellcheck source=side-by-side.sh
. bench/side-by-side.sh
# shellcheck source=results-section.sh
. bench/results-section.sh
JAVA="$JAVA_HOME/bin/java"

missing=()
command -v wrk > /dev/null || missing+=(wrk)
command -v go > /dev/null || missing+=(golang)
command -v jq > /dev/null || missing+=(jq)
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "installing ${missing[*]} (Debian packages)" >&2
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" > /dev/null
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

echo "building the extender jar, the bench fixtures, bench/openloop and bench/peer..." >&2
./mvnw -q -B -pl extender -am -DskipTests package dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/test-classpath" > "$WORK/build.log" 2>&1 \
  || { tail -30 "$WORK/build.log"; exit 1; }
TEST_CP="$ROOT/extender/target/test-classes:$ROOT/extender/target/classes:$ROOT/api/target/classes:$(cat "$WORK/test-classpath")"
# Standard library only: builds offline.
(cd bench/openloop && go build -o "$WORK/openloop" . && go build -o "$WORK/noop" ./noop \
  && cd ../peer && go build -o "$WORK/peer" .) > "$WORK/go-build.log" 2>&1 || { cat "$WORK/go-build.log"; exit 1; }

# Starts the mock cluster with $DEDICATED cached dedicated nodes; sets CLUSTER_PID and BODIES.
start_cluster() {
  BODIES="$WORK/cluster"
  "$JAVA" -cp "$TEST_CP" io.maroonedpods.extender.bench.BenchCluster "$BODIES" "$DEDICATED" "$NODE_COUNTS" \
    > "$WORK/cluster.log" 2>&1 &
  CLUSTER_PID=$!
  PIDS+=("$CLUSTER_PID")
  local waited=0
  until grep -qs '^READY' "$WORK/cluster.log"; do
    sleep 1
    waited=$((waited + 1))
    if [[ $waited -gt 600 ]] || ! kill -0 "$CLUSTER_PID" 2> /dev/null; then
      tail -20 "$WORK/cluster.log"
      exit 1
    fi
  done
}

# start_extender NAME JAVA_OPTS [ENV=VALUE...]: the extender jar against the mock cluster; sets EXT_PID and
# READY_SECONDS (from start to /readyz answering 200: the informers have listed every dedicated node).
start_extender() {
  local name=$1 java_opts=$2 started waited=0
  shift 2
  started=$(date +%s%N)
  # shellcheck disable=SC2086 # java_opts is a list of JVM flags
  env "$@" "$JAVA" $java_opts -Xlog:gc:file="$WORK/gc-$name.log" -jar "$ROOT/extender/target/maroonedpods-extender.jar" \
    --port=18888 --kubeconfig="$BODIES/kubeconfig" > "$WORK/extender-$name.log" 2>&1 &
  EXT_PID=$!
  PIDS+=("$EXT_PID")
  GC_LOG="$WORK/gc-$name.log"
  until curl -sf http://127.0.0.1:18888/readyz > /dev/null; do
    sleep 0.5
    waited=$((waited + 1))
    if [[ $waited -gt 240 ]] || ! kill -0 "$EXT_PID" 2> /dev/null; then
      echo "the extender ($name) did not become ready:" >&2
      tail -20 "$WORK/extender-$name.log" >&2
      exit 1
    fi
  done
  READY_SECONDS=$(( ($(date +%s%N) - started) / 1000000000 ))
}

stop_extender() {
  kill "$EXT_PID" 2> /dev/null || true
  wait "$EXT_PID" 2> /dev/null || true
}

rss_mb() {
  awk '/VmRSS/ {printf "%.0f\n", $2 / 1024}' "/proc/$1/status"
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
declare -A PEAK=()
# run_case LABEL PATH BODY_FILE CONCURRENCY [nogzip]: one bounded wrk run; appends a table row.
run_case() {
  local label=$1 path=$2 body=$3 conc=$4 no_gzip=0 threads out rps p50 p99 errors rss probe
  [[ "${5:-}" == nogzip ]] && no_gzip=1
  probe=$(host_probe)
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
  PEAK["$label|$conc"]=$rps
  ROWS+=("| $label | $conc | $rps | $p50 | $p99 | $rss | $(cut -d' ' -f1 /proc/loadavg) | $probe | ${errors:-} |")
  printf '%-48s c=%-3s %8s req/s  p50 %8s ms  p99 %8s ms  RSS %5s MB %s\n' "$label" "$conc" "$rps" "$p50" "$p99" \
    "$rss" "$errors" >&2
}

# gc_pauses FROM_LINE: "N pauses, longest X ms" over the GC log lines after FROM_LINE.
gc_pauses() {
  tail -n +"$(($1 + 1))" "$GC_LOG" | awk '/Pause/ { n++; v = $NF; sub(/ms$/, "", v); if (v + 0 > max) max = v + 0 }
    END { printf "%d, longest %.1f ms", n, max }'
}

OPEN_ROWS=()
VERDICTS=()
# run_open_loop LABEL RATE URL [BODY_FILE]: one bench/openloop run (GET without a body); appends a row and sets P99.
run_open_loop() {
  local label=$1 rate=$2 url=$3 body=${4:-} gc_from out achieved p50 p90 p99 p999 max errors late_p99 pauses="" probe
  local request=(-method GET)
  probe=$(host_probe)
  [[ -n "$body" ]] && request=(-body "$body")
  gc_from=$(wc -l < "$GC_LOG")
  out=$("$WORK/openloop" -url "$url" "${request[@]}" -rate "$rate" -duration "$OPEN_LOOP_DURATION" -warmup 3s \
    -connections 16 2> "$WORK/openloop.err") || { cat "$WORK/openloop.err" >&2; exit 1; }
  read -r achieved p50 p90 p99 p999 max errors late_p99 <<< "$(grep '^RESULT' <<< "$out" | awk '{
    for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    print v["achieved"], v["p50"], v["p90"], v["p99"], v["p999"], v["max"], v["errors"], v["late_p99"] }')"
  [[ "$url" == *18888* ]] && pauses=$(gc_pauses "$gc_from")
  OPEN_ROWS+=("| $label | $rate | $achieved | $p50 | $p90 | $p99 | $p999 | $max | $errors | $late_p99 | ${pauses:-n/a} | $(cut -d' ' -f1 /proc/loadavg) | $probe |")
  printf '%-48s %6s req/s: p50 %s p90 %s p99 %s p99.9 %s max %s ms, %s errors, generator late p99 %s ms%s\n' \
    "$label" "$rate" "$p50" "$p90" "$p99" "$p999" "$max" "$errors" "$late_p99" "${pauses:+, GC pauses $pauses}" >&2
  P99=$p99
}

# open_loop NODES BODY_FILE PEAK_RPS P99_TARGET_MS: the filter at half the peak rate, then at the same rate the two
# floors: the extender's own trivial endpoint and a no-op Go server. Appends the rows and a verdict.
open_loop() {
  local nodes=$1 body=$2 peak=$3 target=$4 rate filter_p99 livez_p99 verdict
  rate=$((peak / 2))
  run_open_loop "maroon pod, $nodes NodeNames" "$rate" http://127.0.0.1:18888/scheduler/filter "$body"
  filter_p99=$P99
  run_open_loop "floor: extender GET /livez" "$rate" http://127.0.0.1:18888/livez
  livez_p99=$P99
  run_open_loop "floor: Go net/http no-op" "$rate" http://127.0.0.1:18999/
  verdict=$(awk -v p="$filter_p99" -v t="$target" 'BEGIN { print (p + 0 <= t + 0) ? "met" : "NOT met" }')
  VERDICTS+=("- /filter p99 at half the peak rate, maroon pod, $nodes NodeNames: $verdict ($filter_p99 ms at $rate req/s vs\
 ≤ $target ms; floors at the same rate: the extender's GET /livez $livez_p99 ms, a no-op Go net/http server $P99 ms)")
}

# heap_after_gc_mb: the live heap after a full collection (old generation, serial collector).
heap_after_gc_mb() {
  "$JAVA_HOME/bin/jcmd" "$EXT_PID" GC.run > /dev/null 2>&1 || true
  "$JAVA_HOME/bin/jcmd" "$EXT_PID" GC.heap_info 2> /dev/null \
    | awk '/Tenured|ParOldGen|garbage-first heap/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1);
        sub(/K,?$/, "", v); printf "%.0f", v / 1024; exit } }'
}

echo "starting the mock API server with $DEDICATED dedicated nodes (about a minute for 10,000)..." >&2
start_cluster
"$WORK/noop" -listen 127.0.0.1:18999 > "$WORK/noop.log" 2>&1 &
PIDS+=($!)
# The Go peer caches the same dedicated nodes (BenchCluster's nodes.json) and gzips as the shipped extender does.
"$WORK/peer" -listen 127.0.0.1:18889 -nodes "$BODIES/nodes.json" -gzip-min-bytes "${PRODUCTION_GZIP_MIN:-8192}" \
  > "$WORK/peer.log" 2>&1 &
PEER_PID=$!
PIDS+=("$PEER_PID")
PRODUCTION_ENV=(MALLOC_ARENA_MAX="$PRODUCTION_ARENAS" EXTENDER_BODYLIMITBYTES="$PRODUCTION_BODY_LIMIT")
[[ -n "$PRODUCTION_GZIP_MIN" ]] && PRODUCTION_ENV+=(EXTENDER_GZIPMINBYTES="$PRODUCTION_GZIP_MIN")
start_extender production "$EXTENDER_JAVA_OPTS" "${PRODUCTION_ENV[@]}"
PRODUCTION_READY=$READY_SECONDS
# Sampled every second from here to the end of the NodeNames runs: the maximum is a true peak, not only the RSS at the
# end of each run.
(while kill -0 "$EXT_PID" 2> /dev/null; do rss_mb "$EXT_PID" >> "$WORK/rss-samples" 2> /dev/null; sleep 1; done) &
RSS_SAMPLER=$!
PIDS+=("$RSS_SAMPLER")
sleep 15
IDLE_RSS=$(rss_mb "$EXT_PID")
CACHED=$(curl -s http://127.0.0.1:18888/metrics | awk '/^extender_cached_dedicated_nodes/ {printf "%d", $2}')
echo "extender up (pid $EXT_PID, ready after ${READY_SECONDS}s), $CACHED dedicated nodes cached, RSS $IDLE_RSS MB;" \
  "warming up..." >&2
IFS=',' read -r -a counts <<< "$NODE_COUNTS"
largest=${counts[-1]}
DURATION=10s run_case "warm-up (not recorded)" /scheduler/filter "$BODIES/names-maroon-$largest.json" 16
ROWS=()
MAX_RSS=0

for conc in $CONCURRENCY; do
  run_case "floor: GET /livez" /livez "" "$conc"
done
for n in "${counts[@]}"; do
  for pod in maroon other; do
    same_answer "$BODIES/names-$pod-$n.json"
  done
done
BODY_FILE="$BODIES/names-other-$largest.json" wrk -t2 -c16 -d5s -s "$WORK/post.lua" "$PEER_URL" > /dev/null
for n in "${counts[@]}"; do
  for conc in $CONCURRENCY; do
    side_by_side "filter NodeNames, maroon pod, $n nodes" "$BODIES/names-maroon-$n.json" "$conc"
    side_by_side "filter NodeNames, ordinary pod, $n nodes" "$BODIES/names-other-$n.json" "$conc"
  done
  run_case "prioritize NodeNames, maroon pod, $n nodes" /scheduler/prioritize "$BODIES/names-maroon-$n.json" 16
done
# Only when the shipped settings gzip at all: otherwise these would repeat the rows above.
if [[ -z "$PRODUCTION_GZIP_MIN" ]]; then
  for conc in $CONCURRENCY; do
    run_case "filter NodeNames, maroon pod, $largest nodes, no gzip" /scheduler/filter \
      "$BODIES/names-maroon-$largest.json" "$conc" nogzip
    run_case "filter NodeNames, ordinary pod, $largest nodes, no gzip" /scheduler/filter \
      "$BODIES/names-other-$largest.json" "$conc" nogzip
  done
fi
run_case "bind refused (2 API reads per call)" /scheduler/bind "$BODIES/bind-refusal.json" 16

# Open loop at half the peak: the peak is measured right here at concurrency 16 (again, if 16 was not in the set).
for n in "$largest" "${counts[0]}"; do
  label="filter NodeNames, maroon pod, $n nodes"
  [[ -z "${PEAK["$label|16"]:-}" ]] && run_case "$label" /scheduler/filter "$BODIES/names-maroon-$n.json" 16
  target=$([[ $n -gt 100 ]] && echo 5 || echo 1)
  open_loop "$n" "$BODIES/names-maroon-$n.json" "${PEAK["$label|16"]}" "$target"
done
LOADED_RSS=$(rss_mb "$EXT_PID")
[[ $LOADED_RSS -gt $MAX_RSS ]] && MAX_RSS=$LOADED_RSS
HEAP_MB=$(heap_after_gc_mb)
kill "$RSS_SAMPLER" 2> /dev/null || true
read -r SAMPLED_MAX SAMPLED_P50 SAMPLES <<< "$(grep -E '^[0-9]+$' "$WORK/rss-samples" | sort -n \
  | awk '{ v[NR] = $1 } END { print v[NR], v[int((NR + 1) / 2)], NR }')"
PRODUCTION_MAX_RSS=$(( SAMPLED_MAX > MAX_RSS ? SAMPLED_MAX : MAX_RSS ))
stop_extender

echo "full-Nodes mode, $FULL_NODES_JAVA_OPTS..." >&2
start_extender full-nodes "$FULL_NODES_JAVA_OPTS"
FULL_ROWS_FROM=${#ROWS[@]}
DURATION=10s run_case "warm-up (not recorded)" /scheduler/filter "$BODIES/nodes-maroon-${counts[0]}.json" 16
unset 'ROWS[-1]'
# At high concurrency requests of megabytes are still in flight when wrk stops, and would slow whatever ran next;
# a pause lets them drain.
for n in "${counts[@]}"; do
  for conc in $CONCURRENCY; do
    run_case "filter full Nodes, maroon pod, $n nodes" /scheduler/filter "$BODIES/nodes-maroon-$n.json" "$conc"
    sleep 3
    run_case "filter full Nodes, ordinary pod, $n nodes" /scheduler/filter "$BODIES/nodes-other-$n.json" "$conc"
    sleep 3
  done
done
stop_extender

side_by_side_verdict
RSS_VERDICT=$([[ $PRODUCTION_MAX_RSS -le 200 ]] && echo met || echo "NOT met")
VERDICTS+=("- extender RSS ≤ 200 MB with $CACHED dedicated nodes cached: $RSS_VERDICT (peak $PRODUCTION_MAX_RSS MB over\
 every NodeNames run, median $SAMPLED_P50 MB; $IDLE_RSS MB idle)")

CPU=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
JAVA_VERSION=$("$JAVA" -version 2>&1 | head -1)
{
  echo "<!-- extender:begin (written by bench/extender.sh; do not edit by hand) -->"
  echo "## Extender"
  echo
  echo "Recorded $(date -u +%Y-%m-%dT%H:%MZ) by \`bench/extender.sh $*\` on $(nproc) cores ($CPU), $JAVA_VERSION,"
  echo "commit $(git rev-parse --short HEAD 2> /dev/null || echo unknown). Load average before the runs: $LOAD_BEFORE,"
  echo "after: $(cut -d' ' -f1-3 /proc/loadavg) (each row has the 1-minute load at its end: the machine is shared, and"
  echo "wrk and openloop run on the same cores as the extender; treat the figures as indicative). Each row also has the"
  echo "host probe taken just before it (\`bench/host-probe.sh\`: the CPU time of a fixed awk loop, about 24 ms when the"
  echo "shared host gives this VM a full CPU, 30-40 ms when its other guests take part of it)."
  echo
  echo "The extender is the built jar, its informers caching $CACHED dedicated nodes (full ~2.4 KB Nodes, listed in"
  echo "pages of 100) from a mock API server (BenchCluster). Request bodies are kube-scheduler's wire format"
  echo "(extender/Fixtures.java): NodeNames lists, or full Nodes of about 2.9 KB each with managedFields and images. The"
  echo "maroon pod's verified node is one of the candidates; every other node is rejected with its reason in"
  echo "FailedAndUnresolvableNodes. The clients send Accept-Encoding: gzip, as kube-scheduler's does; answers over"
  echo "8 KiB are gzipped by default, never with the sidecar's EXTENDER_GZIPMINBYTES (${PRODUCTION_GZIP_MIN:-not set})."
  echo
  echo "### NodeNames mode, production settings"
  echo
  echo "What the manifests ship (nodeCacheCapable: true), with the sidecar's JVM options and environment read from"
  echo "\`$MANIFEST\`: \`MALLOC_ARENA_MAX=$PRODUCTION_ARENAS EXTENDER_BODYLIMITBYTES=$PRODUCTION_BODY_LIMIT${PRODUCTION_GZIP_MIN:+ EXTENDER_GZIPMINBYTES=$PRODUCTION_GZIP_MIN}"
  echo "java $EXTENDER_JAVA_OPTS -jar\` (plus \`-Xlog:gc\` to a file, for the pauses below). Ready (every node listed)"
  echo "${PRODUCTION_READY} s after start. wrk $(wrk --version 2>&1 | head -1 | awk '{print $2}'), closed loop, ${DURATION} per run after a"
  echo "10 s warm-up. /bind reads the pod and the node from the API server: its figures are the mock API server's,"
  echo "which scans every stored object (all $CACHED Nodes) on each read."
  echo
  echo "| case | concurrency | req/s | p50 ms | p99 ms | RSS MB | load | host probe ms | errors |"
  echo "|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]:0:$FULL_ROWS_FROM}"
  echo
  echo "#### /filter beside the Go peer"
  echo
  echo "Every /filter NodeNames row, the extender against \`bench/peer\` (Go $(go env GOVERSION | sed 's/^go//'), net/http and"
  echo "encoding/json, GOMAXPROCS $(nproc)): the same rule and reasons, the same $CACHED dedicated nodes (loaded at its"
  echo "start from the node list the mock API server serves), the same gzip threshold; before the runs the script checks"
  echo "that both give the same answer to every request body (JSON with sorted keys; \`GoPeerAnswersLikeTheExtenderTest\`"
  echo "checks the reasons of every kind of node). $ROUNDS rounds of ${DURATION} per server and row, alternated (the order swaps"
  echo "every round), after a 5 s warm-up of each: the median and range (min-max) of each, the ratio of the medians;"
  echo "each server's CPU time per request (user + system over the run, every thread of the process, divided by the"
  echo "requests answered); p99 medians; the 1-minute load after each round and the host probe before it."
  echo
  echo "| case | concurrency | extender req/s | Go peer req/s | ratio | CPU µs per request, extender / Go | p99 ms, extender / Go | load | host probe ms |"
  echo "|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${SIDE_ROWS[@]}"
  echo
  echo "Open loop (\`bench/openloop\`, Go $(go env GOVERSION | sed 's/^go//')): requests scheduled at a constant rate, half"
  echo "the peak wrk measured above at concurrency 16, over 16 keep-alive connections; latency from each request's"
  echo "scheduled send time, so a stall counts for every request it delays. ${OPEN_LOOP_DURATION} measured after a 3 s"
  echo "warm-up. The generator is one thread around epoll and a timerfd; \"generator late\" is how long after a request's"
  echo "due time it noticed (its own delay, which is in the latency too). At the same rate, two floors: the extender's"
  echo "GET /livez (the same server with no work) and a no-op Go net/http server (\`bench/openloop/noop\`): what this"
  echo "machine, its scheduler and the generator cost with no server work at all. GC pauses from the extender's GC log"
  echo "during the run."
  echo
  echo "| case | rate req/s | achieved | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | errors | generator late p99 ms | GC pauses | load | host probe ms |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${OPEN_ROWS[@]}"
  echo
  echo "Memory with $CACHED dedicated nodes cached: RSS $IDLE_RSS MB idle (15 s after ready); during the runs above,"
  echo "sampled every second ($SAMPLES samples), median $SAMPLED_P50 MB and peak $PRODUCTION_MAX_RSS MB; $LOADED_RSS MB after"
  echo "them; live heap after a full GC ${HEAP_MB:-?} MB."
  echo
  echo "### Full-Nodes mode (not the shipped configuration)"
  echo
  echo "kube-scheduler without nodeCacheCapable sends whole Nodes (15 MB for 5,000): this needs a larger heap than"
  echo "the production 64 MB, so these runs use \`java $FULL_NODES_JAVA_OPTS -jar\` with the default body limit."
  echo
  echo "| case | concurrency | req/s | p50 ms | p99 ms | RSS MB | load | host probe ms | errors |"
  echo "|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]:$FULL_ROWS_FROM}"
  echo
  echo "### Targets (issues 6 and 21), judged by the script from the runs above"
  echo
  printf '%s\n' "${SIDE_VERDICTS[@]}" "${VERDICTS[@]}"
  echo "<!-- extender:end -->"
} > "$WORK/section.md"

write_section extender "$WORK/section.md"
cat "$WORK/section.md"
