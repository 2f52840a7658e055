#!/usr/bin/env bash
# marooned-node-boot.sh: turn the join info that cloud-init wrote into the k3s agent's configuration, then exit.
#
# Run once per boot by marooned-node-boot.service. It never starts k3s itself: k3s-agent.service is ordered after
# (and requires) this unit, so a blocking `systemctl start k3s-agent` from here would wait on a job that waits on us.
#
# Input  (MAROONED_JOIN_INFO):  `key: "value"` lines written by cloud-init, the format of api JoinInfo.render():
#        server_url, token, pod_uid (empty for a warm-pool node), taint_key, node_name, node_password, and node_mac
#        when the VM sits on the node LAN (the MAC of its NIC there; absent or empty on the pod network).
# Output (MAROONED_K3S_CONFIG): the k3s agent config drop-in; the token (the VM's own bootstrap token) goes to
#        MAROONED_TOKEN_FILE and the node password to MAROONED_NODE_PASSWORD_FILE, where the k3s agent reads it
#        (/etc/rancher/node/password; k3s's hash of it is in kube-system before the VM boots), both mode 0600 and never
#        printed. Files are only replaced when their content changes, so a reboot changes nothing.
# Once joined, marooned-join-cleanup.sh removes the join info; a later boot then keeps the rendered files as they are.
#
# Exit codes (one per problem, so `systemctl status` tells what is wrong):
#   0 config written or already up to date
#  10 join info file missing or unreadable after waiting MAROONED_WAIT_SECONDS
#  11 server_url is not an https:// URL with a host
#  12 token missing
#  13 pod_uid is neither empty (pool node) nor a pod UID
#  14 taint_key is not a DNS subdomain
#  15 node_name is not a DNS label
#  16 the guest has no IPv4 address to register as node-ip
#  17 the config or token file could not be written
#  18 node_password missing or not 16 to 128 printable characters
#  20 node_mac is not a MAC address
#  21 no network interface has the node_mac address
set -euo pipefail
umask 022

readonly JOIN_INFO=${MAROONED_JOIN_INFO:-/etc/marooned/join-info.yaml}
readonly K3S_CONFIG=${MAROONED_K3S_CONFIG:-/etc/rancher/k3s/config.yaml.d/50-marooned.yaml}
readonly TOKEN_FILE=${MAROONED_TOKEN_FILE:-/etc/rancher/k3s/marooned-token}
readonly NODE_PASSWORD_FILE=${MAROONED_NODE_PASSWORD_FILE:-/etc/rancher/node/password}
readonly KUBELET_CLIENT_CERT=${MAROONED_KUBELET_CLIENT_CERT:-/var/lib/rancher/k3s/agent/client-kubelet.crt}
readonly WAIT_SECONDS=${MAROONED_WAIT_SECONDS:-300}
readonly ADDRESS_WAIT_SECONDS=${MAROONED_ADDRESS_WAIT_SECONDS:-60}

# Names shared with the control plane (api Names / NodeIdentity); JoinContractTest keeps them equal.
readonly POD_UID_LABEL=maroonedpods.io/pod-uid
readonly POOL_LABEL=maroonedpods.io/pool
readonly POOL_TAINT_VALUE=pool

readonly MAC_FORM='^[0-9a-f]{2}(:[0-9a-f]{2}){5}$'
readonly UID_FORM='^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
readonly URL_FORM='^https://([A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?(/[^[:space:]]*)?$'
readonly TAINT_KEY_FORM='^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$'
readonly NODE_NAME_FORM='^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'
readonly NODE_PASSWORD_FORM='^[[:graph:]]{16,128}$'
readonly UNSAFE_CHARS='["\\]'

log() { printf 'marooned-node-boot: %s\n' "$*"; }
error() { printf 'marooned-node-boot: error: %s\n' "$*" >&2; }

wait_for_join_info() {
  local waited=0
  until [[ -r $JOIN_INFO ]]; do
    if (( waited >= WAIT_SECONDS )); then
      error "no readable join info at $JOIN_INFO after ${WAIT_SECONDS}s: is the VM's cloud-init user data the MaroonedPods userdata Secret? (see journalctl -u cloud-init)"
      exit 10
    fi
    if (( waited == 0 )); then log "waiting up to ${WAIT_SECONDS}s for $JOIN_INFO"; fi
    sleep 1
    waited=$(( waited + 1 ))
  done
}

# Strips blanks and one pair of matching quotes, like api JoinInfo.parse.
unquote() {
  local value=$1
  value=${value#"${value%%[![:space:]]*}"}
  value=${value%"${value##*[![:space:]]}"}
  if (( ${#value} >= 2 )) && [[ ( $value == \"*\" ) || ( $value == \'*\' ) ]] && [[ ${value:0:1} == "${value: -1}" ]]; then
    value=${value:1:${#value}-2}
  fi
  printf '%s' "$value"
}

read_join_info() {
  SERVER_URL='' TOKEN='' POD_UID='' TAINT_KEY='' NODE_NAME='' NODE_PASSWORD='' NODE_MAC='' NODE_IFACE='' NODE_MTU=''
  local line key value
  while IFS= read -r line || [[ -n $line ]]; do
    line=${line%$'\r'}
    [[ $line =~ ^[[:space:]]*(#|$) || $line != *:* ]] && continue
    key=$(unquote "${line%%:*}")
    value=$(unquote "${line#*:}")
    case $key in
      server_url) SERVER_URL=$value ;;
      token) TOKEN=$value ;;
      pod_uid) POD_UID=$value ;;
      taint_key) TAINT_KEY=$value ;;
      node_name) NODE_NAME=$value ;;
      node_password) NODE_PASSWORD=$value ;;
      node_mac) NODE_MAC=$value ;;
    esac
  done < "$JOIN_INFO"
}

# Reports every problem (naming the field, never showing the token) and exits with the code of the first one.
validate_join_info() {
  local -a problems=() codes=()
  problem() { problems+=("$2"); codes+=("$1"); }

  if [[ $SERVER_URL =~ $UNSAFE_CHARS || ! $SERVER_URL =~ $URL_FORM ]]; then
    problem 11 "server_url: must be an https:// URL with a host, got '$SERVER_URL'"
  fi
  if [[ -z ${TOKEN//[[:space:]]/} ]]; then
    problem 12 "token: missing"
  elif [[ $TOKEN =~ $UNSAFE_CHARS ]]; then
    problem 12 "token: must not contain quotes or backslashes"
  fi
  if [[ -n $POD_UID && ! $POD_UID =~ $UID_FORM ]]; then
    problem 13 "pod_uid: must be a pod UID (lower-case UUID) or empty for a pool node, got '$POD_UID'"
  fi
  if [[ ! $TAINT_KEY =~ $TAINT_KEY_FORM ]]; then
    problem 14 "taint_key: must be a DNS subdomain such as maroonedpods.io, got '$TAINT_KEY'"
  fi
  if [[ ! $NODE_NAME =~ $NODE_NAME_FORM ]]; then
    problem 15 "node_name: must be a DNS label of at most 63 characters, got '$NODE_NAME'"
  fi
  if [[ -z ${NODE_PASSWORD//[[:space:]]/} ]]; then
    problem 18 "node_password: missing"
  elif [[ $NODE_PASSWORD =~ $UNSAFE_CHARS ]]; then
    problem 18 "node_password: must not contain quotes or backslashes"
  elif [[ ! $NODE_PASSWORD =~ $NODE_PASSWORD_FORM ]]; then
    problem 18 "node_password: must be 16 to 128 printable characters without blanks"
  fi
  if [[ -n $NODE_MAC && ! $NODE_MAC =~ $MAC_FORM ]]; then
    problem 20 "node_mac: must be a MAC address such as 02:1a:2b:3c:4d:5e (lower case) or empty, got '$NODE_MAC'"
  fi

  if (( ${#problems[@]} > 0 )); then
    local p
    for p in "${problems[@]}"; do error "$JOIN_INFO: $p"; done
    exit "${codes[0]}"
  fi
}

# The address k3s registers as the node's InternalIP: the source address of the default route, else the first
# global IPv4 address. The provisioner checks it against the VMI's interface addresses.
guest_ipv4() {
  local out
  out=$(ip -4 route get 1.1.1.1 2>/dev/null || true)
  if [[ $out =~ [[:space:]]src[[:space:]]+([0-9]+\.[0-9]+\.[0-9]+\.[0-9]+) ]]; then
    printf '%s' "${BASH_REMATCH[1]}"
    return 0
  fi
  out=$(ip -o -4 addr show scope global 2>/dev/null || true)
  if [[ $out =~ [[:space:]]inet[[:space:]]+([0-9]+\.[0-9]+\.[0-9]+\.[0-9]+)/ ]]; then
    printf '%s' "${BASH_REMATCH[1]}"
    return 0
  fi
  return 1
}

# The node LAN NIC: the interface whose MAC is node_mac, whatever the guest named it. Sets NODE_IFACE and NODE_MTU.
find_node_lan_nic() {
  local line
  while IFS= read -r line; do
    if [[ $line =~ ^[0-9]+:[[:space:]]+([^:@[:space:]]+)[^[:space:]]*:.*[[:space:]]mtu[[:space:]]+([0-9]+).*link/ether[[:space:]]+$NODE_MAC([[:space:]]|$) ]]; then
      NODE_IFACE=${BASH_REMATCH[1]}
      NODE_MTU=${BASH_REMATCH[2]}
      return 0
    fi
  done < <(ip -o link show 2>/dev/null || true)
  return 1
}

node_lan_ipv4() {
  local out
  out=$(ip -o -4 addr show dev "$NODE_IFACE" scope global 2>/dev/null || true)
  if [[ $out =~ [[:space:]]inet[[:space:]]+([0-9]+\.[0-9]+\.[0-9]+\.[0-9]+)/ ]]; then
    printf '%s' "${BASH_REMATCH[1]}"
    return 0
  fi
  return 1
}

# On the node LAN: node-ip is the address of the NIC with node_mac (from the LAN's DHCP or the network's IPAM, which
# may take a while), and flannel runs over that NIC. Its MTU is the LAN's (KubeVirt gives the guest NIC the MTU of
# the pod side of the Multus network); flannel takes 50 off it for VXLAN, as on every other node.
wait_for_node_lan_address() {
  local waited=0
  until find_node_lan_nic && NODE_IP=$(node_lan_ipv4); do
    if (( waited >= ADDRESS_WAIT_SECONDS )); then
      if [[ -z $NODE_IFACE ]]; then
        error "no network interface has the node LAN MAC $NODE_MAC (join info node_mac) after ${ADDRESS_WAIT_SECONDS}s: is the VMI's node-lan interface attached? (ip -o link)"
        exit 21
      fi
      error "the node LAN interface $NODE_IFACE ($NODE_MAC) has no IPv4 address after ${ADDRESS_WAIT_SECONDS}s: check the LAN's DHCP or the NetworkAttachmentDefinition's IPAM"
      exit 16
    fi
    sleep 1
    waited=$(( waited + 1 ))
  done
}

wait_for_address() {
  if [[ -n $NODE_MAC ]]; then
    wait_for_node_lan_address
    return
  fi
  local waited=0
  until NODE_IP=$(guest_ipv4); do
    if (( waited >= ADDRESS_WAIT_SECONDS )); then
      error "the guest has no IPv4 address after ${ADDRESS_WAIT_SECONDS}s (ip -4 route get / ip -4 addr found none): check the VMI's network interface and DHCP"
      exit 16
    fi
    sleep 1
    waited=$(( waited + 1 ))
  done
}

render_k3s_config() {
  local label taint_value flannel_iface=''
  if [[ -n $NODE_IFACE ]]; then
    flannel_iface=$'\n''flannel-iface: "'"$NODE_IFACE"'"'
  fi
  if [[ -z $POD_UID ]]; then
    label="$POOL_LABEL=true"
    taint_value=$POOL_TAINT_VALUE
  else
    label="$POD_UID_LABEL=$POD_UID"
    taint_value=$POD_UID
  fi
  cat <<YAML
# Written by marooned-node-boot.sh from $JOIN_INFO at every boot; edits are overwritten.
server: "$SERVER_URL"
token-file: "$TOKEN_FILE"
node-name: "$NODE_NAME"
node-ip: "$NODE_IP"$flannel_iface
node-label:
  - "$label"
node-taint:
  - "$TAINT_KEY/dedicated=$taint_value:NoSchedule"
YAML
}

# Replaces target with the content of stdin only when it differs; prints "changed" or "unchanged".
install_if_changed() {
  local target=$1 mode=$2 tmp
  mkdir -p "$(dirname "$target")" || return 1
  tmp=$(mktemp "$target.XXXXXX") || return 1
  if ! { chmod "$mode" "$tmp" && cat > "$tmp"; }; then
    rm -f "$tmp"
    return 1
  fi
  # Compared in bash: cmp (diffutils) is not guaranteed in the base image.
  if [[ -f $target && "$(< "$tmp")" == "$(< "$target")" ]]; then
    rm -f "$tmp"
    chmod "$mode" "$target"
    printf 'unchanged'
  else
    mv -f "$tmp" "$target" || { rm -f "$tmp"; return 1; }
    printf 'changed'
  fi
}

# A node that joined already: marooned-join-cleanup.sh removed the join info once the kubelet had its client
# certificate, and what k3s-agent needs to start again is in place. (cloud-init writes the join info once per
# instance, so a reboot does not bring it back.)
joined_before() {
  [[ ! -e $JOIN_INFO && -s $K3S_CONFIG && -s $TOKEN_FILE && -s $NODE_PASSWORD_FILE && -s $KUBELET_CLIENT_CERT ]]
}

main() {
  if joined_before; then
    log "node joined before (the join info was removed after joining): keeping $K3S_CONFIG as it is"
    exit 0
  fi
  wait_for_join_info
  read_join_info
  validate_join_info
  wait_for_address

  local token_state password_state config_state
  # printf is a bash builtin: no credential ever appears in a process's arguments.
  token_state=$(printf '%s' "$TOKEN" | install_if_changed "$TOKEN_FILE" 0600) \
    || { error "cannot write the token file $TOKEN_FILE"; exit 17; }
  # k3s writes its own password file with a newline and trims what it reads.
  password_state=$(printf '%s\n' "$NODE_PASSWORD" | install_if_changed "$NODE_PASSWORD_FILE" 0600) \
    || { error "cannot write the node password file $NODE_PASSWORD_FILE"; exit 17; }
  config_state=$(render_k3s_config | install_if_changed "$K3S_CONFIG" 0644) \
    || { error "cannot write the k3s config $K3S_CONFIG"; exit 17; }

  local identity="pod UID $POD_UID" network=''
  [[ -z $POD_UID ]] && identity="warm-pool node"
  [[ -n $NODE_IFACE ]] && network=" on the node LAN interface $NODE_IFACE, MTU $NODE_MTU, flannel VXLAN MTU $(( NODE_MTU - 50 ))"
  log "k3s agent config for node $NODE_NAME ($identity, node-ip $NODE_IP$network, server $SERVER_URL): $config_state; token file: $token_state; node password: $password_state"
}

main "$@"
