#!/usr/bin/env python3
"""The CPU that the kernel's own threads took while a benchmark measured.

    kthreads.py snapshot FILE          record every kernel thread's CPU time so far
    kthreads.py report FILE [LABEL]    print what they used since that snapshot

On the 2-core VMs these benchmarks run on, the kernel is built without preemption of kernel code
(CONFIG_PREEMPT_NONE) and runs a DAMON monitor, `kdamond.0`, that wakes about every 0.5 s and then
holds a core for 7-47 ms. Nothing in user space can take that core back, so every thread of the
benchmark shares the other one for the while: calls started then finish late, in a group. A tail
latency measured here is read next to this line, which says how much of the run the kernel took.
"""
import json
import os
import sys
import time

TICKS = os.sysconf("SC_CLK_TCK")


def kernel_threads():
    """pid -> (name, CPU seconds) for every kernel thread (a child of kthreadd, pid 2)."""
    threads = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        # After the name: state, ppid, ... utime and stime are the 12th and 13th.
        if fields[1] != "2":
            continue
        threads[entry] = (name, (int(fields[11]) + int(fields[12])) / TICKS)
    return threads


def main():
    action, path = sys.argv[1], sys.argv[2]
    if action == "snapshot":
        with open(path, "w") as f:
            json.dump({"at": time.monotonic(), "threads": kernel_threads()}, f)
        return
    label = sys.argv[3] if len(sys.argv) > 3 else "the run"
    with open(path) as f:
        before = json.load(f)
    seconds = time.monotonic() - before["at"]
    used = []
    for pid, (name, cpu) in kernel_threads().items():
        previous = before["threads"].get(pid, (name, 0.0))[1]
        if cpu - previous > 0:
            used.append((cpu - previous, name))
    used.sort(reverse=True)
    total = sum(cpu for cpu, _ in used)
    top = ", ".join(f"{name} {cpu * 1000:.0f} ms" for cpu, name in used[:3]) or "none"
    print(
        f"kernel threads during {label} ({seconds:.0f} s): {total * 1000:.0f} ms of CPU,"
        f" {total / seconds * 100:.1f} % of a core; most: {top}"
    )


if __name__ == "__main__":
    main()
