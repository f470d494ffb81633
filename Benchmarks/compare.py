#!/usr/bin/env python3
"""Prints ours against the fastest peer measured in the same `make bench` run.

    python3 Benchmarks/compare.py --ours ours.jsonl --peers peers-*.json

`ours.jsonl` is lineage-bench's output (one JSON object per case); the peers' files
are shared/bench/peers.py's --out files. Ratios are the peer's median time over
ours: above 1 means we are faster. Targets are those of issue 7.
"""
import argparse, json

TARGETS = {("load", "1m"): 5, ("down", "1m"): 10, ("up", "1m"): 10, ("scc", "1m"): 5, ("blast", "100k"): 20}

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ours", required=True)
    ap.add_argument("--peers", nargs="*", default=[])
    a = ap.parse_args()
    ours = {}
    for line in open(a.ours):
        line = line.strip()
        if not line.startswith("{"):
            continue
        r = json.loads(line)
        op = r["case"].split(" ")[0]
        size = {1000: "1k", 10000: "10k", 100000: "100k", 1000000: "1m"}.get(r["size"], str(r["size"]))
        ours[(op, size)] = r
    peers = {}
    for path in a.peers:
        for r in json.load(open(path)).get("results", []):
            if r.get("status") != "ok" or "median_s" not in r:
                continue
            key = (r["op"], r["size"])
            lib = r["lib"] + ("/" + r["method"] if r.get("method") else "")
            if key not in peers or r["median_s"] < peers[key][1]:
                peers[key] = (lib, r["median_s"], r.get("peak_rss_mib"))
    sizes = ["1k", "10k", "100k", "1m"]
    ops = ["load", "down", "up", "down_depth", "topo", "blast", "blast_approx", "scc", "cycle"]
    print(f"| op | size | ours | check | fastest peer | peer time | ratio | target |")
    print(f"|---|---|---|---|---|---|---|---|")
    missed = []
    for size in sizes:
        for op in ops:
            if (op, size) not in ours:
                continue
            r = ours[(op, size)]
            peer = peers.get((op, size))
            ratio = peer[1] / r["seconds"] if peer and r["seconds"] > 0 else None
            target = TARGETS.get((op, size))
            mark = ""
            if op == "blast_approx" and size == "1m":
                mark = "< 3 s " + ("met" if r["seconds"] < 3 else "MISSED")
                if r["seconds"] >= 3:
                    missed.append(f"{op} {size}")
            elif target and ratio is not None:
                mark = f"≥{target}x " + ("met" if ratio >= target else "MISSED")
                if ratio < target:
                    missed.append(f"{op} {size}")
            elif target:
                mark = f"≥{target}x (no peer number)"
            ours_s = fmt(r["seconds"]) + (f" ({r['rss_mib']} MiB)" if r.get("rss_mib") else "")
            print(f"| {op} | {size} | {ours_s} | {'ok' if r['ok'] else 'WRONG'} {r['check'][:40]} | "
                  f"{peer[0] if peer else '-'} | {fmt(peer[1]) if peer else '-'} | "
                  f"{f'{ratio:.1f}x' if ratio else '-'} | {mark} |")
    if missed:
        print(f"\nTargets missed in this run: {', '.join(missed)}")

def fmt(s):
    return f"{s * 1e3:.1f} ms" if s < 1 else f"{s:.2f} s"

main()
