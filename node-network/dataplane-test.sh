#!/usr/bin/env bash
# dataplane-test.sh: does a VM node's pod traffic cross the host cluster? Measured on the running kernel.
#
# Builds, from network namespaces, two host nodes on a node LAN with flannel's VXLAN data plane and k3s's NAT and
# forward rules (lib/lab.sh says where each rule comes from), a pod on each host, and on each host a VM node attached
# the way a node network attaches it, running its own flannel, cni0 and a pod. Then probes ping, TCP (64 KiB echoed)
# and UDP in every direction and prints a table. Each node network has an expected outcome:
#   underlay     the VM's NIC bridged onto the node LAN (Multus bridge network), flannel on it: every probe passes
#   pod-network  the VM's address a pod IP on its host's cni0 (today's default): traffic between nodes fails — the
#                proof that this test can fail
#   pod-network-workaround  (only when asked) the pod network plus every host and VM change it would take
#                (lib/workaround.sh), which MaroonedPods does not ship: every probe passes; kept to measure the claim
# Exit 0 when every mode behaves as expected, 1 otherwise, 0 with one "SKIP" line where namespaces cannot be made.
#
# Usage: dataplane-test.sh [--mode underlay|pod-network|pod-network-workaround]... [--vm-rp-filter 0|1|2] [--keep]
#   --keep  leave the last mode's namespaces ($LAB-*) for inspection; remove them with `ip -all netns del` at your
#           own risk or `ip netns del <name>` one by one
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB="mpnet$$"
# shellcheck source=lib/lab.sh
. "$HERE/lib/lab.sh"
# shellcheck source=lib/probes.sh
. "$HERE/lib/probes.sh"
# shellcheck source=lib/workaround.sh
. "$HERE/lib/workaround.sh"

MODES=()
KEEP=false
# CentOS Stream (the node image) runs with strict reverse-path filtering: the VMs do too, unless told otherwise.
VM_RP_FILTER=1

declare -A POD_IP=()
declare -A RESULT=() DIAGNOSIS=()

# from, to, what it shows
readonly DIRECTIONS=(
  "p1 q1 host pod -> VM pod, same host"
  "q1 p1 VM pod -> host pod, same host"
  "p2 q1 host pod -> VM pod, other host"
  "q1 p2 VM pod -> host pod, other host"
  "q1 q2 VM pod -> VM pod, across hosts"
  "q2 q1 VM pod -> VM pod, across hosts (back)"
  "h1 q1 host -> VM pod, same host"
  "h2 q1 host -> VM pod, other host"
)

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

parse_args() {
  while (( $# > 0 )); do
    case $1 in
      --mode) MODES+=("${2:?--mode needs a value}"); shift 2 ;;
      --vm-rp-filter) VM_RP_FILTER=${2:?--vm-rp-filter needs 0, 1 or 2}; shift 2 ;;
      --keep) KEEP=true; shift ;;
      -h|--help) usage; exit 0 ;;
      *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
  done
  (( ${#MODES[@]} > 0 )) || MODES=(underlay pod-network)
  local mode
  for mode in "${MODES[@]}"; do
    case $mode in
      underlay|pod-network|pod-network-workaround) ;;
      *) echo "unknown mode: $mode (see --help)" >&2; exit 2 ;;
    esac
  done
  [[ $VM_RP_FILTER =~ ^[012]$ ]] || { echo "--vm-rp-filter: must be 0, 1 or 2" >&2; exit 2; }
}

skip_unless_possible() {
  local missing=() tool
  for tool in ip bridge iptables socat ping ss timeout ethtool; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  if (( EUID != 0 )); then
    echo "SKIP node-network data-plane test: needs root to create network namespaces"
    exit 0
  fi
  if (( ${#missing[@]} > 0 )); then
    echo "SKIP node-network data-plane test: missing ${missing[*]} (apt-get install iproute2 iptables socat iputils-ping ethtool)"
    exit 0
  fi
  if ! ip netns add "$LAB-probe" 2>/dev/null || ! ip -n "$LAB-probe" link add probe0 type vxlan id 1 dstport 0 \
      2>/dev/null; then
    ip netns del "$LAB-probe" 2>/dev/null || true
    echo "SKIP node-network data-plane test: cannot create network namespaces with VXLAN devices here"
    exit 0
  fi
  ip netns del "$LAB-probe"
}

cleanup() {
  local status=$?
  if [[ $KEEP == false ]]; then lab_teardown; fi
  rm -rf "$WORKDIR"
  exit "$status"
}

# Two hosts on the node LAN, each with flannel (subnets 10.42.1.0/24 and 10.42.2.0/24) and a pod.
build_hosts() {
  lab_switch
  lab_host h1 11
  lab_host h2 12
  lab_flannel h1 br-lan "$LAN_PREFIX.11" 1
  lab_flannel h2 br-lan "$LAN_PREFIX.12" 2
  POD_IP[h1]="10.42.1.0"
  POD_IP[h2]="10.42.2.0"
}

# A VM node on each host (node subnets 10.42.3.0/24 and 10.42.4.0/24) attached by `mode`, each with a pod.
build_vms() {
  local mode=$1 i vm_ip
  for i in 1 2; do
    lab_vm "v$i" "$VM_RP_FILTER"
    case $mode in
      pod-network*) vm_ip=$(attach_pod_network "v$i" "h$i" 20) ;;
      underlay) vm_ip=$(attach_underlay "v$i" "h$i" "2$i") ;;
    esac
    lab_flannel "v$i" eth0 "$vm_ip" $(( i + 2 ))
  done
}

build_pods() {
  lab_pod p1 h1 10
  lab_pod p2 h2 10
  lab_pod q1 v1 10
  lab_pod q2 v2 10
  POD_IP[p1]=10.42.1.10
  POD_IP[p2]=10.42.2.10
  POD_IP[q1]=10.42.3.10
  POD_IP[q2]=10.42.4.10
  local pod
  for pod in p1 p2 q1 q2; do start_echo_servers "$pod"; done
  for pod in p1 p2 q1 q2; do await_echo_servers "$pod"; done
}

run_mode() {
  local mode=$1 direction from to
  NODES=()
  build_hosts
  build_vms "$mode"
  lab_mesh
  [[ $mode == pod-network-workaround ]] && apply_pod_network_workaround
  build_pods
  for direction in "${DIRECTIONS[@]}"; do
    read -r from to _ <<<"$direction"
    RESULT["$mode|$direction"]=$(probe_all "$from" "${POD_IP[$to]}")
  done
  DIAGNOSIS[$mode]=$(tunnel_drops)
  if [[ $KEEP == false || $mode != "${MODES[-1]}" ]]; then lab_teardown; fi
}

# Packets the nodes' vxlan driver dropped because their outer destination routes back into flannel.1 (counted as
# transmit errors and collisions of flannel.1): the circular route that breaks the pod network.
tunnel_drops() {
  local host errors
  for host in h1 h2 v1 v2; do
    errors=$(in_ns "$host" cat /sys/class/net/flannel.1/statistics/tx_errors)
    (( errors > 0 )) && printf '%s flannel.1: %s packets dropped by the vxlan driver (circular route); ' "$host" "$errors"
  done
  return 0
}

# The expected outcome of a mode: every probe passes (underlay), or traffic between nodes fails (pod-network).
verdict() {
  local mode=$1 direction cells all_ok=true cross_host_failed=true
  for direction in "${DIRECTIONS[@]}"; do
    cells=${RESULT["$mode|$direction"]}
    [[ $cells == "ok ok ok" ]] || all_ok=false
    if [[ $direction == *"other host"* || $direction == *"across hosts"* ]] && [[ $cells == *ok* ]]; then
      cross_host_failed=false
    fi
  done
  case $mode in
    underlay|pod-network-workaround) [[ $all_ok == true ]] ;;
    pod-network) [[ $cross_host_failed == true ]] ;;
  esac
}

print_table() {
  local mode direction from to what cells failed=0
  printf '\n%-22s %-50s %-5s %-5s %-5s\n' "node network" "direction" "ping" "tcp" "udp"
  for mode in "${MODES[@]}"; do
    for direction in "${DIRECTIONS[@]}"; do
      read -r from to what <<<"$direction"
      cells=${RESULT["$mode|$direction"]}
      # shellcheck disable=SC2086  # three words, one per column
      printf '%-22s %-50s %-5s %-5s %-5s\n' "$mode" "$what ($from -> $to)" $cells
    done
  done
  echo
  for mode in "${MODES[@]}"; do
    [[ -n ${DIAGNOSIS[$mode]} ]] && echo "$mode: ${DIAGNOSIS[$mode]%; }"
  done
  for mode in "${MODES[@]}"; do
    if verdict "$mode"; then
      case $mode in
        underlay|pod-network-workaround) echo "PASS $mode: every direction carries ping, TCP and UDP" ;;
        pod-network) echo "PASS $mode: fails between nodes, as expected (the VM's VXLAN endpoint is a pod IP)" ;;
      esac
    else
      failed=1
      case $mode in
        underlay|pod-network-workaround) echo "FAIL $mode: expected every probe to pass" ;;
        pod-network) echo "FAIL $mode: traffic between nodes passed; the lab no longer reproduces the known failure" ;;
      esac
    fi
  done
  return "$failed"
}

main() {
  parse_args "$@"
  skip_unless_possible
  lab_sweep_stale
  WORKDIR=$(mktemp -d)
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  local mode started=$SECONDS
  for mode in "${MODES[@]}"; do
    echo "building the $mode lab and probing (VM rp_filter=$VM_RP_FILTER) ..."
    run_mode "$mode"
  done
  local status=0
  print_table || status=$?
  echo "($(( SECONDS - started ))s)"
  return "$status"
}

main "$@"
