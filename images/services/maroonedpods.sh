#!/usr/bin/env bash
# Entry point of the MaroonedPods service image: one image, the first argument picks the component.
#   maroonedpods extender      run the scheduler extender (io.maroonedpods.extender.Main)
#   maroonedpods provisioner   run the provisioner (io.maroonedpods.provisioner.Main)
#   maroonedpods probe PORT PATH
#                              HTTP GET http://127.0.0.1:PORT/PATH; exit 0 on a 2xx answer. For exec probes of a
#                              server bound to 127.0.0.1 (the kubelet cannot reach it); bash only, no curl needed.
# JAVA_OPTS adds JVM options; MAROONEDPODS_HOME (default /opt/maroonedpods) holds <component>/ with the jar and libs/.
set -euo pipefail

home="${MAROONEDPODS_HOME:-/opt/maroonedpods}"
# Container-aware heap, fail fast on OOM (the Deployment restarts us), no hsperfdata file on the read-only root.
default_java_opts="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData"

usage() {
  echo "usage: maroonedpods extender|provisioner [ARGS...] | maroonedpods probe PORT PATH" >&2
  exit 64
}

run_component() {
  local component="$1" main="$2"
  shift 2
  local dir="$home/$component"
  if [ ! -f "$dir/maroonedpods-$component.jar" ]; then
    echo "error: $dir/maroonedpods-$component.jar is missing: the image was built without the $component" >&2
    exit 1
  fi
  local -a opts
  read -r -a opts <<< "${JAVA_OPTS:-$default_java_opts}"
  # The jar plus its libs/ (if the build keeps dependencies beside the jar); a missing libs/ is simply ignored.
  exec java "${opts[@]}" -cp "$dir/maroonedpods-$component.jar:$dir/libs/*" "$main" "$@"
}

probe() {
  local port="${1:-}" path="${2:-}"
  if ! [[ "$port" =~ ^[0-9]+$ ]] || [[ "$path" != /* ]]; then
    echo "probe: usage: maroonedpods probe PORT /PATH" >&2
    exit 64
  fi
  local status_line
  if ! exec 3<>"/dev/tcp/127.0.0.1/$port"; then
    echo "probe: nothing listens on 127.0.0.1:$port" >&2
    exit 1
  fi
  # HTTP/1.1: Helidon 4 refuses HTTP/1.0 requests.
  printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$path" "$port" >&3
  IFS= read -r -t 5 status_line <&3 || status_line=""
  exec 3<&-
  status_line="${status_line%$'\r'}"
  if [[ "$status_line" =~ ^HTTP/[0-9.]+\ 2[0-9][0-9] ]]; then
    exit 0
  fi
  echo "probe: GET $path on port $port answered '${status_line:-nothing}'" >&2
  exit 1
}

[ $# -ge 1 ] || usage
command="$1"
shift
case "$command" in
  extender) run_component extender io.maroonedpods.extender.Main "$@" ;;
  provisioner) run_component provisioner io.maroonedpods.provisioner.Main "$@" ;;
  probe) probe "$@" ;;
  *) usage ;;
esac
