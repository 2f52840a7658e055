#!/usr/bin/env bash
# Where the simulator's 1,000-pod burst spends its time: one burst (boot time 0) under JFR's CPU-time sampler
# (JDK 25+), then bench/burst-split.py splits the CPU from the first maroon pod to all VMIs created between the
# simulator's own parts (API server, its client, KubeVirt, node boot, scheduler driver) and the real components
# (provisioner, extender, their clients), and one boot slot's turnover between the simulated VM and the provisioner.
# Prints Markdown; the analysis that goes with it is written by hand into bench/provisioner-notes.md.
#
# Usage: bench/burst-split.sh [PODS]          (default 1000)
# Env:   SIMULATE_DIR (the tree whose ./simulate runs: default this one; a copy of another commit to compare),
#        KEEP=DIR (keep the recording and the summary there)
set -euo pipefail

cd "$(dirname "$0")/.."
bench=$PWD/bench
pods=${1:-1000}
tree=${SIMULATE_DIR:-$PWD}
# shellcheck source=../bin/find-jdk.sh
. bin/find-jdk.sh
if [ "$(java_major "$JAVA_HOME")" -lt 25 ]; then
  echo "JFR's CPU-time sampler needs JDK 25 or later; $JAVA_HOME is $(java_major "$JAVA_HOME")" >&2
  exit 2
fi
# shellcheck source=host-probe.sh
. bench/host-probe.sh
out=${KEEP:-$(mktemp -d /tmp/maroonedpods-burst-split.XXXXXX)}
mkdir -p "$out"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$out"' EXIT

# The first run after a build writes the AOT cache that the measured run reads, as in bench/provisioner.sh.
(cd "$tree" && ./simulate --pods 1 --boot-seconds 0 > "$out/prepare.out" 2>&1) || { tail -20 "$out/prepare.out"; exit 1; }
# Through JAVA_TOOL_OPTIONS: ./simulate keeps its own JVM options and the AOT cache (SIMULATOR_JAVA_OPTS would drop
# the cache). 1 ms per thread of CPU time (JDK 25's jdk.CPUTimeSample), at most 500 samples a second.
jfr_opts="-XX:StartFlightRecording:filename=$out/burst.jfr,settings=default,jdk.CPUTimeSample#enabled=true"
jfr_opts+=",jdk.CPUTimeSample#throttle=500/s"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
probe_before=$(host_probe)
TIMEFORMAT='%3U %3S %3R'
times=$( { time (cd "$tree" && JAVA_TOOL_OPTIONS="$jfr_opts" ./simulate --pods "$pods" --boot-seconds 0 --timeout 180 \
  --json "$out/burst.json" > "$out/burst.out" 2>&1); } 2>&1 ) || { tail -20 "$out/burst.out"; exit 1; }
read -r user sys wall <<< "$times"
cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')
echo "./simulate --pods $pods --boot-seconds 0 in $tree, commit $(git -C "$tree" rev-parse --short HEAD 2>/dev/null || echo '-')"
echo "load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg); host probe $probe_before / $(host_probe) ms"
python3 - "$out/burst.json" "$cpu" "$wall" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
print("all VMIs created %.2f s, all bound %.2f s after the first pod; %s s of CPU (user + system) in %s s of wall time"
      % (d["allVmisCreatedSeconds"], d["allBoundSeconds"], sys.argv[2], sys.argv[3]))
EOF
echo
"$JAVA_HOME/bin/jfr" print --events jdk.CPUTimeSample,jdk.CPULoad,jdk.JVMInformation --stack-depth 64 "$out/burst.jfr" \
  | python3 "$bench/burst-split.py" "$out/burst.json" "$cpu"
