#!/usr/bin/env bash
# marooned-join-cleanup.sh: once the k3s agent has joined, remove the copies of the VM's join credentials it no longer
# needs. Run by marooned-join-cleanup.service, which marooned-join-cleanup.path starts when the kubelet's client
# certificate exists: the k3s supervisor issues it only after it accepted the VM's bootstrap token and node password,
# and from then on the agent authenticates to the supervisor with that certificate (k3s ADR "agent-join-token").
#
# Removes (MAROONED_JOIN_INFO, MAROONED_CLOUD_DIR): the join info cloud-init wrote and cloud-init's copies of the user
# data; both hold the bootstrap token and the node password. The token is dead by then anyway: the provisioner
# deletes it before the node may take a pod, and it expired at the boot timeout.
# Keeps: the token file (k3s-agent parses it at every start for the CA hash it pins; it needs no valid credential
# there once it has its client certificate) and /etc/rancher/node/password (sent with every certificate request).
# Not reachable from here: the cloud-init disk itself, attached to the VM for its life (KubeVirt's NoCloud volume).
#
# Exit codes: 0 removed (or nothing left to remove); 30 the kubelet has no client certificate yet (30: apart from
# the boot script's 10-21).
set -euo pipefail

readonly JOIN_INFO=${MAROONED_JOIN_INFO:-/etc/marooned/join-info.yaml}
readonly KUBELET_CLIENT_CERT=${MAROONED_KUBELET_CLIENT_CERT:-/var/lib/rancher/k3s/agent/client-kubelet.crt}
readonly CLOUD_DIR=${MAROONED_CLOUD_DIR:-/var/lib/cloud}

log() { printf 'marooned-join-cleanup: %s\n' "$*"; }
error() { printf 'marooned-join-cleanup: error: %s\n' "$*" >&2; }

main() {
  if [[ ! -s $KUBELET_CLIENT_CERT ]]; then
    error "no kubelet client certificate at $KUBELET_CLIENT_CERT: the node has not joined, nothing is removed"
    exit 30
  fi
  local -a removed=()
  local file
  shopt -s nullglob
  # /var/lib/cloud/instance is a link to one of instances/*: the copies are counted once, under instances/.
  # user-data.txt(.i) are the user data as fetched and as processed, cloud-config.txt the merged cloud-config,
  # obj.pkl the cached datasource with the user data in it. Without obj.pkl cloud-init reads the NoCloud disk again at
  # the next boot (same instance-id: write_files does not run again) and writes the copies again; this unit removes them
  # again in that boot, once the boot unit has read what it needs.
  for file in "$JOIN_INFO" "$CLOUD_DIR"/instances/*/user-data.txt "$CLOUD_DIR"/instances/*/user-data.txt.i \
    "$CLOUD_DIR"/instances/*/cloud-config.txt "$CLOUD_DIR"/instances/*/obj.pkl; do
    if [[ -e $file ]]; then
      rm -f -- "$file"
      removed+=("$file")
    fi
  done
  if (( ${#removed[@]} == 0 )); then
    log "joined; no join credentials left to remove"
  else
    log "joined (kubelet client certificate present); removed ${removed[*]}"
  fi
}

main "$@"
