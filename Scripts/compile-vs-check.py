import subprocess, time, statistics, sys, os
W = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
for n in [10000, 100000]:
    f = f"/tmp/wfcbig/big-{n}.yaml"
    res = {}
    for name, args in [("check", [W, "check", "--max-file-bytes", "67108864", f]),
                       ("compile", [W, "compile", "--max-file-bytes", "67108864", f, "-o", "/tmp/wfcbig/out.json"]),
                       ("compile --pretty", [W, "compile", "--pretty", "--max-file-bytes", "67108864", f, "-o", "/tmp/wfcbig/out-pretty.json"])]:
        ts = []
        for _ in range(runs):
            t = time.perf_counter()
            r = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            ts.append(time.perf_counter() - t)
            assert r.returncode == 0, (args, r.returncode)
        res[name] = statistics.median(ts)
    size = os.path.getsize("/tmp/wfcbig/out.json"); psize = os.path.getsize("/tmp/wfcbig/out-pretty.json")
    print(f"{n} states ({os.path.getsize(f)/1e6:.1f} MB): check {res['check']*1000:.0f} ms, compile {res['compile']*1000:.0f} ms ({res['compile']/res['check']:.2f}x), "
          f"compile --pretty {res['compile --pretty']*1000:.0f} ms ({res['compile --pretty']/res['check']:.2f}x); IR {size/n:.0f} B/state compact, {psize/n:.0f} B/state pretty")
