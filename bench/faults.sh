#!/usr/bin/env bash
# Bounded fault runs of the simulator (real extender and provisioner, simulated cluster): API errors, dropped watches,
# a leader change in the middle of a burst, failing VMs, and all of them at once, each with its own seed. Each run
# must keep the invariants the simulator checks (its exit code 0): every maroon pod bound to its own verified node,
# no duplicate VMI, nothing left after all pods are deleted, isolation held, the join token nowhere it should not be.
# This script reads the run's JSON as well and checks the same invariants itself, so neither check can pass alone.
#
# Usage: bench/faults.sh            Prints a table of runs and "N passed, N failed"; exit code 1 when any run failed.
# Env:   FAULT_PODS (20 pods per run), FAULT_JSON_DIR (keep each run's JSON there; default: a temp dir, removed)
# Takes about 2-3 minutes on 2 busy cores; each run is bounded (--timeout 90, and a hard 150 s limit).
set -euo pipefail

cd "$(dirname "$0")/.."
PODS=${FAULT_PODS:-20}

# shellcheck source=../bin/find-jdk.sh
. bin/find-jdk.sh
if [[ -n "${FAULT_JSON_DIR:-}" ]]; then
  out=$FAULT_JSON_DIR
  mkdir -p "$out"
else
  out=$(mktemp -d /tmp/maroonedpods-faults.XXXXXX)
  trap 'rm -rf "$out"' EXIT
fi

# name | seed | fault flags. A pod whose maxBootAttempts (3) VMs all fail is given up on by design (Warning
# ProvisioningFailed, pod left unbound, its VMs torn down); the simulator accepts that only for a pod that many of
# whose VMs failed, and "vmi-failures-all" checks that every pod ends that way and leaves nothing behind.
runs=("api-errors-10%|11|--api-fault-rate 0.1"
      "api-errors-20%|12|--api-fault-rate 0.2"
      "watches-dropped-1s|13|--drop-watches 1"
      "leader-change|14|--provisioner-replicas 2 --disrupt-provisioner"
      "vmi-failures-20%|15|--vmi-failure-rate 0.2"
      "vmi-failures-all|17|--vmi-failure-rate 1"
      "all-at-once|16|--api-fault-rate 0.1 --drop-watches 2 --vmi-failure-rate 0.1 --provisioner-replicas 2 --disrupt-provisioner")

# Builds the jar once, up front, so that no run's time includes the build.
./simulate --help > /dev/null

passed=0
failed=0
rows=()
for run in "${runs[@]}"; do
  IFS='|' read -r name seed flags <<< "$run"
  start=$(date +%s.%N)
  rc=0
  # shellcheck disable=SC2086  # flags is a list of flags
  timeout 150 ./simulate --pods "$PODS" --nodes 2 --boot-seconds 1 --timeout 90 --seed "$seed" $flags \
    --json "$out/$name.json" > "$out/$name.out" 2> "$out/$name.err" || rc=$?
  wall=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
  row=$(python3 - "$out/$name.json" "$name" "$seed" "$rc" "$wall" <<'EOF'
import json, os, sys
path, name, seed, rc, wall = sys.argv[1:]
if not os.path.exists(path):
    print("FAIL|| %s | %s | - | - | - | - | - | - | - | - | %s | exit %s, no JSON |" % (name, seed, wall, rc))
    sys.exit()
d = json.load(open(path))
broken = []
if d["bound"] + d["givenUp"] != d["pods"]:
    broken.append("%d of %d bound, %d given up on" % (d["bound"], d["pods"], d["givenUp"]))
if name == "vmi-failures-all" and d["givenUp"] != d["pods"]:
    broken.append("%d of %d given up on, with every VMI failing" % (d["givenUp"], d["pods"]))
if d["duplicateVmis"]:
    broken.append("%d duplicate VMIs" % d["duplicateVmis"])
if d["orphans"] or not d["tornDown"]:
    broken.append("%d orphans" % d["orphans"])
if d["tokenLeaks"]:
    broken.append("token in " + ", ".join(d["tokenLeaks"]))
if d["isolationViolations"]:
    broken.append("%d isolation violations" % len(d["isolationViolations"]))
ok = rc == "0" and d["ok"] and not broken
verdict = "pass" if ok else "FAIL: exit %s; %s" % (rc, "; ".join(broken + d["problems"])[:300])
print("%s|| %s | %s | %d | %d | %s | %d/%d | %d | %d | %d | %d | %s | %s |" % (
    "PASS" if ok else "FAIL", name, seed, d["apiFaultsInjected"], d["watchesDropped"],
    "; ".join(d["disruptions"]) or "-", d["bound"], d["pods"], d["givenUp"], d["vmisCreated"], d["duplicateVmis"],
    d["orphans"],
    wall, verdict))
EOF
)
  if [[ "${row%%||*}" == PASS ]]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    tail -3 "$out/$name.err" >&2 || true
  fi
  rows+=("|${row#*||}")
  echo "|${row#*||}" >&2
done

echo "| run | seed | API faults injected | watches dropped | provisioner disrupted | pods bound | given up on | VMIs created | duplicate VMIs | orphans | wall s | result |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
