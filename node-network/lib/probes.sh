# shellcheck shell=bash
# probes.sh: echo servers in the pods and bounded ping / TCP / UDP probes between namespaces. Sourced by
# dataplane-test.sh after lab.sh.

readonly TCP_PORT=8080
readonly UDP_PORT=8081
# Larger than one segment of every MTU in the lab, so a path whose MTU is wrong (the inner packet too big for the
# outer one) fails the TCP probe instead of passing on a few small packets.
readonly TCP_PAYLOAD_BYTES=65536

# socat echo servers in namespace `name`: TCP (the whole stream back) and UDP (each datagram back to its sender).
start_echo_servers() {
  local name=$1
  in_ns "$name" socat -T 5 "TCP4-LISTEN:$TCP_PORT,fork,reuseaddr" EXEC:cat </dev/null >/dev/null 2>&1 &
  in_ns "$name" socat -T 5 "UDP4-RECVFROM:$UDP_PORT,fork" EXEC:cat </dev/null >/dev/null 2>&1 &
}

# Waits (bounded) until namespace `name` listens on both ports.
await_echo_servers() {
  local name=$1 tries=0
  until in_ns "$name" ss -Hltn "sport = :$TCP_PORT" | grep -q . && in_ns "$name" ss -Hlun "sport = :$UDP_PORT" | grep -q .; do
    (( ++tries > 50 )) && { echo "echo servers in $name did not start within 5s" >&2; return 1; }
    sleep 0.1
  done
}

probe_ping() {
  local from=$1 to_ip=$2
  in_ns "$from" timeout 4 ping -n -q -c 3 -i 0.2 -W 1 "$to_ip" >/dev/null 2>&1
}

probe_tcp() {
  local from=$1 to_ip=$2 sent received
  sent="$WORKDIR/payload"
  [[ -f $sent ]] || head -c "$TCP_PAYLOAD_BYTES" /dev/urandom > "$sent"
  received=$(in_ns "$from" timeout 6 socat -T 3 - "TCP4:$to_ip:$TCP_PORT,connect-timeout=2" < "$sent" 2>/dev/null \
    | wc -c)
  (( received == TCP_PAYLOAD_BYTES ))
}

probe_udp() {
  local from=$1 to_ip=$2 nonce answer attempt
  for attempt in 1 2; do
    nonce="probe-$RANDOM-$attempt"
    answer=$(printf '%s\n' "$nonce" | in_ns "$from" timeout 3 socat -T 2 - "UDP4:$to_ip:$UDP_PORT" 2>/dev/null || true)
    [[ $answer == "$nonce" ]] && return 0
  done
  return 1
}

# Runs the three probes from `from` to `to_ip`; prints "ok"/"FAIL" for ping, TCP and UDP, space-separated.
probe_all() {
  local from=$1 to_ip=$2 proto out=()
  for proto in ping tcp udp; do
    if "probe_$proto" "$from" "$to_ip"; then out+=(ok); else out+=(FAIL); fi
  done
  printf '%s %s %s' "${out[@]}"
}
