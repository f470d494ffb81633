#!/usr/bin/env python3
"""Whole processes, end to end: `lineage downstream`, `impact`, `cycles` and `validate`
on the shared/bench graph files, cold (an empty graph cache, so the run parses the
JSON and writes the cache's image) and warm (the image is there), beside whole peer
processes (Benchmarks/peer_e2e.py: Python start, JSON parse, graph build, the same
question, the answer written) on the same files, in the same run. Each answer is
checked; prints one JSON object per measurement and a table of ratios (the fastest
peer's process time over ours: above 1 means we are faster).

    python3 Benchmarks/endtoend.py --lineage .build/release/lineage \
        --peers ../shared/bench/peers.py --python /tmp/lineage-bench-venv/bin/python \
        --data-dir /tmp/lineage-bench-data --sizes 1m --out out/bench-endtoend.jsonl
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
GOALS = {"cold": 8, "warm": 100}


def timed(cmd, repeats, before=None, answer=None):
    """Median wall-clock seconds of `repeats` runs of cmd, and the last run's result.

    With `answer` (a file path), standard output goes to that file, as the peers write
    their answers to a file, rather than through a pipe that this process would have to
    read while the clock runs; the result's stdout is then read back from the file.

    Each run starts with no dirty page left to write back (an `os.sync()` before the
    clock starts, for every command, ours and the peers'): the kernel writing back the
    cache images and answers of earlier runs would otherwise take a core from whatever
    runs next."""
    times, last = [], None
    for _ in range(repeats):
        if before:
            before()
        os.sync()
        if answer:
            with open(answer, "wb") as f:
                t0 = time.perf_counter()
                last = subprocess.run(cmd, stdout=f, stderr=subprocess.PIPE)
                times.append(time.perf_counter() - t0)
            with open(answer, "rb") as f:
                last.stdout = f.read()
        else:
            t0 = time.perf_counter()
            last = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            times.append(time.perf_counter() - t0)
    return statistics.median(times), last


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lineage", required=True)
    ap.add_argument("--peers", help="shared/bench/peers.py; peers are skipped without it")
    ap.add_argument("--python", default=sys.executable, help="the Python with igraph and rustworkx")
    ap.add_argument("--libs", default="igraph,rustworkx")
    ap.add_argument("--data-dir", default="/tmp/lineage-bench-data")
    ap.add_argument("--sizes", default="1m")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--peer-repeats", type=int, default=1)
    ap.add_argument("--out", default="-")
    a = ap.parse_args()
    out = sys.stdout if a.out == "-" else open(a.out, "w")
    rows = []
    work = tempfile.mkdtemp(prefix="lineage-endtoend-")
    try:
        for size in a.sizes.split(","):
            base = os.path.join(a.data_dir, f"lineage-{size}.json")
            cyclic = os.path.join(a.data_dir, f"lineage-{size}-c5.json")
            meta = json.load(open(os.path.join(a.data_dir, f"lineage-{size}.meta.json")))
            q = meta["stats"]["queries"]["down"]
            expected = expected_counts(a.lineage, base, cyclic, q)
            cases = [
                ("downstream", base, ["downstream", q, "--format", "json"], lambda r: json.loads(r.stdout)["count"],
                 expected["downstream"]),
                ("impact", base, ["impact", q, "--change", "retire", "--format", "json", "--fail-on", "never"],
                 lambda r: len(json.loads(r.stdout)["affected"]), expected["impact"]),
                ("cycles", cyclic, ["cycles", "--format", "json"], lambda r: len(json.loads(r.stdout)["cycles"]),
                 expected["cycles"]),
                ("validate", base, ["validate"], lambda r: r.returncode, expected["validate"]),
            ]
            for name, graph, args, count, want in cases:
                cold_dir = os.path.join(work, "cold")
                warm_dir = os.path.join(work, "warm-" + name)
                cmd_cold = [a.lineage] + args + ["--mesh", graph, "--cache", cold_dir]
                cmd_warm = [a.lineage] + args + ["--mesh", graph, "--cache", warm_dir]
                answer = os.path.join(work, "answer.out")
                cold_s, r = timed(cmd_cold, a.repeats, before=lambda: shutil.rmtree(cold_dir, ignore_errors=True),
                                  answer=answer)
                got_cold = count(r)
                subprocess.run(cmd_warm, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                warm_s, r2 = timed(cmd_warm, a.repeats, answer=answer)
                got_warm = count(r2)
                same = r.stdout == r2.stdout and r.stderr == r2.stderr and r.returncode == r2.returncode
                ok = got_cold == want and got_warm == want and same
                for mode, s in (("cold", cold_s), ("warm", warm_s)):
                    rec = {"case": f"{name} {mode}", "size": size, "seconds": round(s, 6),
                           "check": f"{got_cold} (want {want}); cold and warm output {'identical' if same else 'DIFFER'}",
                           "ok": ok}
                    out.write(json.dumps(rec) + "\n")
                    out.flush()
                peer = None
                if a.peers:
                    for lib in a.libs.split(","):
                        pcmd = [a.python, os.path.join(HERE, "peer_e2e.py"), "--peers", a.peers, "--lib", lib,
                                "--op", name, "--graph", graph, "--node", q,
                                "--out", os.path.join(work, "peer-answer.txt")]
                        ps, pr = timed(pcmd, a.peer_repeats)
                        pok = pr.returncode == 0
                        rec = {"case": f"{name} peer {lib}", "size": size, "seconds": round(ps, 6),
                               "check": pr.stdout.decode().strip() if pok else pr.stderr.decode()[-200:], "ok": pok}
                        out.write(json.dumps(rec) + "\n")
                        out.flush()
                        if pok and (peer is None or ps < peer[1]):
                            peer = (lib, ps)
                rows.append((name, size, cold_s, warm_s, ok, peer))
                print(f"{name} {size}: cold {fmt(cold_s)}, warm {fmt(warm_s)}, "
                      f"peer {peer[0] + ' ' + fmt(peer[1]) if peer else '-'}", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("| command | size | ours cold | ours warm | check | fastest peer process | peer time | cold ratio | warm ratio |")
    print("|---|---|---|---|---|---|---|---|---|")
    missed = []
    for name, size, cold_s, warm_s, ok, peer in rows:
        rc = peer[1] / cold_s if peer else None
        rw = peer[1] / warm_s if peer else None
        marks = []
        for mode, r in (("cold", rc), ("warm", rw)):
            if r is None:
                continue
            good = r >= GOALS[mode]
            marks.append(f"{r:.1f}x (≥{GOALS[mode]}x {'met' if good else 'MISSED'})")
            if not good:
                missed.append(f"{name} {size} {mode}")
        print(f"| {name} | {size} | {fmt(cold_s)} | {fmt(warm_s)} | {'ok' if ok else 'WRONG'} | "
              f"{peer[0] if peer else '-'} | {fmt(peer[1]) if peer else '-'} | "
              f"{marks[0] if marks else '-'} | {marks[1] if len(marks) > 1 else '-'} |")
    if missed:
        print(f"\nGoals missed in this run: {', '.join(missed)}")
    if not all(r[4] for r in rows):
        sys.exit(1)


def expected_counts(lineage, base, cyclic, q):
    """The answers each run must give, from the uncached tool (--no-cache) once."""
    def run(args):
        return subprocess.run([lineage] + args + ["--no-cache"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    down = json.loads(run(["downstream", q, "--mesh", base, "--format", "json"]).stdout)["count"]
    impact = len(json.loads(run(["impact", q, "--change", "retire", "--mesh", base, "--format", "json",
                                 "--fail-on", "never"]).stdout)["affected"])
    cycles = len(json.loads(run(["cycles", "--mesh", cyclic, "--format", "json"]).stdout)["cycles"])
    validate = run(["validate", "--mesh", base]).returncode
    return {"downstream": down, "impact": impact, "cycles": cycles, "validate": validate}


def fmt(s):
    return f"{s * 1e3:.0f} ms" if s < 1 else f"{s:.2f} s"


main()
