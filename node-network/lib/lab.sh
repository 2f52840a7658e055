# shellcheck shell=bash
# lab.sh: a host cluster's flannel VXLAN data plane, built from network namespaces on the running kernel.
#
# Sourced by dataplane-test.sh. Every namespace is named "$LAB-<short name>", so one run never touches another's
# (or the machine's own) interfaces, and a run killed outright is cleaned up by the next one (lab_sweep_stale).
#
# What is reproduced, and where it comes from:
# - flannel's vxlan backend (flannel-io/flannel pkg/backend/vxlan): device flannel.<VNI> with VNI 1, the external
#   interface as its device, the node's public IP as local address, learning off ("nolearning"), port left to the
#   kernel's default 8472, MTU = external MTU - 50, a /32 address = the first address of the node's subnet. For every
#   remote node: a permanent neighbour (remote subnet address -> remote VTEP MAC), a permanent FDB entry (remote VTEP
#   MAC -> remote public IP) and `route replace <remote subnet> via <remote subnet address> dev flannel.1 onlink`.
# - flannel's iptables rules (pkg/trafficmngr/iptables, as k3s runs them with ip-masq on): nat FLANNEL-POSTRTG
#   (RETURN for kube-proxy's mark 0x4000, for pod subnet <-> cluster CIDR, for outside -> pod subnet; MASQUERADE
#   --random-fully of cluster-CIDR traffic leaving it and of outside traffic entering it) and filter FLANNEL-FWD
#   (ACCEPT from and to the cluster CIDR).
# - k3s's CNI config (pkg/agent/flannel/setup_linux.go): flannel delegating to the bridge plugin, bridge cni0 with the
#   subnet's first address as gateway, MTU from flannel, hairpin mode, no masquerade of its own (flannel does it).
# - k3s's sysctls (pkg/agent/syssetup): ip forwarding on, net.bridge.bridge-nf-call-iptables=1.

readonly CLUSTER_CIDR=10.42.0.0/16
readonly LAN_PREFIX=192.168.50
readonly VXLAN_PORT=8472
readonly KUBE_PROXY_MARK=0x4000/0x4000

declare -A NODE_PUBLIC_IP=() NODE_SUBNET=() NODE_VTEP_MAC=()
NODES=()

ns_of() { printf '%s-%s' "$LAB" "$1"; }
in_ns() {
  local name=$1
  shift
  ip netns exec "$(ns_of "$name")" "$@"
}

new_ns() {
  local name=$1
  ip netns add "$(ns_of "$name")"
  ip -n "$(ns_of "$name")" link set lo up
}

# A veth pair between two namespaces: interface if_a in a, if_b in b.
veth() {
  local a=$1 if_a=$2 b=$3 if_b=$4
  ip -n "$(ns_of "$a")" link add "$if_a" type veth peer name "$if_b" netns "$(ns_of "$b")"
}

sysctls() {
  local name=$1
  shift
  local setting
  for setting in "$@"; do in_ns "$name" sysctl -qw "$setting" >/dev/null; done
}

# The node LAN: one switch, a bridge every host's uplink is plugged into.
lab_switch() {
  new_ns sw
  ip -n "$(ns_of sw)" link add lan0 type bridge
  ip -n "$(ns_of sw)" link set lan0 up
}

# A host node of the cluster: uplink eth0 on the switch, enslaved to br-lan (the bridge a Multus bridge network on
# the node LAN plugs VMs into), the host's LAN address on br-lan, k3s's sysctls, loose rp_filter (Debian/Ubuntu).
lab_host() {
  local name=$1 lan_octet=$2
  new_ns "$name"
  veth "$name" eth0 sw "port-$name"
  ip -n "$(ns_of sw)" link set "port-$name" master lan0 up
  ip -n "$(ns_of "$name")" link add br-lan type bridge
  ip -n "$(ns_of "$name")" link set eth0 master br-lan up
  ip -n "$(ns_of "$name")" addr add "$LAN_PREFIX.$lan_octet/24" dev br-lan
  ip -n "$(ns_of "$name")" link set br-lan up
  sysctls "$name" net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1 \
    net.ipv4.conf.all.rp_filter=2 net.ipv4.conf.default.rp_filter=2
}

# flannel and the bridge CNI on node `name`: flannel.1 over `iface` with public IP `public_ip`, pod subnet
# 10.42.<subnet_octet>.0/24 on cni0. Registers the node so lab_mesh can tell every other node about it.
lab_flannel() {
  local name=$1 iface=$2 public_ip=$3 subnet_octet=$4
  local n mac ext_mtu mtu subnet
  n=$(ns_of "$name")
  subnet="10.42.$subnet_octet.0/24"
  mac=$(printf '0a:58:0a:2a:%02x:01' "$subnet_octet")
  ext_mtu=$(in_ns "$name" cat "/sys/class/net/$iface/mtu")
  mtu=$(( ext_mtu - 50 ))
  ip -n "$n" link add flannel.1 address "$mac" mtu "$mtu" type vxlan id 1 dev "$iface" local "$public_ip" \
    dstport "$VXLAN_PORT" nolearning
  ip -n "$n" addr add "10.42.$subnet_octet.0/32" dev flannel.1
  ip -n "$n" link set flannel.1 up
  ip -n "$n" link add cni0 mtu "$mtu" type bridge
  ip -n "$n" addr add "10.42.$subnet_octet.1/24" dev cni0
  ip -n "$n" link set cni0 up
  flannel_iptables "$name" "$subnet"
  NODES+=("$name")
  NODE_PUBLIC_IP[$name]=$public_ip
  NODE_SUBNET[$name]=$subnet_octet
  NODE_VTEP_MAC[$name]=$mac
}

flannel_iptables() {
  local name=$1 pod_cidr=$2
  local -a masq=(-m comment --comment "flanneld masq")
  local -a fwd=(-m comment --comment "flanneld forward")
  in_ns "$name" iptables -t nat -N FLANNEL-POSTRTG
  in_ns "$name" iptables -t nat -A POSTROUTING "${masq[@]}" -j FLANNEL-POSTRTG
  in_ns "$name" iptables -t nat -A FLANNEL-POSTRTG -m mark --mark "$KUBE_PROXY_MARK" "${masq[@]}" -j RETURN
  in_ns "$name" iptables -t nat -A FLANNEL-POSTRTG -s "$pod_cidr" -d "$CLUSTER_CIDR" "${masq[@]}" -j RETURN
  in_ns "$name" iptables -t nat -A FLANNEL-POSTRTG -s "$CLUSTER_CIDR" -d "$pod_cidr" "${masq[@]}" -j RETURN
  in_ns "$name" iptables -t nat -A FLANNEL-POSTRTG ! -s "$CLUSTER_CIDR" -d "$pod_cidr" "${masq[@]}" -j RETURN
  in_ns "$name" iptables -t nat -A FLANNEL-POSTRTG -s "$CLUSTER_CIDR" ! -d 224.0.0.0/4 "${masq[@]}" \
    -j MASQUERADE --random-fully
  in_ns "$name" iptables -t nat -A FLANNEL-POSTRTG ! -s "$CLUSTER_CIDR" -d "$CLUSTER_CIDR" "${masq[@]}" \
    -j MASQUERADE --random-fully
  in_ns "$name" iptables -t filter -N FLANNEL-FWD
  in_ns "$name" iptables -t filter -A FORWARD "${fwd[@]}" -j FLANNEL-FWD
  in_ns "$name" iptables -t filter -A FLANNEL-FWD -s "$CLUSTER_CIDR" "${fwd[@]}" -j ACCEPT
  in_ns "$name" iptables -t filter -A FLANNEL-FWD -d "$CLUSTER_CIDR" "${fwd[@]}" -j ACCEPT
}

# What every node's flannel does when it sees another node's lease: neighbour, FDB entry, onlink route.
lab_mesh() {
  local self peer n gw
  for self in "${NODES[@]}"; do
    n=$(ns_of "$self")
    for peer in "${NODES[@]}"; do
      [[ $peer == "$self" ]] && continue
      gw="10.42.${NODE_SUBNET[$peer]}.0"
      ip -n "$n" neigh replace "$gw" lladdr "${NODE_VTEP_MAC[$peer]}" dev flannel.1 nud permanent
      bridge -n "$n" fdb replace "${NODE_VTEP_MAC[$peer]}" dev flannel.1 dst "${NODE_PUBLIC_IP[$peer]}" self permanent
      ip -n "$n" route replace "10.42.${NODE_SUBNET[$peer]}.0/24" via "$gw" dev flannel.1 onlink
    done
  done
}

# Plugs namespace `name` into node `node`'s cni0 as the bridge CNI plugin wires a pod: a veth (eth0 inside, hairpin on
# the bridge port), the node's pod MTU, address 10.42.<subnet>.<host_octet>/24, default route via the subnet's .1.
plug_into_cni0() {
  local name=$1 node=$2 host_octet=$3
  local octet=${NODE_SUBNET[$node]} mtu
  mtu=$(in_ns "$node" cat /sys/class/net/cni0/mtu)
  veth "$name" eth0 "$node" "veth-$name"
  ip -n "$(ns_of "$node")" link set "veth-$name" master cni0 mtu "$mtu" up
  bridge -n "$(ns_of "$node")" link set dev "veth-$name" hairpin on
  ip -n "$(ns_of "$name")" link set eth0 mtu "$mtu" up
  ip -n "$(ns_of "$name")" addr add "10.42.$octet.$host_octet/24" dev eth0
  ip -n "$(ns_of "$name")" route add default via "10.42.$octet.1"
}

# A pod on node `node`'s cni0 with address 10.42.<subnet>.<host_octet>.
lab_pod() {
  local pod=$1 node=$2 host_octet=$3
  new_ns "$pod"
  plug_into_cni0 "$pod" "$node" "$host_octet"
}

# A VM node, booted but not yet networked: its own kernel settings (k3s's sysctls, the rp_filter of its OS).
lab_vm() {
  local vm=$1 rp_filter=$2
  new_ns "$vm"
  sysctls "$vm" net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1 \
    "net.ipv4.conf.all.rp_filter=$rp_filter" "net.ipv4.conf.default.rp_filter=$rp_filter"
}

# KubeVirt bridge binding on the pod network: the VM's NIC takes over its virt-launcher pod's address, a pod IP on
# the host's cni0 (the tap and the launcher's in-pod bridge are one L2 segment with the pod's veth).
attach_pod_network() {
  local vm=$1 host=$2 host_octet=$3
  plug_into_cni0 "$vm" "$host" "$host_octet"
  printf '10.42.%s.%s' "${NODE_SUBNET[$host]}" "$host_octet"
}

# KubeVirt bridge binding on a Multus bridge network of the node LAN: the VM's NIC is a port of the host's br-lan
# and has an address of the LAN (from the LAN's DHCP or the network's IPAM), MTU of the LAN.
attach_underlay() {
  local vm=$1 host=$2 lan_octet=$3
  veth "$vm" eth0 "$host" "lan-$vm"
  ip -n "$(ns_of "$host")" link set "lan-$vm" master br-lan up
  ip -n "$(ns_of "$vm")" link set eth0 up
  ip -n "$(ns_of "$vm")" addr add "$LAN_PREFIX.$lan_octet/24" dev eth0
  printf '%s.%s' "$LAN_PREFIX" "$lan_octet"
}

# Deletes this run's namespaces after ending the processes started in them (by their ids).
lab_teardown() {
  local n pids
  while read -r n _; do
    [[ $n == "$LAB"-* ]] || continue
    pids=$(ip netns pids "$n" 2>/dev/null || true)
    # shellcheck disable=SC2086  # one id per word
    [[ -n $pids ]] && kill $pids 2>/dev/null
    ip netns del "$n" 2>/dev/null || true
  done < <(ip netns list 2>/dev/null)
}

# Namespaces of earlier runs whose process is gone (killed with SIGKILL, say): removed the same way.
lab_sweep_stale() {
  local n owner
  while read -r n _; do
    [[ $n =~ ^mpnet([0-9]+)- ]] || continue
    owner=${BASH_REMATCH[1]}
    kill -0 "$owner" 2>/dev/null && continue
    LAB="mpnet$owner" lab_teardown
  done < <(ip netns list 2>/dev/null)
}
