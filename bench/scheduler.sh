#!/usr/bin/env bash
# Benchmarks the real kube-scheduler in main-scheduler mode (e2e/.../bench/MainSchedulerBench): fake Ready nodes
# (100 and 1,000, created as objects), bursts of pending ordinary pods, pods/s from the first bind to the last, with
# no extender, with ours (the main-scheduler overlay's extender and stanza, over plain HTTP) and with a no-op
# extender (bench/peer -noop, Go) as the protocol's floor; the setups rotated over several rounds after an unrecorded
# warm-up burst each; kube-scheduler's, the extender's and the control plane's CPU per 1,000 pods. Writes the report
# into bench/RESULTS.md (scheduler section, between its markers).
#
# Usage: bench/scheduler.sh [--quick]   (--quick: 100 nodes, 1,000 pods, 2 rounds)
# Env:   NODE_COUNTS (100,1000), PODS (3000 per burst), ROUNDS (3), SCHEDULER_QPS (5000: kube-scheduler's client qps
#        and burst; its default of 50 would cap every setup at about 50 binds a second),
#        MAROONEDPODS_K8S_ASSETS (the Kubernetes binaries; default: ../shared/k8s/unpack.sh when it is there).
# Needs golang (Debian package; installed when missing) and kubectl. Only loopback traffic; every burst is bounded.
set -euo pipefail

cd "$(dirname "$0")/.."
NODE_COUNTS=${NODE_COUNTS:-100,1000}
PODS=${PODS:-3000}
ROUNDS=${ROUNDS:-3}
SCHEDULER_QPS=${SCHEDULER_QPS:-5000}
if [[ "${1:-}" == "--quick" ]]; then
  NODE_COUNTS=100 PODS=1000 ROUNDS=2
fi

# shellcheck source=../bin/find-jdk.sh
. bin/find-jdk.sh
# shellcheck source=results-section.sh
. bench/results-section.sh
if [[ -z "${MAROONEDPODS_K8S_ASSETS:-}" ]]; then
  if [[ -x ../shared/k8s/unpack.sh ]]; then
    MAROONEDPODS_K8S_ASSETS=$(../shared/k8s/unpack.sh | tail -1)
  else
    echo "error: MAROONEDPODS_K8S_ASSETS is not set (see e2e/README.md for the binaries it names)" >&2
    exit 1
  fi
fi
export MAROONEDPODS_K8S_ASSETS
if ! command -v go > /dev/null; then
  echo "installing golang (Debian package)" >&2
  apt-get update -qq && apt-get install -y -qq golang > /dev/null
fi

WORK=$(mktemp -d /tmp/scheduler-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
(cd bench/peer && go build -o "$WORK/peer" .)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "building and running MainSchedulerBench (nodes $NODE_COUNTS, $PODS pods, $ROUNDS rounds; about 15 min)..." >&2
if ! ./mvnw -B -pl e2e -am verify -Dsurefire.failIfNoSpecifiedTests=false -Dtest=MainSchedulerBench \
    -Dbench.noop="$WORK/peer" -Dbench.nodes="$NODE_COUNTS" -Dbench.pods="$PODS" -Dbench.rounds="$ROUNDS" \
    -Dbench.qps="$SCHEDULER_QPS" -Dbench.report="$WORK/report.md" > "$WORK/build.log" 2>&1; then
  grep -E 'ERROR|Exception' "$WORK/build.log" | head -30 >&2
  exit 1
fi
if grep -q 'Skipped: 1' "$WORK/build.log" || [[ ! -s "$WORK/report.md" ]]; then
  echo "error: the benchmark did not run:" >&2
  grep -E 'skipped|Tests run' "$WORK/build.log" | head -5 >&2
  exit 1
fi

CPU=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
{
  echo "<!-- scheduler:begin (written by bench/scheduler.sh; do not edit by hand) -->"
  echo "## kube-scheduler in main-scheduler mode"
  echo
  echo "Recorded $(date -u +%Y-%m-%dT%H:%MZ) by \`bench/scheduler.sh $*\` on $(nproc) cores ($CPU), commit"
  echo "$(git rev-parse --short HEAD 2> /dev/null || echo unknown). Load average before: $LOAD_BEFORE, after:"
  echo "$(cut -d' ' -f1-3 /proc/loadavg). kube-scheduler, etcd and kube-apiserver of \`$(basename "$MAROONEDPODS_K8S_ASSETS")\`"
  echo "(\`e2e/\`'s control plane without kube-controller-manager: the nodes are objects with no kubelet, and its node"
  echo "lifecycle controller would taint them unreachable), the extender the shipped jar with the main-scheduler"
  echo "overlay's environment, all on the same 2 cores as the test JVM that creates the pods and watches the binds."
  echo "Setups: the main-scheduler stanza (\`manifests/overlays/main-scheduler/scheduler-extenders-stanza.yaml\`:"
  echo "filter only, nodeCacheCapable, not ignorable, 2 s timeout) over plain HTTP instead of its mutual TLS, pointed"
  echo "at our extender or at the Go no-op (\`bench/peer -noop\`: decodes the request with encoding/json and passes"
  echo "every node), or no extenders entry at all. Each node count has its own fresh control plane."
  echo
  cat "$WORK/report.md"
  echo "<!-- scheduler:end -->"
} > "$WORK/section.md"

write_section scheduler "$WORK/section.md"
cat "$WORK/section.md"
