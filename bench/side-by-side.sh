# shellcheck shell=bash
# The extender and its Go peer (bench/peer) on the same /filter request, alternated. Sourced by bench/extender.sh,
# which sets EXT_PID / PEER_PID, WORK (with post.lua), DURATION and ROUNDS, and sources host-probe.sh first.
#
# On this shared machine the CPU a second buys changes from one minute to the next, so a figure is only comparable
# with one taken beside it: each round runs both servers back to back (the order swaps every round), and a row gives
# the median and range of each over the rounds, and the ratio of the medians. Beside the rates, each server's CPU time
# per request (from /proc/<pid>/stat, user + system, all its threads: JIT, GC and informers included), which moves
# less with the host than the rates do.

EXTENDER_URL=http://127.0.0.1:18888/scheduler/filter
PEER_URL=http://127.0.0.1:18889/scheduler/filter
SIDE_ROWS=()
SIDE_VERDICTS=()
declare -A SIDE_RATIO=()

# cpu_ticks PID: user + system clock ticks of the process so far.
cpu_ticks() {
  awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# measure_once URL PID BODY CONCURRENCY: one wrk run; sets RPS, CPU_US (per request) and P99_MS. Stops the script
# when the server answered anything but 200.
measure_once() {
  local url=$1 pid=$2 body=$3 conc=$4 before out requests
  before=$(cpu_ticks "$pid")
  # A 10 s timeout: the Go peer takes seconds per request with 64 in flight, and a slow answer is a result, not an
  # error (wrk's default of 2 s would count it as one).
  out=$(BODY_FILE="$body" wrk -t"$((conc < 2 ? conc : 2))" -c"$conc" -d"$DURATION" --timeout 10s --latency \
    -s "$WORK/post.lua" "$url")
  if grep -qE 'Non-2xx|Socket errors' <<< "$out"; then
    echo "error: $url answered with errors: $(grep -E 'Non-2xx|Socket errors' <<< "$out")" >&2
    exit 1
  fi
  requests=$(awk '/requests in/ { print $1 }' <<< "$out")
  RPS=$(awk '/Requests\/sec/ { printf "%.0f", $2 }' <<< "$out")
  P99_MS=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<< "$out")")
  CPU_US=$(awk -v ticks="$(( $(cpu_ticks "$pid") - before ))" -v hz="$(getconf CLK_TCK)" -v n="${requests:-0}" \
    'BEGIN { printf "%.0f", (n > 0 ? ticks * 1e6 / hz / n : 0) }')
}

# median_range V...: "median (min-max)" of numbers.
median_range() {
  printf '%s (%s-%s)' "$(median "$@")" "$(printf '%s\n' "$@" | sort -g | head -1)" \
    "$(printf '%s\n' "$@" | sort -g | tail -1)"
}

# median V...: the middle value (the mean of the two middle ones for an even count), as written or to 2 decimals.
median() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    if (NR % 2) { print v[(NR + 1) / 2] } else { m = (v[NR / 2] + v[NR / 2 + 1]) / 2; print (m == int(m)) ? m : sprintf("%.2f", m) } }'
}

# same_answer BODY: the extender and the peer answer this request with the same JSON (keys sorted), or the script
# stops: a comparison of two servers that disagree would measure nothing.
same_answer() {
  local body=$1
  if ! cmp -s <(curl -sf --compressed -H 'Content-Type: application/json' --data-binary "@$body" "$EXTENDER_URL" \
      | jq -S .) <(curl -sf --compressed -H 'Content-Type: application/json' --data-binary "@$body" "$PEER_URL" \
      | jq -S .); then
    echo "error: the extender and the Go peer answer $body differently" >&2
    exit 1
  fi
}

# side_by_side LABEL BODY CONCURRENCY: ROUNDS alternated rounds; appends a row; sets PEAK["LABEL|CONCURRENCY"] (an
# associative array of bench/extender.sh, read by its open-loop runs) to the extender's median.
side_by_side() {
  local label=$1 body=$2 conc=$3 round who probes=() loads=() java=() go=() java_cpu=() go_cpu=() java_p99=()
  local go_p99=() ratio
  for ((round = 1; round <= ROUNDS; round++)); do
    probes+=("$(host_probe)")
    for who in $( ((round % 2)) && echo "java go" || echo "go java"); do
      if [[ $who == java ]]; then
        measure_once "$EXTENDER_URL" "$EXT_PID" "$body" "$conc"
        java+=("$RPS") java_cpu+=("$CPU_US") java_p99+=("$P99_MS")
      else
        measure_once "$PEER_URL" "$PEER_PID" "$body" "$conc"
        go+=("$RPS") go_cpu+=("$CPU_US") go_p99+=("$P99_MS")
      fi
    done
    loads+=("$(cut -d' ' -f1 /proc/loadavg)")
  done
  ratio=$(awk -v j="$(median "${java[@]}")" -v g="$(median "${go[@]}")" 'BEGIN { printf "%.2f", (g > 0 ? j / g : 0) }')
  # shellcheck disable=SC2034 # read by bench/extender.sh
  PEAK["$label|$conc"]=$(printf "%.0f" "$(median "${java[@]}")")
  SIDE_RATIO["$label|$conc"]=$ratio
  SIDE_ROWS+=("| $label | $conc | $(median_range "${java[@]}") | $(median_range "${go[@]}") | **$ratio×** |\
 $(median "${java_cpu[@]}") / $(median "${go_cpu[@]}") | $(median "${java_p99[@]}") / $(median "${go_p99[@]}") |\
 $(median_range "${loads[@]}") | $(median_range "${probes[@]}") |")
  printf '%-44s c=%-3s extender %s req/s, Go peer %s req/s: %s×\n' "$label" "$conc" \
    "$(median_range "${java[@]}")" "$(median_range "${go[@]}")" "$ratio" >&2
}

# side_by_side_verdict: every row at least twice the peer (issue 21).
side_by_side_verdict() {
  local key short=()
  for key in "${!SIDE_RATIO[@]}"; do
    awk -v r="${SIDE_RATIO[$key]}" 'BEGIN { exit !(r < 2) }' && short+=("${key/|/, c=} (${SIDE_RATIO[$key]}×)")
  done
  if [[ ${#short[@]} -eq 0 ]]; then
    SIDE_VERDICTS+=("- every /filter NodeNames row at least 2× the Go peer measured beside it: met (${#SIDE_RATIO[@]} rows)")
  else
    SIDE_VERDICTS+=("- every /filter NodeNames row at least 2× the Go peer measured beside it: NOT met for\
 $(printf '%s; ' "${short[@]}" | sed 's/; $//')")
  fi
}
