# shellcheck shell=bash
# How fast the machine is, between benchmark rows. Sourced by the bench scripts.
#
# This machine is a 2-core VM on a shared host, and the host's other guests change how much CPU a second of ours
# buys: the same single-threaded loop takes about 24 ms of CPU in a good moment and 30-40 ms in a bad one, and
# the bench figures move with it (a 1,000-pod burst took 14-16 s one day and 29-41 s another, on the same code).
# host_probe runs a fixed awk loop five times while nothing else of ours runs and prints the median CPU time (user +
# system) in ms: compare rows, and runs of other days, with it. It takes about 0.2 s.
host_probe() {
  for _ in 1 2 3 4 5; do
    { TIMEFORMAT='%3U %3S'; time awk 'BEGIN { for (i = 0; i < 1e6; i++) s += i }'; } 2>&1
  done | awk '{ printf "%.0f\n", ($1 + $2) * 1000 }' | sort -n | sed -n 3p
}
