#!/usr/bin/env python3
"""`wfc compile` against `wfc check` on the big generated workflows (BENCHMARKS.md).

Usage: compile-vs-check.py WFC WFC_BENCH [RUNS]; WFC_BENCH writes the files (`big-file N`).
Each command runs RUNS times (default 5) in a fresh process; medians of wall time."""
import os, statistics, subprocess, sys, tempfile, time

wfc, bench = sys.argv[1], sys.argv[2]
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
tmp = tempfile.mkdtemp(prefix="wfc-compile-bench-")
for n in [10000, 100000]:
    f = os.path.join(tmp, f"big-{n}.yaml")
    with open(f, "wb") as out:
        subprocess.run([bench, "big-file", str(n)], stdout=out, check=True)
    compact, pretty = os.path.join(tmp, "out.json"), os.path.join(tmp, "out-pretty.json")
    limit = ["--max-file-bytes", "67108864"]
    res = {}
    for name, args in [("check", [wfc, "check", *limit, f]),
                       ("compile", [wfc, "compile", *limit, f, "-o", compact]),
                       ("pretty", [wfc, "compile", "--pretty", *limit, f, "-o", pretty])]:
        ts = []
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            ts.append(time.perf_counter() - t)
        res[name] = statistics.median(ts)
    print(f"{n} states ({os.path.getsize(f) / 1e6:.1f} MB): check {res['check'] * 1000:.0f} ms, "
          f"compile {res['compile'] * 1000:.0f} ms ({res['compile'] / res['check']:.2f}x), "
          f"compile --pretty {res['pretty'] * 1000:.0f} ms ({res['pretty'] / res['check']:.2f}x); "
          f"IR {os.path.getsize(compact) / n:.0f} B/state compact, {os.path.getsize(pretty) / n:.0f} B/state pretty")
