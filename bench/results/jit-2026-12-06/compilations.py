#!/usr/bin/env python3
"""The JIT's compilations in a JFR recording, per 5 s of the run and in two windows of it.

jfr print --json --events jdk.Compilation g.jfr > comp.json
jfr print --json --events jdk.Deoptimization g.jfr > deopt.json
compilations.py comp.json deopt.json [FROM TO FROM TO ...]   # windows as HH:MM:SS of the recording's clock

The recording must hold every compilation: a copy of the JDK's profile.jfc with the threshold of
jdk.Compilation at 0 ms (profile.jfc keeps only those over 100 ms).
"""
import collections
import json
import sys


def seconds(duration):
    # ISO-8601 durations as JFR prints them: PT0.012S (longer ones as PT1M2S are not expected here)
    return float(duration[2:-1]) if duration.startswith("PT") and duration.endswith("S") and "M" not in duration else 0.0


events = json.load(open(sys.argv[1]))["recording"]["events"]
deopts = json.load(open(sys.argv[2]))["recording"]["events"]
print("per 5 s: compilations, their wall time in s (two compiler threads; waits for a core included)")
buckets = collections.defaultdict(lambda: [0, 0.0])
for e in events:
    t = e["values"]["startTime"][11:19]
    key = t[:7] + str(int(t[7]) // 5 * 5)
    buckets[key][0] += 1
    buckets[key][1] += seconds(e["values"]["duration"])
for key in sorted(buckets):
    print(f"  {key}  {buckets[key][0]:5d}  {buckets[key][1]:6.2f}")
print(f"\ndeoptimizations in the whole recording: {len(deopts)}")
windows = sys.argv[3:]
for lo, hi in zip(windows[::2], windows[1::2]):
    sel = [e for e in events if lo <= e["values"]["startTime"][11:19] < hi]
    print(f"\n{lo}-{hi}: {len(sel)} compilations, {sum(seconds(e['values']['duration']) for e in sel):.2f} s")
    levels = collections.Counter()
    packages = collections.Counter()
    for e in sel:
        levels[e["values"]["compileLevel"]] += seconds(e["values"]["duration"])
        packages["/".join(e["values"]["method"]["type"]["name"].split("/")[:4])] += seconds(e["values"]["duration"])
    print("  by tier (s):", {k: round(v, 2) for k, v in sorted(levels.items())})
    print("  by package (s):", [(k, round(v, 2)) for k, v in packages.most_common(10)])
    dsel = [e for e in deopts if lo <= e["values"]["startTime"][11:19] < hi]
    reasons = collections.Counter(e["values"]["reason"] for e in dsel)
    print(f"  deoptimizations: {len(dsel)}, by reason: {reasons.most_common(5)}")
    top = sorted(sel, key=lambda e: seconds(e["values"]["duration"]), reverse=True)[:10]
    print("  longest:", [(e["values"]["method"]["type"]["name"] + "." + e["values"]["method"]["name"],
                          e["values"]["compileLevel"], round(seconds(e["values"]["duration"]), 3)) for e in top])
