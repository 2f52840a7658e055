# shellcheck shell=bash
# workaround.sh: what it takes to make VM nodes on the pod network carry traffic (mode pod-network-workaround).
# MaroonedPods does NOT ship this: it refuses the pod network on a multi-node host cluster and recommends the
# underlay. The mode exists to keep the documented reasons measured (node-network/README.md). Sourced after lab.sh.

readonly VXLAN_TABLE=8472

# Every change is needed; leaving out any one of them fails some direction on this kernel:
# - hosts: VXLAN to a VM's endpoint (a pod IP) must leave by the LAN to the host that runs the VM, not into
#   flannel.1 (the vxlan driver drops a packet routed back into itself): a policy route for UDP 8472 per host subnet,
#   whose next hop is that host's LAN address — hosts on one L2 segment;
# - hosts and VMs: checksum offload off on flannel.1: the outer packets to and from VM endpoints are masqueraded
#   (the endpoint is inside the cluster CIDR) and the NAT leaves the offloaded outer UDP checksum wrong
#   (flannel-io/flannel#1279; flannel's troubleshooting guide);
# - VMs: the same policy route to their host's gateway (the VM's flannel replaced its connected route with a route
#   into flannel.1), and loose rp_filter (the VXLAN source is routed into flannel.1 too).
apply_pod_network_workaround() {
  local node peer n
  for node in h1 h2; do
    n=$(ns_of "$node")
    ip -n "$n" rule add ipproto udp dport "$VXLAN_PORT" lookup "$VXLAN_TABLE" pref 100
    ip -n "$n" route add "10.42.${NODE_SUBNET[$node]}.0/24" dev cni0 table "$VXLAN_TABLE"
    for peer in h1 h2; do
      [[ $peer == "$node" ]] && continue
      ip -n "$n" route add "10.42.${NODE_SUBNET[$peer]}.0/24" via "${NODE_PUBLIC_IP[$peer]}" dev br-lan \
        table "$VXLAN_TABLE"
    done
    in_ns "$node" ethtool -K flannel.1 tx-checksum-ip-generic off >/dev/null
  done
  for node in v1 v2; do
    n=$(ns_of "$node")
    local gateway="10.42.${NODE_SUBNET[h${node#v}]}.1"
    ip -n "$n" rule add ipproto udp dport "$VXLAN_PORT" lookup "$VXLAN_TABLE" pref 100
    ip -n "$n" route add "${gateway%.1}.0/24" dev eth0 table "$VXLAN_TABLE"
    ip -n "$n" route add default via "$gateway" dev eth0 table "$VXLAN_TABLE"
    sysctls "$node" net.ipv4.conf.all.rp_filter=2 net.ipv4.conf.eth0.rp_filter=2
    in_ns "$node" ethtool -K flannel.1 tx-checksum-ip-generic off >/dev/null
  done
}
