#!/usr/bin/env python3
"""Splits a simulator burst between the simulator's own parts and the real components.

Reads the text of `jfr print --events jdk.CPUTimeSample,jdk.CPULoad,jdk.JVMInformation` (stdin) and the simulator's --json
summary (argv[1]); prints Markdown:
  1. CPU during the burst (the first maroon pod created -> all VMIs created), by part: each CPU-time sample goes to
     first part, in the order below, that any of its frames names (the provisioner, the extender, the simulated API server, scheduler,
     KubeVirt, node boot); a sample with none goes by its thread (the components' JDK HTTP clients, the simulator's
     Vert.x client and API server event loops).
  2. One boot slot's turnover, from the per-pod timeline: the simulated VM (VMI created -> node registered), the
     provisioner's verification (registered -> verified), and the provisioner handing the freed slot to the next
     pod (verified -> the next VMI created).
"""
import json
import os
import re
import statistics
import sys
from collections import Counter
from datetime import datetime

# (part, owner, test on the stack's joined frames), first match wins; innermost frames are listed first.
FRAME_PARTS = [
    ("provisioner", "components", ("io.maroonedpods.provisioner.", "io.javaoperatorsdk.")),
    ("extender", "components", ("io.maroonedpods.extender.", "io.helidon.")),
    # The simulator's own client runs in process: the API server answers its requests on the caller's thread, and
    # hands watch events to its informers on the thread that wrote the change. Both go to those parts, not the caller.
    ("its fabric8 client", "simulator", ("io.maroonedpods.testcluster.InProcessWatches",)),
    ("API server", "simulator", ("io.maroonedpods.testcluster.ApiHandler", "io.maroonedpods.testcluster.ApiHttpServer",
                                 "io.vertx.core.http.impl.Http1xServer", "io.vertx.core.http.impl.ServerWebSocket",
                                 "io.vertx.core.http.impl.WebSocketServer")),
    ("scheduler driver", "simulator", ("io.maroonedpods.simulator.scheduler.",)),
    ("KubeVirt", "simulator", ("io.maroonedpods.testcluster.kubevirt.",)),
    ("node boot, kubelet, lifecycle controller", "simulator", ("io.maroonedpods.testcluster.node.",)),
    ("API server", "simulator", ("io.maroonedpods.testcluster.",)),
    ("workload, timeline, report", "simulator", ("io.maroonedpods.simulator.",)),
    ("its fabric8 client", "simulator", (
        "io.fabric8.kubernetes.client.vertx.", "io.vertx.core.http.impl.Http1xClient",
        "io.vertx.core.http.impl.WebSocketClient")),
]
THREAD_PARTS = [
    ("their fabric8 clients (JDK HTTP: transport, JSON, informers)", "components",
     re.compile(r"^(JdkHttpClientFactory|HttpClient-\d+-|ForkJoinPool\.commonPool)")),
    ("Vert.x event loops (API server, or its own client before it ran in process)", "simulator",
     re.compile(r"^vert\.x-")),
    ("extender", "components", re.compile(r"WebServer socket")),
    ("scheduler driver", "simulator", re.compile(r"^scheduler-|^binder$")),
    ("KubeVirt", "simulator", re.compile(r"^simulated-vms$")),
    ("fabric8 informer threads (the simulator's or the components')", "either", re.compile(r"^-\d+-pool-\d+-thread-")),
    ("JIT compiler", "JVM", re.compile(r"Compiler")),
]


def part_of(thread, frames):
    joined = "\n".join(frames)
    for name, owner, prefixes in FRAME_PARTS:
        if any(p in joined for p in prefixes):
            return owner, name
    for name, owner, pattern in THREAD_PARTS:
        if pattern.search(thread):
            return owner, name
    return "other", re.sub(r"\d+", "#", thread)


def samples(lines):
    """(time of day in s, thread, frames) per jdk.CPUTimeSample; (time, JVM share, machine share) per jdk.CPULoad;
    the JVM's start (s of day)."""
    out, loads, jvm_start, event, thread, frames, when, in_stack = [], [], None, None, "?", [], None, False
    jvm_share = machine_share = 0.0
    for line in lines:
        s = line.strip()
        if s.endswith("{") and not s.startswith("stackTrace"):
            event, thread, frames, when, in_stack = s[:-1].strip(), "?", [], None, False
            jvm_share = 0.0
        elif event == "jdk.CPULoad" and s.startswith(("jvmUser = ", "jvmSystem = ")):
            jvm_share += percent(s)
        elif event == "jdk.CPULoad" and s.startswith("machineTotal = "):
            machine_share = percent(s)
        elif s.startswith("jvmStartTime = ") and event == "jdk.JVMInformation":
            jvm_start = clock(s)
        elif s.startswith("startTime = "):
            when = clock(s)
        elif s.startswith("eventThread = "):
            thread = s.split('"')[1] if '"' in s else s
        elif s.startswith("stackTrace = ["):
            in_stack = True
        elif in_stack and s == "]":
            in_stack = False
        elif in_stack:
            frames.append(s)
        elif s == "}" and event == "jdk.CPUTimeSample":
            out.append((when, thread, frames))
            event = None
        elif s == "}" and event == "jdk.CPULoad":
            loads.append((when, jvm_share, machine_share))
            event = None
    return out, loads, jvm_start


def percent(line):
    return float(line.split("= ")[1].rstrip("%")) / 100


def cpu_seconds(loads, start, end):
    """CPU-seconds the JVM and the whole machine used between start and end, from JFR's CPU load (each event covers
    the time since the one before)."""
    jvm = machine = 0.0
    cores = os.cpu_count() or 1
    for (t0, _, _), (t1, jvm_share, machine_share) in zip(loads, loads[1:]):
        overlap = max(0.0, min(t1, end) - max(t0, start))
        jvm += jvm_share * cores * overlap
        machine += machine_share * cores * overlap
    return jvm, machine, cores


def clock(line):
    t = datetime.strptime(line.split("= ")[1].split(" ")[0], "%H:%M:%S.%f")
    return t.hour * 3600 + t.minute * 60 + t.second + t.microsecond / 1e6


def q(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))]


def main():
    summary = json.load(open(sys.argv[1]))
    process_cpu = float(sys.argv[2]) if len(sys.argv) > 2 else None
    all_samples, loads, jvm_start = samples(sys.stdin)
    burst = [s for s in all_samples if any("io.maroonedpods.simulator.workload.Burst" in f for f in s[2])]
    if not burst:
        sys.exit("no sample shows the burst being created: too few samples?")
    start = min(s[0] for s in burst)
    end = start + summary["allVmisCreatedSeconds"]
    window = [s for s in all_samples if start <= s[0] <= end]
    parts, owners = Counter(), Counter()
    for _, thread, frames in window:
        owner, name = part_of(thread, frames)
        parts[(owner, name)] += 1
        owners[owner] += 1
    n = len(window)
    print("CPU from the first maroon pod to all VMIs created (%.1f s; %d CPU-time samples of %d in the run%s):"
          % (end - start, n, len(all_samples),
             "" if process_cpu is None else "; the whole run used %.1f s of CPU" % process_cpu))
    jvm, machine, cores = cpu_seconds(loads, start, end)
    if jvm:
        print()
        print("In that time the JVM used %.1f CPU-s, the whole machine %.1f of its %.1f (%d cores): on %d idle cores"
              " this burst's CPU alone would take at least %.1f s." % (jvm, machine, cores * (end - start), cores, cores,
                                                                       jvm / cores))
    print()
    print("| owner | part | share of the burst's CPU |")
    print("|---|---|---|")
    for owner in ("simulator", "components", "either", "JVM", "other"):
        for (o, name), c in sorted(parts.items(), key=lambda kv: -kv[1]):
            if o == owner:
                print("| %s | %s | %.1f %% |" % (owner, name, 100 * c / n))
        if owners[owner]:
            print("| **%s** | **all** | **%.1f %%** |" % (owner, 100 * owners[owner] / n))
    print()
    pods = summary["timeline"]
    vm = [p["nodeRegisteredSeconds"] - p["vmiCreatedSeconds"] for p in pods if p.get("nodeRegisteredSeconds")]
    verify = [p["nodeVerifiedSeconds"] - p["nodeRegisteredSeconds"] for p in pods
              if p.get("nodeVerifiedSeconds") and p.get("nodeRegisteredSeconds")]
    created = sorted(p["vmiCreatedSeconds"] for p in pods if p.get("vmiCreatedSeconds"))
    verified = sorted(p["nodeVerifiedSeconds"] for p in pods if p.get("nodeVerifiedSeconds"))
    slots = 20
    # The k-th VMI beyond the first 20 waits for the (k-20)-th verification: that gap is the freed slot's handover.
    handover = [created[k] - verified[k - slots] for k in range(slots, min(len(created), len(verified) + slots))
                if created[k] > verified[k - slots]]
    print("One boot slot's turnover (maxConcurrentBoots %d; ms):" % slots)
    print()
    print("| step | who | p50 | p90 | mean |")
    print("|---|---|---|---|---|")
    for name, who, values in (("VMI created -> node registered", "simulator (KubeVirt, guest boot, k3s server)", vm),
                              ("node registered -> verified", "provisioner", verify),
                              ("verified -> the next pod's VMI created", "provisioner", handover)):
        if values:
            print("| %s | %s | %.0f | %.0f | %.0f |" % (name, who, 1000 * q(values, 50), 1000 * q(values, 90),
                                                       1000 * statistics.mean(values)))
    if jvm_start is not None:
        print()
        print("(Burst created %.1f s after the JVM started.)" % (start - jvm_start))


if __name__ == "__main__":
    main()
